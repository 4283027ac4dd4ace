"""The clocks' sections of the home page: reminders sent, and what is due."""

from django.urls import reverse

from safeguarding.accounts.roles import VIEW_WHATS_DUE
from safeguarding.home import LIST_LIMIT, Item, Section

from . import selectors
from .models import Deadline, Reminder


def _case_url(deadline):
    return reverse("cases:detail", kwargs={"reference": deadline.case.reference})


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
        .order_by("-day", "-id")[: LIST_LIMIT * 3]
    )
    items, seen = [], set()
    for reminder in recent:
        deadline = reminder.deadline
        if deadline.id in seen:
            continue
        seen.add(deadline.id)
        items.append(
            Item(
                f"{deadline.case.reference}: {deadline.get_kind_display()}, due "
                f"{deadline.due_date:%-d %B %Y} (reminded {reminder.day:%-d %B})",
                _case_url(deadline),
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
    if not user.has_perm(VIEW_WHATS_DUE):
        return None
    rows = selectors.rows(selectors.whats_due(user)[:LIST_LIMIT])
    return Section(
        "What's due",
        "The soonest deadlines not yet met on the cases you can see.",
        "Nothing is due.",
        [
            Item(
                f"{row.deadline.case.reference}: {row.deadline.get_kind_display()} – "
                f"{row.state_label.lower()}, due {row.deadline.due_date:%-d %B %Y}",
                _case_url(row.deadline),
            )
            for row in rows
        ],
    )
