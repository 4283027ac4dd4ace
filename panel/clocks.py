"""D16 (papers to members) belongs to a meeting, not a case: who sees it, who is chased about
it and what it is about, registered with the deadlines' rule for clocks without a case
(safeguarding/deadlines/caseless.py). The partnership team that sends the papers (the PDEO and
the Business Manager) sees and is reminded of it; the chase escalates as usual."""

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from safeguarding.accounts.models import User
from safeguarding.accounts.roles import RUN_PANEL, Role
from safeguarding.deadlines import links
from safeguarding.deadlines.recipients import object_ids

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
    meetings = Meeting.objects.in_bulk(object_ids(deadlines))
    return {
        d.id: str(meetings[d.object_id]) if d.object_id in meetings else "A CSPR Panel meeting"
        for d in deadlines
    }


def link(deadline):
    """The meeting's page, for a meeting's D16; any other owner's clock of this kind keeps
    the default link."""
    if deadline.content_type_id == ContentType.objects.get_for_model(Meeting).id:
        return reverse("panel:meeting", kwargs={"pk": deadline.object_id})
    return links.case_page(deadline)
