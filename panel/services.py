"""Changes to the CSPR Panel: membership, meetings and their invitations. One transaction
each; change history by simple-history; emails through the outbox, in the same transaction."""

from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone

from cspr import services as cspr
from cspr.models import Approval, LocalReview
from notifications import services as notifications
from notifications.models import Referral
from rapid_reviews import services as rapid_reviews
from rapid_reviews.models import RapidReview
from safeguarding.accounts.models import User
from safeguarding.accounts.roles import CONDUCT_PANEL, RUN_PANEL, Role
from safeguarding.actions import services as actions
from safeguarding.actions.models import Action
from safeguarding.cases import services as case_services
from safeguarding.cases.models import Case, CaseTeamMember, ConflictOfInterest
from safeguarding.cases.selectors import conflicted_on
from safeguarding.deadlines import services as deadlines
from safeguarding.deadlines.calendar import current_calendar
from safeguarding.deadlines.rules import Kind, rule_for
from safeguarding.files import services as file_services
from safeguarding.outbox import services as outbox
from safeguarding.outbox.models import OutboundEmail
from safeguarding.workflow import ConcurrentEdit

from . import files, highlight, invitations, selectors
from .models import (
    QUORACY_PARTNERS,
    AgendaItem,
    Attendance,
    Declaration,
    Escalation,
    HighlightReport,
    Invitation,
    IssuedHighlightReport,
    Meeting,
    PanelCaseAccess,
    PanelDecision,
    PanelMember,
    Partner,
    PartnerAgreement,
)

# Roles only one current member holds at a time.
SINGLE_ROLES = (PanelMember.PanelRole.CHAIR, PanelMember.PanelRole.DEPUTY_CHAIR)


def _require(user, permission):
    if not user.has_perm(permission):
        raise PermissionDenied(permission)


def _check_version(model, obj, expected_version):
    current = model.objects.select_for_update().get(pk=obj.pk)
    if expected_version is not None and int(expected_version) != current.version:
        raise ConcurrentEdit
    return current


# --- Membership -------------------------------------------------------------------------


def _check_member(member):
    errors = {}
    if member.deputy_id == member.user_id:
        errors["deputy"] = "A member cannot be their own deputy: name someone else"
    if member.end_date and member.end_date < member.start_date:
        errors["end_date"] = "The end date must be on or after the start date"
    others = PanelMember.objects.exclude(pk=member.pk)
    overlapping = others.filter(user=member.user).filter(
        _overlaps(member.start_date, member.end_date)
    )
    if overlapping.exists():
        errors["user"] = f"{member.user} is already a member of the Panel for these dates"
    if member.panel_role in SINGLE_ROLES:
        holder = (
            others.filter(panel_role=member.panel_role)
            .filter(_overlaps(member.start_date, member.end_date))
            .select_related("user")
            .first()
        )
        if holder is not None:
            errors["panel_role"] = (
                f"The Panel has one {member.get_panel_role_display()}: {holder.user} holds the "
                "role for these dates. End their membership first."
            )
    if errors:
        raise ValidationError(errors)


def _overlaps(start, end):
    q = Q(end_date__isnull=True) | Q(end_date__gte=start)
    if end is not None:
        q &= Q(start_date__lte=end)
    return q


def _partner(agency, panel_role):
    """The partner a member speaks for: their agency's, when it is the local authority, the
    police or the ICB. The Business Manager runs the Panel and speaks for no partner."""
    if panel_role == PanelMember.PanelRole.BUSINESS_MANAGER:
        return Partner.OTHER
    return Partner.of_agency(agency)


@transaction.atomic
def add_member(*, user, person, agency, panel_role, deputy, start_date, end_date=None):
    """A new member of the Panel with their one named deputy. Their partner (for quoracy)
    follows their agency: the local authority, the police, the ICB, or other."""
    _require(user, RUN_PANEL)
    member = PanelMember(
        user=person,
        agency=agency,
        partner=_partner(agency, panel_role),
        panel_role=panel_role,
        deputy=deputy,
        start_date=start_date,
        end_date=end_date,
    )
    _check_member(member)
    member._change_reason = "added"
    member.save()
    return member


@transaction.atomic
def update_member(*, user, member, expected_version, panel_role, start_date, end_date=None):
    _require(user, RUN_PANEL)
    member = _check_version(PanelMember, member, expected_version)
    member.panel_role, member.start_date, member.end_date = panel_role, start_date, end_date
    member.partner = _partner(member.agency, panel_role)
    _check_member(member)
    member.version += 1
    member._change_reason = "details changed"
    member.save()
    return member


@transaction.atomic
def name_deputy(*, user, member, deputy, replace=False):
    """Each member has exactly one named deputy: naming another replaces the one they have,
    and only when the person says so; a second deputy beside the first is refused."""
    _require(user, RUN_PANEL)
    member = PanelMember.objects.select_for_update().select_related("deputy").get(pk=member.pk)
    if member.deputy_id == deputy.pk:
        raise ValidationError({"deputy": f"{deputy} is already {member.user}'s deputy"})
    if member.deputy_id and not replace:
        raise ValidationError(
            {
                "deputy": (
                    f"{member.user} already has a named deputy, {member.deputy}. Each member "
                    f"has exactly one deputy: choose to replace {member.deputy} to name "
                    "someone else."
                )
            }
        )
    member.deputy = deputy
    _check_member(member)
    member.version += 1
    member._change_reason = f"deputy replaced by {deputy}"
    member.save()
    return member


# --- Meetings ---------------------------------------------------------------------------


def _check_meeting(meeting, *, today):
    errors = {}
    if meeting.date < today:
        errors["date"] = "The meeting must be today or later: a meeting cannot be set in the past"
    if meeting.start_time and meeting.end_time and meeting.end_time <= meeting.start_time:
        errors["end_time"] = "The meeting must end after it starts"
    if not (meeting.place or meeting.online_link):
        errors["place"] = "Enter where the meeting is, or the link to join it online"
    if errors:
        raise ValidationError(errors)


def nth_weekday(year, month, weekday, n):
    """The nth (1-4) weekday (0 = Monday) of a month."""
    first = date(year, month, 1)
    return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))


def regular_dates(first, *, count=6, every_months=2):
    """Every other month from `first`, on the same weekday of the month (the second Tuesday
    stays the second Tuesday), moved to the next working day when that is a bank holiday or a
    closure day."""
    calendar = current_calendar()
    n = (first.day - 1) // 7 + 1
    dates = []
    for i in range(count):
        index = first.month - 1 + i * every_months
        year, month = first.year + index // 12, index % 12 + 1
        day = nth_weekday(year, month, first.weekday(), n)
        while not calendar.is_working_day(day):
            day += timedelta(days=1)
        dates.append(day)
    return dates


@transaction.atomic
def schedule_regular_meetings(
    *, user, first_date, start_time, end_time, place="", online_link="", count=6
):
    """The year's regular meetings: every other month from `first_date`, a year ahead (six).
    A date that already has a regular meeting is left as it is."""
    _require(user, RUN_PANEL)
    today = timezone.localdate()
    made = []
    for day in regular_dates(first_date, count=count):
        if Meeting.objects.filter(kind=Meeting.Kind.REGULAR, date=day).exists():
            continue
        made.append(
            _create_meeting(
                user=user,
                kind=Meeting.Kind.REGULAR,
                day=day,
                start_time=start_time,
                end_time=end_time,
                place=place,
                online_link=online_link,
                today=today,
            )
        )
    if not made:
        raise ValidationError(
            {"first_date": "Those dates already have their regular meetings: nothing was added"}
        )
    return made


@transaction.atomic
def call_extraordinary_meeting(
    *, user, day, start_time, end_time, place="", online_link="", title=""
):
    """A meeting called at short notice (a rapid review within its 15 working days)."""
    _require(user, RUN_PANEL)
    return _create_meeting(
        user=user,
        kind=Meeting.Kind.EXTRAORDINARY,
        day=day,
        start_time=start_time,
        end_time=end_time,
        place=place,
        online_link=online_link,
        title=title or "Extraordinary CSPR Panel meeting",
        today=timezone.localdate(),
    )


def _create_meeting(*, user, kind, day, start_time, end_time, place, online_link, today, title=""):
    meeting = Meeting(
        kind=kind,
        date=day,
        start_time=start_time,
        end_time=end_time,
        place=place,
        online_link=online_link,
        called_on=today,
        created_by=user,
    )
    if title:
        meeting.title = title
    _check_meeting(meeting, today=today)
    meeting._change_reason = "scheduled" if kind == Meeting.Kind.REGULAR else "called"
    meeting.save()
    after_meeting_set(meeting)
    send_invitations(meeting=meeting)
    return meeting


@transaction.atomic
def move_meeting(
    *,
    user,
    meeting,
    expected_version,
    day,
    start_time,
    end_time,
    place="",
    online_link="",
    reason="",
):
    """A new date, time or place. The calendar event keeps its UID; SEQUENCE goes up, so each
    person's calendar moves it rather than adding a second one. Never into the past."""
    _require(user, RUN_PANEL)
    meeting = _check_version(Meeting, meeting, expected_version)
    if meeting.is_cancelled:
        raise ValidationError("The meeting has been cancelled: call a new one instead")
    changes = {
        "date": day,
        "start_time": start_time,
        "end_time": end_time,
        "place": place,
        "online_link": online_link,
    }
    if all(getattr(meeting, k) == v for k, v in changes.items()):
        raise ValidationError("Nothing has changed: change the date, time or place")
    for name, value in changes.items():
        setattr(meeting, name, value)
    _check_meeting(meeting, today=timezone.localdate())
    meeting.sequence += 1
    meeting.version += 1
    meeting.change_reason = reason
    meeting._change_reason = f"moved: {reason}" if reason else "moved"
    meeting.save()
    after_meeting_set(meeting)
    send_invitations(meeting=meeting)
    return meeting


@transaction.atomic
def cancel_meeting(*, user, meeting, expected_version=None, reason=""):
    """Cancelled, not deleted: the meeting stays with its history, and each calendar removes
    the event (METHOD:CANCEL, same UID, higher SEQUENCE)."""
    _require(user, RUN_PANEL)
    meeting = _check_version(Meeting, meeting, expected_version)
    if meeting.is_cancelled:
        raise ValidationError("The meeting is already cancelled")
    if meeting.date < timezone.localdate():
        raise ValidationError("The meeting has taken place: it cannot be cancelled now")
    meeting.status = Meeting.Status.CANCELLED
    meeting.sequence += 1
    meeting.version += 1
    meeting.change_reason = reason
    meeting._change_reason = f"cancelled: {reason}" if reason else "cancelled"
    meeting.save()
    after_meeting_cancelled(meeting)
    send_invitations(meeting=meeting, method=Invitation.Method.CANCEL)
    return meeting


def papers_due(meeting, *, today):
    """D16: papers to members 5 working days before the meeting (configurable), or the day
    the meeting is set when it is set at shorter notice than that."""
    rule = rule_for(Kind.MEETING_PAPERS)
    return max(rule.due_date(meeting.date, current_calendar()), today)


def after_meeting_set(meeting):
    """The meeting's D16 clock, opened or recomputed from its (new) date. It belongs to the
    meeting, not to a case (seen and chased as panel/apps.py registers)."""
    deadlines.open_deadline(
        kind=Kind.MEETING_PAPERS,
        obj=meeting,
        case=None,
        anchor_date=meeting.date,
        due_date=papers_due(meeting, today=timezone.localdate()),
    )
    if meeting.papers_sent_on:
        deadlines.record_event(kind=Kind.MEETING_PAPERS, obj=meeting, on=meeting.papers_sent_on)


def after_meeting_cancelled(meeting):
    deadlines.cancel_deadline(kind=Kind.MEETING_PAPERS, obj=meeting)


def send_invitations(*, meeting, method=Invitation.Method.REQUEST):
    """One calendar email per person: each current member and each member's deputy, and (for
    an update or a cancellation) anyone invited before who is no longer on the list, so no
    calendar keeps a stale event."""
    invitees = selectors.invitees(meeting)
    earlier = Invitation.objects.filter(meeting=meeting).exclude(
        recipient__in=[p for p, _ in invitees]
    )
    people = list(invitees)
    for invitation in earlier.select_related("recipient").distinct():
        if all(p != invitation.recipient for p, _ in people):
            people.append((invitation.recipient, ()))
    everyone = [p for p, _ in people]
    url = outbox.absolute_url(reverse("panel:meeting", kwargs={"pk": meeting.pk}))
    # Someone dropped from the list gets a cancellation, whatever the meeting's state.
    current_ids = {p.pk for p, _ in invitees}
    subject_for = {
        Invitation.Method.CANCEL: f"Cancelled: {meeting.title}, {meeting.date:%-d %B %Y}",
        Invitation.Method.REQUEST: (
            f"Moved: {meeting.title}, now {meeting.date:%-d %B %Y}"
            if meeting.sequence
            else f"{meeting.title}, {meeting.date:%-d %B %Y}"
        ),
    }
    for person, deputy_for in people:
        person_method = method if person.pk in current_ids else Invitation.Method.CANCEL
        ics = invitations.build_ics(meeting, method=person_method, attendees=everyone)
        email = outbox.queue_email(
            recipient=person,
            kind=OutboundEmail.Kind.NOTICE,
            subject=subject_for[person_method],
            template="panel_meeting",
            context={
                "meeting": meeting,
                "method": person_method,
                "as_deputy_for": [str(m.user) for m in deputy_for],
                "url": url,
            },
            attachment=(
                invitations.filename(meeting),
                ics,
                invitations.content_type(person_method),
            ),
        )
        Invitation.objects.update_or_create(
            meeting=meeting,
            recipient=person,
            sequence=meeting.sequence,
            defaults={"method": person_method, "email": email},
        )


# --- Agenda and the need-to-know rule ---------------------------------------------------


def _open_meeting(meeting):
    if meeting.is_cancelled:
        raise ValidationError("The meeting has been cancelled")


@transaction.atomic
def add_item(*, user, meeting, kind, case=None, title="", learning_source=""):
    """An item on the agenda. Referrals, rapid reviews and local review decisions are about
    one case and must name it; the case must be one the person may see."""
    _require(user, RUN_PANEL)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _open_meeting(meeting)
    errors = {}
    if kind in AgendaItem.CASE_KINDS and case is None:
        errors["case"] = "Enter the reference of the case this item is about"
    if case is not None and not Case.objects.visible_to(user).filter(pk=case.pk).exists():
        errors["case"] = "There is no case with that reference"
    if kind == AgendaItem.Kind.LEARNING and not learning_source:
        errors["learning_source"] = "Choose which review the learning is from"
    if errors:
        raise ValidationError(errors)
    number = (meeting.items.aggregate(n=Max("number"))["n"] or 0) + 1
    item = AgendaItem.objects.create(
        meeting=meeting,
        number=number,
        kind=kind,
        case=case,
        title=title,
        learning_source=learning_source if kind == AgendaItem.Kind.LEARNING else "",
    )
    if case is not None:
        sync_case_access(case=case, by=user)
    return item


@transaction.atomic
def set_papers(*, user, item, documents):
    """The papers for an item: documents of its own case only."""
    _require(user, RUN_PANEL)
    item = AgendaItem.objects.select_for_update().get(pk=item.pk)
    if item.is_closed:
        raise ValidationError("The item is closed in the minutes: its papers cannot change")
    if any(d.case_id != item.case_id for d in documents):
        raise ValidationError({"documents": "Choose papers from this case's documents only"})
    item.papers.set(documents)
    item.version += 1
    item.save(update_fields=["version"])
    return item


@transaction.atomic
def send_papers(*, user, meeting, sent_on=None):
    """The papers go to the members (D16 met). From now until each item is closed, each
    member, or the deputy of one who sent apologies, reads that item's case."""
    _require(user, RUN_PANEL)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _open_meeting(meeting)
    if meeting.papers_sent_on:
        raise ValidationError(f"The papers were sent on {meeting.papers_sent_on:%-d %B %Y}")
    sent_on = sent_on or timezone.localdate()
    meeting.papers_sent_on = sent_on
    meeting.version += 1
    meeting._change_reason = "papers sent"
    meeting.save()
    after_papers_sent(meeting)
    for case in _cases_on(meeting):
        sync_case_access(case=case, by=user)
    return meeting


def after_papers_sent(meeting):
    deadlines.record_event(kind=Kind.MEETING_PAPERS, obj=meeting, on=meeting.papers_sent_on)


def _cases_on(meeting):
    return Case.objects.filter(panel_items__meeting=meeting).distinct()


def _item_is_live(item, rapid_review_signed_off):
    """Papers sent and not yet closed: for a rapid review, until its third sign-off."""
    meeting = item.meeting
    if meeting.papers_sent_on is None or meeting.is_cancelled:
        return False
    if item.kind == AgendaItem.Kind.RAPID_REVIEW and rapid_review_signed_off is not None:
        return not rapid_review_signed_off
    return not item.is_closed


def needs_to_know(case):
    """Who the Panel's agenda puts on the case's team now: for each live item about it, each
    member current on the meeting's date, or their deputy where they sent apologies."""
    review = RapidReview.objects.filter(case=case).first()
    signed_off = None if review is None else review.sign_offs.count() >= len(QUORACY_PARTNERS)
    people = set()
    items = AgendaItem.objects.filter(case=case).select_related("meeting")
    for item in items:
        if not _item_is_live(item, signed_off):
            continue
        statuses = dict(
            Attendance.objects.filter(meeting=item.meeting).values_list("member_id", "status")
        )
        for member in PanelMember.objects.current_on(item.meeting.date):
            away = statuses.get(member.pk) in (
                Attendance.Status.APOLOGIES,
                Attendance.Status.DEPUTY,
            )
            people.add(member.deputy_id if away else member.user_id)
    conflicted = conflicted_on(case.pk)
    return people - conflicted


@transaction.atomic
def sync_case_access(*, case, by):
    """Put on the case's team whoever the agenda says needs to know, and take off whoever the
    Panel put there and no longer does. People added by hand are left alone."""
    wanted = needs_to_know(case)
    have = {a.user_id: a for a in PanelCaseAccess.objects.filter(case=case)}
    role = CaseTeamMember.Role.PANEL_MEMBER
    for user_id in wanted - set(have):
        already = CaseTeamMember.objects.filter(case=case, user_id=user_id, role=role).exists()
        if not already:
            case_services.add_team_member(
                case=case, user=User.objects.get(pk=user_id), role=role, added_by=by
            )
        PanelCaseAccess.objects.create(case=case, user_id=user_id, granted_team_role=not already)
    for user_id in set(have) - wanted:
        access = have[user_id]
        if access.granted_team_role:
            member = CaseTeamMember.objects.filter(case=case, user_id=user_id, role=role).first()
            if member is not None:
                case_services.remove_team_member(member=member)
        access.delete()


def rapid_review_signed_off(*, review, user):
    """Registered with the rapid review: its third sign-off ends the Panel's access."""
    sync_case_access(case=review.case, by=user)


# --- Attendance and declarations --------------------------------------------------------


@transaction.atomic
def record_attendance(*, user, meeting, statuses):
    """statuses: {member: status}. Apologies move the member's access to their deputy at once."""
    _require(user, CONDUCT_PANEL)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _open_meeting(meeting)
    current = {m.pk for m in PanelMember.objects.current_on(meeting.date)}
    for member, status in statuses.items():
        if member.pk not in current:
            raise ValidationError(f"{member.user} is not a member of the Panel on that date")
        if not status:
            continue
        row = Attendance.objects.filter(meeting=meeting, member=member).first()
        if row is None:
            Attendance.objects.create(
                meeting=meeting, member=member, status=status, recorded_by=user
            )
        elif row.status != status:
            row.status, row.recorded_by, row.recorded_at = status, user, timezone.now()
            row.save()
    for case in _cases_on(meeting):
        sync_case_access(case=case, by=user)
    return meeting


@transaction.atomic
def declare_interest(*, user, item, person, nature):
    """The person takes no part in this item's decision and does not count to its quoracy."""
    _require(user, CONDUCT_PANEL)
    if item.decisions.exists():
        raise ValidationError("The item's decision is recorded: interests are declared before it")
    declaration, created = Declaration.objects.get_or_create(
        item=item, person=person, defaults={"nature": nature, "recorded_by": user}
    )
    if not created:
        raise ValidationError({"person": f"{person} has already declared an interest here"})
    return declaration


@transaction.atomic
def write_minutes(*, user, item, minutes, close=False, expected_version=None):
    """Draft the item's minutes; closing the item there ends the Panel's access to its case
    (a rapid review's at its third sign-off). Approved minutes are read-only."""
    _require(user, RUN_PANEL)
    item = AgendaItem.objects.select_for_update().select_related("meeting").get(pk=item.pk)
    if expected_version is not None and int(expected_version) != item.version:
        raise ConcurrentEdit
    _minutes_editable(item)
    if not minutes.strip():
        raise ValidationError({"minutes": "Enter the minutes of the item"})
    if item.meeting.date > timezone.localdate():
        raise ValidationError({"minutes": "The meeting has not happened yet"})
    item.minutes = minutes
    if close and not item.closed_on:
        item.closed_on = timezone.localdate()
    item.version += 1
    item.save()
    if item.case_id:
        sync_case_access(case=item.case, by=user)
    return item


def _minutes_editable(item):
    if item.minutes_approved:
        raise ValidationError(
            {
                "minutes": "These minutes were approved on "
                f"{item.minutes_approved_on:%-d %B %Y} and can no longer be changed"
            }
        )


# --- Decisions --------------------------------------------------------------------------
# The Panel orchestrates; each decision's rules are its owning app's (rapid_reviews for a
# rapid review's recommendation, notifications for a referral's screening).

CHAIR_ROLES = (Role.PANEL_CHAIR, Role.DEPUTY_CHAIR)


def _chair_in_the_room(meeting, attendance):
    """The Chair if present, else the Deputy Chair if present: whom the PDEO records for."""
    present = {m.panel_role: m.user for m, a in attendance if a and a.status == "present"}
    return present.get(PanelMember.PanelRole.CHAIR) or present.get(
        PanelMember.PanelRole.DEPUTY_CHAIR
    )


def who_was_present(attendance):
    """The attendance in words: who was there, for whom, and who sent apologies."""
    there, away = [], []
    for member, a in attendance:
        role = f"{member.get_panel_role_display()}, {member.agency}"
        if a is None:
            continue
        if a.status == Attendance.Status.PRESENT:
            there.append(f"{member.user} ({role})")
        elif a.status == Attendance.Status.DEPUTY:
            there.append(f"{member.deputy} (deputy for {member.user}, {member.agency})")
        else:
            away.append(f"{member.user} ({role})")
    text = "Present: " + "; ".join(there) if there else "Present: no one recorded"
    if away:
        text += ". Apologies: " + "; ".join(away)
    return text


def _decider(user, *, chair_in_room):
    """The Chair or Deputy Chair decides; the PDEO records on the Chair's behalf."""
    if user.has_role(*CHAIR_ROLES):
        return user, False
    if chair_in_room is None:
        raise ValidationError(
            "The Chair or the Deputy Chair must be at the meeting (recorded in the attendance) "
            "for the PDEO to record a decision on their behalf"
        )
    return chair_in_room, True


def _meeting_decision_checks(*, user, item):
    """Who decides, who was present, and the refusals: not quorate, an interest declared."""
    _require(user, CONDUCT_PANEL)
    meeting = item.meeting
    if meeting.is_cancelled:
        raise ValidationError("The meeting was cancelled: record the decision virtually")
    if meeting.date > timezone.localdate():
        raise ValidationError("The meeting has not happened yet")
    if item.decisions.exists():
        raise ValidationError("The decision on this item is already recorded")
    attendance = selectors.attendance_of(meeting)
    quorate = selectors.quoracy_of(item, attendance)
    if not quorate:
        raise ValidationError(f"The decision cannot be recorded: {quorate.explain()}")
    decider, on_behalf = _decider(user, chair_in_room=_chair_in_the_room(meeting, attendance))
    interested = selectors.interested_in(item)
    if decider.pk in interested:
        raise ValidationError(
            f"{decider} declared an interest in this item and takes no part in its decision"
        )
    if decider.pk not in {p for _, p in selectors.in_the_room(attendance)}:
        raise ValidationError(f"{decider} is not recorded as present at this meeting")
    return decider, on_behalf, who_was_present(attendance)


def _decide_rapid_review(
    *,
    user,
    item,
    present,
    decision,
    rationale,
    national_review_view,
    other_learning_activity="",
    national_review_reason="",
):
    """The Panel's recommendation on a rapid review, through the rapid review's own service
    (the three partners' sign-off still makes it their decision)."""
    review = RapidReview.objects.filter(case=item.case).first()
    if review is None:
        raise ValidationError("The rapid review has not been started on this case")
    rapid_reviews.record_decision(
        review=review,
        user=user,
        decision=decision,
        rationale=rationale,
        national_review_view=national_review_view,
        national_review_reason=national_review_reason,
        other_learning_activity=other_learning_activity,
        decided_on=item.meeting.date,
        decided_at_meeting=f"{item.meeting}. {present}",
    )
    return (
        PanelDecision.Kind.RAPID_REVIEW,
        f"Rapid review: {RapidReview.Decision(decision).label}",
    )


def _decide_referral(
    *, user, item, present, decision, reason, not_accepted_reason="", la_aware_on=None
):
    """The Panel's decision on a referral it considers, through the referral's own screening."""
    referral = Referral.objects.filter(case=item.case).first()
    if referral is None:
        raise ValidationError("There is no referral on this case")
    try:
        notifications.screen_referral(
            referral=referral,
            user=user,
            decision=decision,
            reason=reason,
            not_accepted_reason=not_accepted_reason,
            la_aware_on=la_aware_on,
        )
    except notifications.AlreadyScreened as already:
        raise ValidationError("This referral has already been screened") from already
    return PanelDecision.Kind.REFERRAL, f"Referral: {Referral.Decision(decision).label}"


def _decide_local_review(
    *, user, item, present, decision, reasons, learning_activity="", key_lines_of_enquiry=""
):
    """The Panel's decision whether to hold a local review of a case (one without a rapid
    review whose partners' sign-off decides it), through the local review's own services: to
    hold one (its D7 and D8 clocks run from the meeting's date), or not, which closes the case
    with the Panel's reasons."""
    refusal = cspr.start_refusal(item.case)
    if refusal:
        raise ValidationError(refusal)
    if decision != RapidReview.Decision.LCSPR:
        cspr.record_no_local_review(
            case=item.case,
            user=user,
            decided_on=item.meeting.date,
            decided_by=f"The CSPR Panel, {item.meeting}",
            decision=decision,
            learning_activity=learning_activity,
            reasons=reasons,
        )
        label = RapidReview.Decision(decision).label
        if learning_activity and decision == RapidReview.Decision.OTHER_LEARNING:
            label += f" ({RapidReview.LearningActivity(learning_activity).label.lower()})"
        return PanelDecision.Kind.LOCAL_REVIEW, f"Local review: {label}"
    cspr.start_local_review(
        case=item.case,
        user=user,
        decided_on=item.meeting.date,
        decided_by=f"The CSPR Panel, {item.meeting}. {present}",
        reasons=reasons,
        key_lines_of_enquiry=key_lines_of_enquiry,
    )
    return PanelDecision.Kind.LOCAL_REVIEW, "Local review: the Panel decided to hold one"


def _approve_report(*, user, item, present, approves):
    """The Case Review Group's approval of a local review's final report and sign-off of its
    action plan (either or both), at the meeting, through the local review's own approval
    service and its order (the report after the Case Review Panel has agreed it; the Executive
    next for each)."""
    review = LocalReview.objects.filter(case=item.case).first() if item.case_id else None
    if review is None:
        raise ValidationError("There is no local review on this item's case to approve")
    subjects = [s for s in Approval.Subject.values if s in set(approves or ())]
    if not subjects:
        raise ValidationError({"approves": "Choose what the Case Review Group approves"})
    for subject in subjects:
        cspr.record_approval(
            review=review,
            user=user,
            step=Approval.Step.CRG,
            approved_on=item.meeting.date,
            present=f"{item.meeting}. {present}",
            subject=subject,
        )
    what = " and ".join(Approval.Subject(s).label.lower() for s in subjects)
    return PanelDecision.Kind.CRG_APPROVAL, f"Case Review Group: approved {what}"


# Each kind of item the Panel decides on, and the owning app's service it goes through.
DECISIONS = {
    AgendaItem.Kind.RAPID_REVIEW: _decide_rapid_review,
    AgendaItem.Kind.REFERRAL: _decide_referral,
    AgendaItem.Kind.LOCAL_REVIEW: _decide_local_review,
    AgendaItem.Kind.PROGRESS: _approve_report,
}


def _keep_decision(*, case, kind, summary, decider, user, on_behalf, present, on, item=None):
    """The Panel's own record of a decision, whichever app owns it."""
    return PanelDecision.objects.create(
        item=item,
        case=case,
        kind=kind,
        summary=summary,
        decided_by=decider,
        recorded_by=user,
        on_behalf=on_behalf,
        present=present,
        is_virtual=item is None,
        decided_on=on,
    )


@transaction.atomic
def record_decision(*, user, item, **fields):
    """The Panel's decision on an item, taken at the meeting: the Panel's checks (quorate, the
    decider in the room with no interest declared; the PDEO records on the Chair's behalf),
    then the owning app's service, then the Panel's record with who was present."""
    item = AgendaItem.objects.select_related("meeting", "case").get(pk=item.pk)
    decide = DECISIONS.get(item.kind)
    if decide is None:
        raise ValidationError("This item has no decision to record here")
    decider, on_behalf, present = _meeting_decision_checks(user=user, item=item)
    kind, summary = decide(user=user, item=item, present=present, **fields)
    return _keep_decision(
        item=item,
        case=item.case,
        kind=kind,
        summary=summary,
        decider=decider,
        user=user,
        on_behalf=on_behalf,
        present=present,
        on=item.meeting.date,
    )


def _agreeing_partners(case, agreements, today):
    """Each of the local authority, the police and the ICB agreed, through a current member
    or deputy for that partner with no conflict of interest on the case."""
    errors = {}
    conflicted = conflicted_on(case.pk)
    members = list(PanelMember.objects.current_on(today))
    for partner in QUORACY_PARTNERS:
        person = agreements.get(partner)
        label = Partner(partner).label
        if person is None:
            errors[f"agreed_{partner}"] = f"Choose who agreed for the {label.lower()}"
            continue
        speaks_for = any(
            m.partner == partner and person.pk in (m.user_id, m.deputy_id) for m in members
        )
        if not speaks_for:
            errors[f"agreed_{partner}"] = (
                f"{person} is not a member or deputy of the Panel for the {label.lower()}"
            )
        elif person.pk in conflicted:
            errors[f"agreed_{partner}"] = f"{person} has a conflict of interest on this case"
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def record_virtual_rapid_review_decision(
    *,
    user,
    case,
    agreements,
    decision,
    rationale,
    national_review_view,
    other_learning_activity="",
    national_review_reason="",
):
    """A decision needed between meetings, with each of the three partners' agreement."""
    _require(user, CONDUCT_PANEL)
    today = timezone.localdate()
    _agreeing_partners(case, agreements, today)
    if user.has_role(*CHAIR_ROLES):
        decider, on_behalf = user, False
    else:
        chair = (
            PanelMember.objects.current_on(today)
            .filter(panel_role=PanelMember.PanelRole.CHAIR)
            .select_related("user")
            .first()
        )
        if chair is None:
            raise ValidationError("The Panel has no Chair to record the decision for")
        decider, on_behalf = chair.user, True
    if ConflictOfInterest.objects.filter(case=case, user=decider).exists():
        raise ValidationError(f"{decider} has a conflict of interest on this case")
    review = RapidReview.objects.filter(case=case).first()
    if review is None:
        raise ValidationError("The rapid review has not been started on this case")
    present = "Virtual decision between meetings, agreed by " + "; ".join(
        f"{agreements[p]} ({Partner(p).label})" for p in QUORACY_PARTNERS
    )
    rapid_reviews.record_decision(
        review=review,
        user=user,
        decision=decision,
        rationale=rationale,
        national_review_view=national_review_view,
        national_review_reason=national_review_reason,
        other_learning_activity=other_learning_activity,
        decided_on=today,
        decided_at_meeting=present,
    )
    panel_decision = _keep_decision(
        case=case,
        kind=PanelDecision.Kind.RAPID_REVIEW,
        summary=f"Rapid review (virtual): {RapidReview.Decision(decision).label}",
        decider=decider,
        user=user,
        on_behalf=on_behalf,
        present=present,
        on=today,
    )
    for partner in QUORACY_PARTNERS:
        PartnerAgreement.objects.create(
            decision=panel_decision, partner=partner, person=agreements[partner], agreed_on=today
        )
    return panel_decision


# --- Minutes approved at the next meeting -----------------------------------------------


def minuted_before(meeting):
    """The meeting whose minutes this one approves: the last meeting before it that was held
    (not cancelled) and has items."""
    return (
        Meeting.objects.filter(status=Meeting.Status.SCHEDULED, items__isnull=False)
        .filter(Q(date__lt=meeting.date) | Q(date=meeting.date, start_time__lt=meeting.start_time))
        .exclude(pk=meeting.pk)
        .order_by("-date", "-start_time")
        .distinct()
        .first()
    )


@transaction.atomic
def approve_minutes(*, user, meeting):
    """At `meeting`, the Panel approves the previous meeting's minutes: each item's minutes
    are then read-only. Every item must have its minutes and be closed first."""
    _require(user, CONDUCT_PANEL)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _open_meeting(meeting)
    if meeting.date > timezone.localdate():
        raise ValidationError("Minutes are approved at the meeting itself, once it is held")
    previous = minuted_before(meeting)
    if previous is None:
        raise ValidationError("There is no earlier meeting with minutes to approve")
    items = list(AgendaItem.objects.select_for_update().filter(meeting=previous))
    waiting = [i for i in items if not i.minutes_approved]
    if not waiting:
        raise ValidationError(f"The minutes of {previous} are already approved")
    unfinished = [str(i.number) for i in waiting if not (i.minutes.strip() and i.is_closed)]
    if unfinished:
        raise ValidationError(
            f"The minutes of {previous} are not finished: write and close item "
            + ", ".join(unfinished)
        )
    today = timezone.localdate()
    for item in waiting:
        item.minutes_approved_at = meeting
        item.minutes_approved_on = today
        item.version += 1
        item._change_reason = f"minutes approved at {meeting}"
        item.save()
    return previous


# --- The action log ---------------------------------------------------------------------
# Actions arising at a meeting (single-agency activity, escalations) are the partnership's one
# action model (safeguarding/actions): set, chased (D15), updated and closed by its services.
# The Panel only says where they arose and which it escalates to the Executive Group.


def source_label(meeting, item=None):
    """Where an action arose, in words: "Panel 12 March 2027, item 3"."""
    label = f"Panel {meeting.date:%-d %B %Y}"
    return f"{label}, item {item.number}" if item is not None else label


@transaction.atomic
def add_action(
    *,
    user,
    meeting,
    description,
    owner_agency,
    due_date,
    measure_of_success,
    item=None,
    owner=None,
    escalate=False,
    escalation_reason="",
):
    """An action arising at a held meeting (or from one of its items, and that item's case),
    set through the actions service from the meeting's date; escalated to the Executive Group
    at once when the Panel says so."""
    if item is not None and item.meeting_id != meeting.pk:
        raise ValidationError({"item": "Choose an item of this meeting"})
    if meeting.is_cancelled:
        raise ValidationError("The meeting was cancelled: no actions arise from it")
    if meeting.date > timezone.localdate():
        raise ValidationError("The meeting has not happened yet: actions arise at the meeting")
    if escalate and not (escalation_reason or "").strip():
        raise ValidationError({"escalation_reason": "Enter why the action is escalated"})
    action = actions.set_action(
        user=user,
        case=item.case if item is not None else None,
        source=Action.Source.ACTION_LOG,
        source_object=item if item is not None else meeting,
        source_label=source_label(meeting, item),
        description=description,
        owner_agency=owner_agency,
        owner=owner,
        due_date=due_date,
        measure_of_success=measure_of_success,
        set_on=meeting.date,
    )
    if escalate:
        _escalate(user=user, action=action, meeting=meeting, reason=escalation_reason)
    return action


def _escalate(*, user, action, meeting, reason):
    return Escalation.objects.create(
        action=action,
        meeting=meeting,
        reason=reason.strip(),
        escalated_on=timezone.localdate(),
        escalated_by=user,
    )


@transaction.atomic
def escalate_action(*, user, action, reason, meeting=None):
    """The Panel escalates an action (an overdue one, usually) to the Executive Group: the
    next highlight report lists it until the action is closed or carried."""
    _require(user, CONDUCT_PANEL)
    action = Action.objects.select_for_update().get(pk=action.pk)
    if not action.unfinished:
        raise ValidationError(
            f"{action.reference} is {action.get_status_display().lower()}: there is nothing "
            "to escalate"
        )
    if Escalation.objects.filter(action=action).exists():
        raise ValidationError(f"{action.reference} is already escalated")
    if not (reason or "").strip():
        raise ValidationError({"reason": "Enter why the action is escalated"})
    return _escalate(user=user, action=action, meeting=meeting, reason=reason)


# --- Highlight reports to the Executive Group -------------------------------------------

HIGHLIGHT_TEXT = ("executive_meeting", "executive_meeting_on", "commissioning", "learning")
HIGHLIGHT_FIELDS = (*HIGHLIGHT_TEXT, "key_messages")


@transaction.atomic
def save_highlight_report(*, user, report=None, expected_version=None, **fields):
    """Draft a highlight report, or edit one. An issued version is never changed: after an
    edit, issuing again makes a new version."""
    _require(user, RUN_PANEL)
    unknown = set(fields) - set(HIGHLIGHT_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    if report is None:
        report = HighlightReport(created_by=user)
    else:
        report = _check_version(HighlightReport, report, expected_version)
        report.version += 1
    if not (fields.get("executive_meeting") or "").strip():
        raise ValidationError(
            {"executive_meeting": "Enter the name of the Executive Group meeting"}
        )
    for name, value in fields.items():
        setattr(report, name, value.strip() if isinstance(value, str) else value)
    report.edited_since_issue = True
    report.save()
    return report


@transaction.atomic
def issue_highlight_report(*, user, report, expected_version=None):
    """Issue the report: its figures counted today over the period since the last issued
    report, kept with the text as an unchangeable version; the worker makes its PDF (kept
    with the version the first time it is made, and given from there after)."""
    _require(user, RUN_PANEL)
    report = _check_version(HighlightReport, report, expected_version)
    last = report.issues.order_by("-number").first()
    if last is not None and not report.edited_since_issue:
        raise ValidationError(
            f"Version {last.number} was issued with this text: edit the report to issue a "
            "new version"
        )
    if not report.key_messages.strip():
        raise ValidationError({"key_messages": "Enter the key messages before issuing the report"})
    today = timezone.localdate()
    period = highlight.period_for(report, today)
    issued = IssuedHighlightReport.objects.create(
        report=report,
        number=(last.number + 1) if last else 1,
        period_start=period.start,
        period_end=period.end,
        content=highlight.content(report, period, today),
        issued_on=today,
        issued_by=user,
    )
    report.edited_since_issue = False
    report.version += 1
    report._change_reason = f"version {issued.number} issued"
    report.save()
    file_services.request_file(user=user, kind=files.HIGHLIGHT_PDF, params={"issued": issued.pk})
    return issued
