"""Reads about the CSPR Panel. Meetings and membership are the partnership's own records (no
case detail): whoever may see the Panel sees them. Anything about a case on an agenda goes
through the case's gate."""

from django.shortcuts import get_object_or_404
from django.utils import timezone

from safeguarding.deadlines.models import Deadline
from safeguarding.deadlines.rules import Kind

from .models import Invitation, Meeting, PanelMember


def members():
    """Every membership, current and past, with who and whose deputy, in two queries' worth."""
    return PanelMember.objects.select_related("user", "agency", "deputy")


def current_members(day=None):
    return members().current_on(day or timezone.localdate())


def member_for(pk):
    return get_object_or_404(members(), pk=pk)


def invitees(meeting):
    """Who is invited: each member current on the meeting's date, and each one's deputy (with
    whom they deputise for). [(user, [memberships])], members first."""
    people = {}
    order = []
    for member in current_members(meeting.date):
        for person, deputising in ((member.user, None), (member.deputy, member)):
            if person.pk not in people:
                people[person.pk] = (person, [])
                order.append(person.pk)
            if deputising is not None:
                people[person.pk][1].append(deputising)
    return [people[pk] for pk in order if people[pk][0].is_active]


def meetings():
    return Meeting.objects.select_related("created_by")


def upcoming_meetings(today=None):
    today = today or timezone.localdate()
    return meetings().filter(date__gte=today).order_by("date", "start_time")


def past_meetings(today=None):
    today = today or timezone.localdate()
    return meetings().filter(date__lt=today).order_by("-date", "-start_time")


def meeting_for(pk):
    return get_object_or_404(meetings(), pk=pk)


def meeting_history(meeting):
    """Each version of the meeting, newest first (moves and cancellation included)."""
    return meeting.history.select_related("history_user").order_by("-history_date")


def invitations_of(meeting):
    return Invitation.objects.filter(meeting=meeting).select_related("recipient", "email")


def papers_deadline(meeting):
    """The meeting's D16 clock (papers to members), or None."""
    return Deadline.objects.filter(
        kind=Kind.MEETING_PAPERS,
        content_type__app_label="panel",
        content_type__model="meeting",
        object_id=meeting.pk,
    ).first()
