"""Reads about the CSPR Panel. Meetings and membership are the partnership's own records (no
case detail): whoever may see the Panel sees them. Anything about a case on an agenda goes
through the case's gate."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from safeguarding.accounts.models import User
from safeguarding.actions.models import Action
from safeguarding.cases.models import Case, ConflictOfInterest
from safeguarding.contributions.models import Document
from safeguarding.deadlines.models import Deadline
from safeguarding.deadlines.rules import Kind
from safeguarding.history import history_of
from safeguarding.page_memo import for_this_page

from .models import (
    QUORACY_PARTNERS,
    AgendaItem,
    Attendance,
    Escalation,
    HighlightReport,
    Invitation,
    IssuedHighlightReport,
    Meeting,
    PanelDecision,
    PanelMember,
)
from .quoracy import quoracy


def members():
    """Every membership, current and past, with who and whose deputy, in two queries' worth."""
    return PanelMember.objects.select_related("user", "agency", "deputy")


def current_members(day=None):
    """The memberships current on the day: read once a page, where the attendance and the
    invitations both list them (a meeting's page)."""
    day = day or timezone.localdate()
    return for_this_page(("panel members on", day), lambda: list(members().current_on(day)))


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


# What a row of the meetings page shows: not who set the meeting up (their account).
_LISTED = ("kind", "title", "date", "start_time", "end_time", "place", "status")


def upcoming_meetings(today=None):
    today = today or timezone.localdate()
    upcoming = Meeting.objects.filter(date__gte=today).only(*_LISTED)
    return upcoming.order_by("date", "start_time")


def past_meetings(today=None):
    today = today or timezone.localdate()
    past = Meeting.objects.filter(date__lt=today).only(*_LISTED)
    return past.order_by("-date", "-start_time")


def meeting_for(pk):
    return get_object_or_404(meetings(), pk=pk)


def meeting_history(meeting):
    """Each version of the meeting, newest first (moves and cancellation included)."""
    return (
        history_of(Meeting)
        .filter(id=meeting.id)
        .select_related("history_user")
        .order_by("-history_date")
    )


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


# --- Agenda, attendance, quoracy -------------------------------------------------------


def items_of(meeting):
    return (
        AgendaItem.objects.filter(meeting=meeting)
        .select_related("case", "minutes_approved_at")
        .prefetch_related("papers", "declarations__person")
    )


def item_for(meeting_pk, item_pk, *, user):
    """An item of the meeting; a 404 to someone with a conflict of interest on its case, who
    has lost the whole case."""
    item = get_object_or_404(
        AgendaItem.objects.select_related("meeting", "case", "minutes_approved_at"),
        meeting_id=meeting_pk,
        pk=item_pk,
    )
    if item.case_id and ConflictOfInterest.objects.filter(case=item.case, user=user).exists():
        raise Http404("No such item")
    return item


def attendance_of(meeting):
    """Each member current on the meeting's date, with their attendance (None: not recorded
    yet). [(member, attendance or None)]"""
    recorded = {
        a.member_id: a for a in Attendance.objects.filter(meeting=meeting).select_related("member")
    }
    return [(m, recorded.get(m.pk)) for m in current_members(meeting.date)]


def in_the_room(attendance):
    """(partner, person id) for each member present, or deputy there in a member's place."""
    return [
        (member.partner, a.attendee_id)
        for member, a in attendance
        if a is not None and a.attendee_id is not None
    ]


def interested_in(item, conflicted_by_case=None):
    """Who may not decide on the item: an interest declared on it, or a conflict of interest
    declared on its case."""
    people = {d.person_id for d in item.declarations.all()}
    if item.case_id:
        if conflicted_by_case is None:
            people |= set(
                ConflictOfInterest.objects.filter(case_id=item.case_id).values_list(
                    "user_id", flat=True
                )
            )
        else:
            people |= conflicted_by_case.get(item.case_id, set())
    return people


def quoracy_of(item, attendance=None, conflicted_by_case=None):
    if attendance is None:
        attendance = attendance_of(item.meeting)
    return quoracy(in_the_room(attendance), interested_in(item, conflicted_by_case))


def agenda(meeting):
    """The items with each one's quoracy, in a fixed number of queries."""
    items = list(items_of(meeting))
    attendance = attendance_of(meeting)
    conflicted = {}
    case_ids = {i.case_id for i in items if i.case_id}
    for case_id, user_id in ConflictOfInterest.objects.filter(case_id__in=case_ids).values_list(
        "case_id", "user_id"
    ):
        conflicted.setdefault(case_id, set()).add(user_id)
    return [(item, quoracy_of(item, attendance, conflicted)) for item in items], attendance


def withheld_from(user):
    """The cases this person declared a conflict of interest on. They have lost the whole case
    (the gate), so an agenda item about one shows them only its number: never its heading
    (the case's reference and pseudonym, and a title in free text), papers, decisions or
    minutes, on the meeting page or in their copy of the minutes. One query, however long
    the agenda."""
    return set(ConflictOfInterest.objects.filter(user=user).values_list("case_id", flat=True))


def documents_for_papers(item):
    """The case's documents that may be attached as papers."""
    if not item.case_id:
        return Document.objects.none()
    return Document.objects.filter(case_id=item.case_id).select_related("agency")


def case_by_reference(user, reference):
    """A case the person may see, by its reference (None if there is none)."""
    return Case.objects.visible_to(user).filter(reference__iexact=reference).first()


def people_of(meeting):
    """Members current on the meeting's date and their deputies: who may declare an interest."""
    ids = set()
    for member in current_members(meeting.date):
        ids |= {member.user_id, member.deputy_id}
    return User.objects.filter(pk__in=ids).order_by("full_name")


def people_by_partner(day=None):
    """For each safeguarding partner, the current members and deputies who speak for it."""
    ids = {}
    for member in current_members(day):
        ids.setdefault(member.partner, set()).update({member.user_id, member.deputy_id})
    return {
        p: User.objects.filter(pk__in=ids.get(p, set())).order_by("full_name")
        for p in QUORACY_PARTNERS
    }


def decisions_of(item):
    return item.decisions.select_related("decided_by", "recorded_by")


def virtual_decisions(case):
    return (
        PanelDecision.objects.filter(case=case, is_virtual=True)
        .select_related("decided_by", "recorded_by")
        .prefetch_related("agreements__person")
    )


# --- The action log ---------------------------------------------------------------------
# Always through the actions gate (Action.objects.visible_to): the partnership team see every
# action they may oversee, a member their own agency's.


def _logged(queryset):
    return queryset.select_related(
        "case", "owner_agency", "owner", "panel_escalation", "source_type"
    ).order_by("due_date", "id")


def _from_meeting(meeting):
    """Actions whose source is the meeting or one of its items."""
    return Q(source_type=ContentType.objects.get_for_model(Meeting), source_id=meeting.pk) | Q(
        source_type=ContentType.objects.get_for_model(AgendaItem),
        source_id__in=AgendaItem.objects.filter(meeting=meeting).values("pk"),
    )


def meeting_actions(user, meeting):
    return _logged(Action.objects.visible_to(user).filter(_from_meeting(meeting)))


ACTION_LOG_FILTERS = ("overdue", "escalated")


def action_log(user, *, overdue=False, escalated=False, today=None):
    """The Panel's action log across meetings: every action from it, and any action it has
    escalated to the Executive Group."""
    actions = Action.objects.visible_to(user).filter(
        Q(source=Action.Source.ACTION_LOG) | Q(panel_escalation__isnull=False)
    )
    if overdue:
        actions = actions.overdue(today)
    if escalated:
        actions = actions.filter(panel_escalation__isnull=False)
    return _logged(actions)


def meetings_of(actions):
    """{action id: meeting} for the actions that came from a meeting or one of its items, in
    two queries however many actions."""
    meeting_type = ContentType.objects.get_for_model(Meeting)
    item_type = ContentType.objects.get_for_model(AgendaItem)
    by_item = {a.pk: a.source_id for a in actions if a.source_type_id == item_type.pk}
    by_meeting = {a.pk: a.source_id for a in actions if a.source_type_id == meeting_type.pk}
    item_meeting = dict(
        AgendaItem.objects.filter(pk__in=set(by_item.values())).values_list("pk", "meeting_id")
    )
    wanted = set(by_meeting.values()) | set(item_meeting.values())
    meetings = Meeting.objects.in_bulk(wanted) if wanted else {}
    found = {pk: meetings.get(m) for pk, m in by_meeting.items()}
    found |= {pk: meetings.get(item_meeting.get(i)) for pk, i in by_item.items()}
    return {pk: m for pk, m in found.items() if m is not None}


def action_to_escalate(user, pk):
    """An unfinished action the person may see, not yet escalated (else a 404)."""
    return get_object_or_404(
        Action.objects.visible_to(user).unfinished().filter(panel_escalation__isnull=True),
        pk=pk,
    )


def escalations_listed(today=None):
    """What the highlight report lists: each escalation whose action is still unfinished."""
    return (
        Escalation.objects.filter(action__status__in=Action.UNFINISHED)
        .select_related("action__case", "action__owner_agency", "meeting")
        .order_by("escalated_on", "id")
    )


# --- Highlight reports -------------------------------------------------------------------


def issued_reports():
    return IssuedHighlightReport.objects.select_related("report", "issued_by").order_by(
        "-issued_at", "-id"
    )


def issued_report_for(pk):
    return get_object_or_404(issued_reports(), pk=pk)


def draft_reports():
    """Every report the Business Manager and PDEO work on, with its latest version number."""
    return HighlightReport.objects.select_related("created_by").annotate(versions=Count("issues"))


def highlight_report_for(pk):
    return get_object_or_404(draft_reports(), pk=pk)


def versions_of(report):
    return issued_reports().filter(report=report)
