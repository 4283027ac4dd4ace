"""When each kind of deadline is chased, and who is told.

A ladder has rungs: a first reminder some working days before the due date, one on the due day,
overdue reminders (the first working day overdue, then every few working days), and an
escalation to the Panel Chair and the Business Manager after some working days overdue.
Defaults are here; a partnership changes them in settings, e.g.
`REMINDER_LADDERS = {"rapid_review": {"before": 3}}`.
"""

from dataclasses import dataclass, replace

from django.conf import settings

from .rules import Kind

BEFORE = "before"
DUE = "due"
OVERDUE = "overdue"  # stored as "overdue-<working days overdue>"
ESCALATION = "escalation"
MANUAL = "manual"


@dataclass(frozen=True)
class Ladder:
    before: int | None = 2  # working days before the due date; None: no early reminder
    on_due_day: bool = True
    overdue_every: int | None = 5  # first working day overdue, then every N; None: none
    escalate_after: int | None = 3  # working days overdue; None: never escalate

    @property
    def active(self):
        return any(
            [self.before is not None, self.on_due_day, self.overdue_every, self.escalate_after]
        )


DEFAULT_LADDER = Ladder()
DEFAULT_LADDERS = {
    # The 6-month review: a week's notice.
    Kind.LCSPR_PUBLISHED: Ladder(before=5, overdue_every=5, escalate_after=5),
    Kind.PROGRESS_CHECK: Ladder(before=5, overdue_every=5, escalate_after=10),
    Kind.YEARLY_REPORT: Ladder(before=10, overdue_every=5, escalate_after=5),
    Kind.ACTION_DUE: Ladder(before=5, overdue_every=10, escalate_after=10),
    # The national Panel's reply is expected, not owed: flagged only once more than 20 working
    # days have passed since sending (D6's flag_after), i.e. 11 after the expected date; the
    # What's due tag says "Awaiting reply" until the same day.
    Kind.PANEL_REPLY: Ladder(before=None, on_due_day=False, overdue_every=None, escalate_after=11),
    # Keeping a report published is not something to chase.
    Kind.KEEP_PUBLISHED: Ladder(
        before=None, on_due_day=False, overdue_every=None, escalate_after=None
    ),
}


def ladder_for(kind):
    ladder = DEFAULT_LADDERS.get(kind, DEFAULT_LADDER)
    overrides = getattr(settings, "REMINDER_LADDERS", {}).get(kind, {})
    return replace(ladder, **overrides) if overrides else ladder
