"""What is due, for the person asking: only deadlines on cases the visibility gate lets them
see. Working days left are computed with one calendar per call, not one query per row."""

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from safeguarding.accounts.roles import RUN_CASES
from safeguarding.page_memo import already_on_this_page, for_this_page

from . import caseless, links, recipients
from .calendar import current_calendar
from .models import Deadline
from .rules import CHASEABLE_KINDS, rule_for


class DeadlineState:
    OVERDUE = ("overdue", "Overdue", "govuk-tag--red")
    DUE_NOW = ("due_now", "Due within 2 working days", "govuk-tag--orange")
    DUE_SOON = ("due_soon", "Due soon", "govuk-tag--yellow")
    ON_TRACK = ("on_track", "On track", "govuk-tag--green")
    MET = ("met", "Met", "govuk-tag--green")
    MISSED = ("missed", "Missed", "govuk-tag--red")
    CANCELLED = ("cancelled", "Cancelled", "govuk-tag--grey")
    # A reply that is expected, not owed (D6): waited for, not overdue, until its flag date.
    AWAITING = ("awaiting", "Awaiting reply", "govuk-tag--grey")

    # Working days left at or under which a deadline is "due within 2" / "due soon".
    DUE_NOW_DAYS = 2
    DUE_SOON_DAYS = 5


@dataclass
class DeadlineRow:
    deadline: Deadline
    working_days_left: int | None
    state: tuple
    # Whom it waits on, in words: "Tom Ellis (case lead)", "Northbridge Police".
    waits_on: str = ""
    # Where it is done (the notification, the rapid review, the request...); None when that
    # page would not let the person the rows are for in (`links.href_for`).
    href: str | None = ""
    # What a clock without a case is about ("Panel action 12"), where others show their case.
    about: str = ""

    @property
    def state_label(self):
        return self.state[1]

    @property
    def tag_class(self):
        return self.state[2]

    @property
    def time_left(self):
        """ "3 working days left", "Due today", "1 working day overdue"; "–" with no clock."""
        left = self.working_days_left
        if left is None:
            return "–"
        if left == 0:
            return "Due today"
        days = f"{abs(left)} working day{'' if abs(left) == 1 else 's'}"
        return f"{days} overdue" if left < 0 else f"{days} left"

    @property
    def chaseable(self):
        return self.deadline.kind in CHASEABLE_KINDS and self.deadline.met_on is None


def state_of(deadline, today, calendar):
    """The status tag and working days left for one deadline."""
    if deadline.status == Deadline.Status.MET:
        return None, DeadlineState.MET
    if deadline.status == Deadline.Status.CANCELLED:
        return None, DeadlineState.CANCELLED
    left = calendar.working_days_between(today, deadline.due_date)
    if deadline.status == Deadline.Status.MISSED and deadline.met_on:
        return left, DeadlineState.MISSED
    rule = rule_for(deadline.kind)
    if rule.flag_after is not None and deadline.met_on is None:
        if today <= calendar.add_working_days(deadline.anchor_date, rule.flag_after):
            return left, DeadlineState.AWAITING
    return left, state_by_date(deadline.due_date, left, today)


def state_by_date(due_date, left, today):
    """Overdue, due within 2, due soon or on track, from the date alone."""
    if due_date < today:
        return DeadlineState.OVERDUE
    if left <= DeadlineState.DUE_NOW_DAYS:
        return DeadlineState.DUE_NOW
    if left <= DeadlineState.DUE_SOON_DAYS:
        return DeadlineState.DUE_SOON
    return DeadlineState.ON_TRACK


def due_state(due_date, *, today, calendar):
    """(label, tag class) for something due on `due_date` (a request, an owed clock)."""
    left = calendar.working_days_between(today, due_date)
    state = state_by_date(due_date, left, today)
    return state[1], state[2]


def rows(deadlines, *, user=None, today=None, calendar=None, every_kind=False):
    """Deadlines as rows for a page: state, working days left and whom each waits on, in a
    fixed number of queries (one calendar, one per labeller) however many rows. With
    `every_kind`, the same queries whichever kinds of clock are among them: every labeller and
    every caseless owner is asked (`recipients.waits_on`). With `user`, a row's link is there
    only when its page lets them in (`links.href_for`)."""
    today = today or timezone.localdate()
    calendar = calendar or current_calendar()
    deadlines = list(deadlines)
    labels = (
        recipients.waits_on(deadlines, every_kind=every_kind) if deadlines or every_kind else {}
    )
    without_case = [d for d in deadlines if d.case_id is None]
    about = (
        caseless.describe(without_case, every_owner=every_kind)
        if without_case or every_kind
        else {}
    )
    result = []
    for deadline in deadlines:
        left, state = state_of(deadline, today, calendar)
        result.append(
            DeadlineRow(
                deadline,
                left,
                state,
                labels.get(deadline.id, ""),
                links.href_for(deadline, user),
                about.get(deadline.id, ""),
            )
        )
    return result


# What a list of clocks shows of each clock's case: its reference and pseudonym. The case's
# other columns, its outline among them (free text about the child), are not read.
CLOCK_COLUMNS = [
    f.name for f in Deadline._meta.concrete_fields if f.name not in ("created_at", "updated_at")
]


def with_case_label(deadlines):
    """The clocks with their cases' reference and pseudonym, in the same query."""
    return deadlines.select_related("case").only(
        *CLOCK_COLUMNS, "case__reference", "case__pseudonym"
    )


def whats_due(user):
    """Every unmet deadline the person may see, soonest first (overdue ones first of all)."""
    return with_case_label(Deadline.objects.visible_to(user).unmet()).order_by("due_date", "id")


def coming_up(user, today=None):
    """Unmet deadlines due today or later, soonest first: what What's due leads with, however
    large the overdue backlog."""
    return whats_due(user).filter(due_date__gte=today or timezone.localdate())


def with_cases(cut):
    """The clocks of a cut of a gated list (`whats_due(user)[:10]`, a page of it), with their
    cases, in its order. The cut is made before the cases are joined: a lead reviewer's
    "Coming up" joined each of the 1,200 unmet clocks on their 96 cases to its case, to keep
    10 (docs/performance.md, "Fifteenth round"). The ids come through the gate, so the clocks
    read by them need not pass it again. One query."""
    found = with_case_label(Deadline.objects.filter(pk__in=cut.values("pk")))
    return list(found.order_by(*cut.query.order_by))


def overdue(user, today=None):
    """The overdue backlog, oldest first: counted and paged, never cut off."""
    return whats_due(user).filter(due_date__lt=today or timezone.localdate())


def _case_clocks(case):
    """Every clock on the case but the cancelled, soonest first: one query, read once a page
    for the clocks panel and the headline above every section."""
    return for_this_page(
        ("case clocks", case.pk),
        lambda: list(
            case.deadlines.exclude(status=Deadline.Status.CANCELLED).order_by("due_date", "id")
        ),
    )


def _panel_rows_key(case):
    return ("case clock rows", case.pk)


def case_panel(request, case):
    """Every clock on the case, at the top of the case page."""
    return {
        "rows": for_this_page(
            _panel_rows_key(case), lambda: rows(_case_clocks(case), user=request.user)
        ),
        "can_chase": request.user.has_perm(RUN_CASES),
    }


def headline(request, case):
    """The case's next clock (overdue first) and whom it waits on, for the summary at the top
    of every section of the case page. A fixed few queries; none at all when the clocks
    panel has labelled every clock on the same page (the overview builds it first)."""
    unmet = [clock for clock in _case_clocks(case) if clock.is_unmet]
    if not unmet:
        return {"next": None, "more": 0}
    labelled = already_on_this_page(_panel_rows_key(case)) or []
    following = next((row for row in labelled if row.deadline.pk == unmet[0].pk), None)
    if following is None:
        following = rows(unmet[:1], user=request.user)[0]
    return {"next": following, "more": len(unmet) - 1}


def clocks_of(obj, kinds):
    """The clocks of the given kinds on one object (a notification, a rapid review...), as
    rows for a stage's panel: one query."""
    return rows(
        Deadline.objects.filter(
            case_id=obj.case_id,
            content_type=ContentType.objects.get_for_model(obj),
            object_id=obj.pk,
            kind__in=kinds,
        )
        .select_related("case")
        .exclude(status=Deadline.Status.CANCELLED)
        .order_by("due_date", "id")
    )


def clocks_on_case(case, kinds):
    """The case's clocks of the given kinds, whatever they belong to (D5 is the
    notification's, D6 the rapid review's), as rows: one query."""
    return rows(
        case.deadlines.filter(kind__in=kinds)
        .exclude(status=Deadline.Status.CANCELLED)
        .order_by("due_date", "id")
    )


def chaseable(case):
    """The clocks on a case that the PDEO may chase by hand now."""
    return case.deadlines.filter(kind__in=CHASEABLE_KINDS, met_on__isnull=True)
