"""Local reviews: the decision that starts one, commissioning, and what the decision not to
hold one leaves. One transaction each; clocks through the deadlines services.

    (third sign-off, decision: local review) --> to_commission --(Lead Reviewer and Chair
    appointed)--> commissioned

D7 (tell the national Panel, Ofsted and DfE, with the reviewer's name) and D8 (completed and
published within 6 calendar months) open from the date of the decision: the day the third
safeguarding partner signs off the rapid review, with no other step, or the date recorded when
the partnership decides without a rapid review.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from rapid_reviews.models import RapidReview
from safeguarding import workflow
from safeguarding.accounts.roles import COMMISSION_LOCAL_REVIEW, Role
from safeguarding.cases import services as case_services
from safeguarding.cases.models import Case, CaseTeamMember
from safeguarding.contributions.services import contributors_of
from safeguarding.deadlines import services as deadlines
from safeguarding.deadlines.rules import Kind
from safeguarding.outbox import services as outbox
from safeguarding.outbox.models import OutboundEmail

from .models import Appointment, LearningAsked, LocalReview, NoLocalReview

S = LocalReview.Status
R = Appointment.Role

TRANSITIONS = {
    "commission": workflow.Transition(
        "commission", (S.TO_COMMISSION,), S.COMMISSIONED, COMMISSION_LOCAL_REVIEW
    ),
}

PARTNERS_DECIDED = "The three safeguarding partners, at the rapid review"


def _open_review(*, case, user, decided_on, decided_by, reasons, kloes, rapid_review=None):
    review = LocalReview.objects.create(
        case=case,
        rapid_review=rapid_review,
        decided_on=decided_on,
        decided_by=decided_by,
        decision_reasons=reasons,
        key_lines_of_enquiry=kloes,
        started_by=user,
    )
    open_clocks(review)
    case_services.set_stage(case=case, stage=Case.Stage.LOCAL_REVIEW, status=Case.Status.OPEN)
    return review


def open_clocks(review):
    """D7 and D8 from the date of the decision (opened again, or recomputed, when it moves)."""
    for kind in (Kind.NOTIFY_LCSPR_DECISION, Kind.LCSPR_PUBLISHED):
        deadlines.open_deadline(
            kind=kind, obj=review, case=review.case, anchor_date=review.decided_on
        )
    if review.national_panel_told_on:
        deadlines.record_event(
            kind=Kind.NOTIFY_LCSPR_DECISION, obj=review, on=review.national_panel_told_on
        )


def decision_signed_off(*, review, user, on):
    """The rapid review's hook: the third partner signed off on `on`. A local review opens
    its clocks from that day and moves the case; other learning or no further action takes the
    case out of the review stages, its reasons kept. Runs in the sign-off's transaction."""
    case = review.case
    if review.decision == RapidReview.Decision.LCSPR:
        if LocalReview.objects.filter(case=case).exists():
            return None
        return _open_review(
            case=case,
            user=user,
            decided_on=on,
            decided_by=PARTNERS_DECIDED,
            reasons=review.decision_rationale,
            kloes=review.key_lines_of_enquiry,
            rapid_review=review,
        )
    record, _ = NoLocalReview.objects.update_or_create(
        case=case,
        defaults={
            "rapid_review": review,
            "decision": review.decision,
            "learning_activity": review.other_learning_activity,
            "reasons": review.decision_rationale,
            "decided_on": on,
            "superseded": False,
        },
    )
    case.status = Case.Status.CLOSED
    case.version += 1
    case._change_reason = f"no local review: {review.get_decision_display().lower()}"
    case.save(update_fields=["status", "version", "updated_at"])
    return record


def start_refusal(case):
    """Why a local review cannot be started by hand on this case, or None."""
    if LocalReview.objects.filter(case=case).exists():
        return "This case already has a local review"
    rapid = RapidReview.objects.filter(case=case).first()
    if rapid is not None and rapid.status != RapidReview.Status.IN_PROGRESS:
        return (
            "The rapid review has recorded the partners' decision: the local review starts "
            "when the three partners have signed it off"
        )
    return None


@transaction.atomic
def start_local_review(*, case, user, decided_on, decided_by, reasons="", key_lines_of_enquiry=""):
    """A local review for a case without a rapid review: the decision's date and who took it."""
    if not user.has_perm(COMMISSION_LOCAL_REVIEW):
        raise PermissionDenied
    Case.objects.select_for_update().get(pk=case.pk)
    refusal = start_refusal(case)
    if refusal:
        raise workflow.NotAllowed(refusal)
    errors = {}
    if decided_on is None:
        errors["decided_on"] = "Enter the date of the decision"
    elif decided_on > timezone.localdate():
        errors["decided_on"] = "The date of the decision must be today or in the past"
    if not (decided_by or "").strip():
        errors["decided_by"] = "Enter who decided to hold the local review"
    if errors:
        raise ValidationError(errors)
    return _open_review(
        case=case,
        user=user,
        decided_on=decided_on,
        decided_by=decided_by.strip(),
        reasons=reasons,
        kloes=key_lines_of_enquiry,
    )


def _locked(review, expected_version=None):
    current = LocalReview.objects.select_for_update().select_related("case").get(pk=review.pk)
    if expected_version is not None and int(expected_version) != current.version:
        raise workflow.ConcurrentEdit
    return current


def _active(review):
    if not review.is_active:
        raise workflow.NotAllowed(
            f"The local review is {review.get_status_display().lower()}: this cannot change now"
        )


def current_appointments(review):
    return review.appointments.filter(removed_at__isnull=True)


@transaction.atomic
def appoint(*, review, user, person, role, directly_involved=False):
    """Put someone on the review: a Lead Reviewer (often independent), the Chair of the review,
    or a Case Review Panel member for their agency. Grants the case-team object permission."""
    if not user.has_perm(COMMISSION_LOCAL_REVIEW):
        raise PermissionDenied
    review = _locked(review)
    _active(review)
    if person == user:
        raise ValidationError({"person": "You cannot appoint yourself to a review"})
    if not candidates(role).filter(pk=person.pk).exists():
        raise ValidationError(
            {"person": f"{person.full_name} cannot be the review's {R(role).label}"}
        )
    if not person.is_active:
        raise ValidationError({"person": "Choose someone whose account is active"})
    agency = None
    if role == R.CRP_MEMBER:
        agency = person.agency
        if agency is None:
            raise ValidationError(
                {"person": "A Case Review Panel member speaks for an agency: choose someone in one"}
            )
        if current_appointments(review).filter(role=R.CRP_MEMBER, agency=agency).exists():
            raise ValidationError(
                {"person": f"{agency} already has a member on the Case Review Panel"}
            )
    if current_appointments(review).filter(user=person, role=role).exists():
        raise ValidationError(
            {"person": f"{person.full_name} is already the review's {R(role).label}"}
        )
    if person.conflicts_of_interest.filter(case=review.case).exists():
        raise ValidationError(
            {"person": f"{person.full_name} has declared a conflict of interest on this case"}
        )
    try:
        with transaction.atomic():
            appointment = Appointment.objects.create(
                review=review,
                user=person,
                role=role,
                agency=agency,
                directly_involved=bool(directly_involved and role == R.CRP_MEMBER),
                appointed_by=user,
            )
    except IntegrityError as error:
        raise ValidationError({"person": "This person is already on the review"}) from error
    case_services.add_team_member(case=review.case, user=person, role=role, added_by=user)
    roles = set(current_appointments(review).values_list("role", flat=True))
    if review.status == S.TO_COMMISSION and {R.LEAD_REVIEWER, R.REVIEW_CHAIR} <= roles:
        review.version += 1
        workflow.apply(TRANSITIONS, "commission", review, user)
    return appointment


@transaction.atomic
def remove(*, appointment, user, reason=""):
    """Take someone off the review: they lose access to the case at once (unless they are on
    its team for something else), and the appointment is kept with who removed them."""
    if not user.has_perm(COMMISSION_LOCAL_REVIEW):
        raise PermissionDenied
    appointment = Appointment.objects.select_for_update().get(pk=appointment.pk)
    if appointment.removed_at is not None:
        raise workflow.NotAllowed("This person has already been removed from the review")
    appointment.removed_at = timezone.now()
    appointment.removed_by = user
    appointment.removal_reason = reason
    appointment.save()
    member = CaseTeamMember.objects.filter(
        case_id=appointment.review.case_id, user=appointment.user, role=appointment.role
    ).first()
    if member is not None:
        case_services.remove_team_member(member=member)
    return appointment


@transaction.atomic
def record_national_panel_told(*, review, user, told_on, reviewer_named):
    """D7 is met when the notification naming the reviewer is recorded as sent."""
    if not user.has_perm(COMMISSION_LOCAL_REVIEW):
        raise PermissionDenied
    review = _locked(review)
    _active(review)
    if not current_appointments(review).filter(role=R.LEAD_REVIEWER).exists():
        raise workflow.NotAllowed(
            "Appoint the Lead Reviewer first: the national Panel, Ofsted and DfE are told the "
            "reviewer's name"
        )
    errors = {}
    if told_on > timezone.localdate():
        errors["told_on"] = "The date sent must be today or in the past"
    elif told_on < review.decided_on:
        errors["told_on"] = (
            f"The date sent cannot be before the decision ({review.decided_on:%-d %B %Y})"
        )
    if not (reviewer_named or "").strip():
        errors["reviewer_named"] = "Enter the reviewer's name as given in the notification"
    if errors:
        raise ValidationError(errors)
    review.national_panel_told_on = told_on
    review.reviewer_named = reviewer_named.strip()
    review.version += 1
    review.save()
    deadlines.record_event(kind=Kind.NOTIFY_LCSPR_DECISION, obj=review, on=told_on)
    return review


@transaction.atomic
def tell_agencies(*, record, user, agencies, what):
    """The agencies asked for a single-agency review or other learning instead of a local
    review: each is recorded and its contributors are told (reference and pseudonym only)."""
    if not user.has_perm(COMMISSION_LOCAL_REVIEW):
        raise PermissionDenied
    if record.superseded:
        raise workflow.NotAllowed("A revised decision holds a local review instead")
    if not agencies:
        raise ValidationError({"agencies": "Choose at least one agency"})
    if not (what or "").strip():
        raise ValidationError({"what": "Enter what the agencies are asked to do"})
    made = []
    for agency in agencies:
        asked = LearningAsked.objects.create(
            record=record, agency=agency, what=what.strip(), told_by=user
        )
        made.append(asked)
        for person in contributors_of(agency):
            outbox.queue_email(
                recipient=person,
                kind=OutboundEmail.Kind.NOTICE,
                subject=f"{record.case.reference}: learning asked of your agency",
                template="learning_asked",
                context={
                    "asked": asked,
                    "case": record.case,
                    "record": record,
                    "url": outbox.absolute_url(reverse("home")),
                },
            )
    return made


def _with_roles(roles):
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name__in=roles)
        .select_related("agency")
        .distinct()
        .order_by("full_name")
    )


def candidates(role):
    """Who may be appointed to each role on a review: a Lead Reviewer (the role, often
    independent of every agency); a Chair from the Panel's senior people; Case Review Panel
    members from the agencies (people in one who may read a case on its team)."""
    if role == R.LEAD_REVIEWER:
        return _with_roles([Role.LEAD_REVIEWER])
    if role == R.REVIEW_CHAIR:
        return _with_roles(
            [Role.PANEL_CHAIR, Role.DEPUTY_CHAIR, Role.PANEL_MEMBER, Role.BUSINESS_MANAGER]
        )
    return _with_roles(
        [Role.PANEL_MEMBER, Role.PANEL_CHAIR, Role.DEPUTY_CHAIR, Role.EXECUTIVE_MEMBER]
    ).filter(agency__isnull=False)
