"""The clocks on the home page: what the case lead owes ("Waiting for you"), reminders sent,
and what falls due next across the partnership."""

from django.urls import reverse
from django.utils import timezone

from safeguarding.accounts.roles import RUN_CASES, VIEW_WHATS_DUE, Role
from safeguarding.cases.selectors import cases_led_by
from safeguarding.home import LIST_LIMIT, Item, Owed, Section
from safeguarding.paths import path_for

from . import caseless, links, recipients, selectors
from .calendar import current_calendar
from .ladders import ladder_for
from .models import Deadline, Reminder
from .rules import Kind, rule_for


def case_lead_kinds():
    """The clocks the case lead owes: those the chase reminds the case lead about, which are
    chased at all and owed, not merely expected (the national Panel's reply)."""
    return [
        kind
        for kind in Kind.values
        if recipients.resolver_for(kind) is recipients.case_lead
        and ladder_for(kind).active
        and rule_for(kind).flag_after is None
    ]


def clocks_you_lead(user):
    """Waiting for you: the unmet clocks on the cases this person leads."""
    if not user.has_perm(RUN_CASES):
        return None
    return selectors.with_case_label(
        Deadline.objects.unmet().filter(kind__in=case_lead_kinds(), case__in=cases_led_by(user))
    ).order_by("due_date", "id")


def clock_items(deadlines, user):
    """Each clock's state from its dates alone (`state_of`): what an item shows. Whom it waits
    on is the reader, so it is not asked (`selectors.rows` would, with a query)."""
    today, calendar = timezone.localdate(), current_calendar()
    items = []
    for deadline in deadlines:  # each on a case the person leads (`clocks_you_lead`)
        _, state = selectors.state_of(deadline, today, calendar)
        items.append(
            Owed(
                text=deadline.get_kind_display(),
                href=links.href_or_case(deadline, user),
                case=f"{deadline.case.reference} – {deadline.case.pseudonym}",
                due=deadline.due_date,
                status=state[1],
                status_class=state[2],
                hint=deadline.rule,
            )
        )
    return items


def whats_due_href(user):
    return reverse("whats_due")


def _case_url(deadline, user):
    """The clock's case page; for a clock without a case, where its kind is done (What's due
    when that page would not let the person in)."""
    if deadline.case_id is None:
        return links.href_or_case(deadline, user)
    return path_for("cases:detail", deadline.case.reference)


def _subject(deadline, about):
    """The case's reference, or what a clock without a case is about."""
    if deadline.case_id is None:
        return about.get(deadline.id, caseless.UNDESCRIBED)
    return deadline.case.reference


def reminders(user):
    """The in-app copy of what we emailed this person: unmet deadlines they were reminded of."""
    recent = (
        Reminder.objects.filter(
            recipient=user,
            deadline__met_on__isnull=True,
            deadline__status__in=[Deadline.Status.OPEN, Deadline.Status.MISSED],
            deadline__in=Deadline.objects.visible_to(user),
        )
        .select_related("deadline__case")
        # What an item shows: the clock, and its case's reference only.
        .only(
            "day",
            *(f"deadline__{name}" for name in selectors.CLOCK_COLUMNS),
            "deadline__case__reference",
        )
        .order_by("-day", "-id")[: LIST_LIMIT * 3]
    )
    recent = list(recent)
    about = caseless.describe([r.deadline for r in recent if r.deadline.case_id is None])
    items, seen = [], set()
    for reminder in recent:
        deadline = reminder.deadline
        if deadline.id in seen:
            continue
        seen.add(deadline.id)
        items.append(
            Item(
                f"{_subject(deadline, about)}: {deadline.get_kind_display()}, due "
                f"{deadline.due_date:%-d %B %Y} (reminded {reminder.day:%-d %B})",
                _case_url(deadline, user),
            )
        )
    if not items:
        return None
    return Section(
        "Reminders for you",
        "Deadlines we have reminded you about that are not yet met.",
        "",
        items[:LIST_LIMIT],
    )


def whats_due(user):
    """What falls due next on the cases the person can see, whoever owes it: for the
    partnership's staff and its Panel. Not for someone who is only a Lead Reviewer (often
    independent of the partnership), whose home page has only their reviews and what they
    owe; the other clocks of their reviews are on each review's page and What's due."""
    if not user.has_perm(VIEW_WHATS_DUE) or user.role_names <= {Role.LEAD_REVIEWER}:
        return None
    # Each item links to its case (`_case_url`), so the rows need no links of their own.
    rows = selectors.rows(selectors.with_cases(selectors.coming_up(user)[:LIST_LIMIT]))
    return Section(
        "Coming up across the partnership",
        "The next deadlines on the cases you can see, and whom each waits on. Overdue ones are "
        "on What's due.",
        "Nothing is coming up.",
        [
            Item(
                f"{_subject(row.deadline, {row.deadline.id: row.about})}: "
                f"{row.deadline.get_kind_display()} – "
                f"{row.state_label.lower()}, due {row.deadline.due_date:%-d %B %Y}, waits on "
                f"{row.waits_on}",
                _case_url(row.deadline, user),
            )
            for row in rows
        ],
    )
