"""D16 (papers to members) belongs to a meeting, not a case: who sees it, who is chased about
it and what it is about, registered with the deadlines' rule for clocks without a case
(safeguarding/deadlines/caseless.py). The partnership team that sends the papers (the PDEO and
the Business Manager) sees and is reminded of it; the chase escalates as usual."""

from django.urls import reverse

from safeguarding.accounts.models import User
from safeguarding.accounts.roles import RUN_PANEL, Role

from .models import Meeting

SENDERS = (Role.PDEO, Role.BUSINESS_MANAGER)


def visible_ids(user):
    if not user.has_perm(RUN_PANEL):
        return None
    return Meeting.objects.values("pk")


def recipients(deadlines):
    people = set(
        User.objects.filter(groups__name__in=SENDERS, is_active=True).values_list("pk", flat=True)
    )
    return {d.id: set(people) for d in deadlines}


def describe(deadlines):
    meetings = Meeting.objects.in_bulk([d.object_id for d in deadlines])
    return {
        d.id: str(meetings[d.object_id]) if d.object_id in meetings else "A CSPR Panel meeting"
        for d in deadlines
    }


def link(deadline):
    return reverse("panel:meeting", kwargs={"pk": deadline.object_id})


def waits_on(deadlines):
    return {d.id: "The partnership team (papers to the Panel)" for d in deadlines}
