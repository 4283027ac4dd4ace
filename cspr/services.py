"""Local reviews: the decision that starts one, commissioning, and what the decision not to
hold one leaves. One transaction each; clocks through the deadlines services.

    (third sign-off, decision: local review) --> to_commission --(Lead Reviewer and Chair
    appointed)--> commissioned

D7 (tell the national Panel, Ofsted and DfE, with the reviewer's name) and D8 (completed and
published within 6 calendar months) open from the date of the decision: the day the third
safeguarding partner signs off the rapid review, with no other step, or the date recorded when
the partnership decides without a rapid review.
"""

import re

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from rapid_reviews.models import RapidReview
from safeguarding import workflow
from safeguarding.accounts.models import Agency
from safeguarding.accounts.roles import (
    APPROVE_FINAL_REPORT,
    COMMISSION_LOCAL_REVIEW,
    CONDUCT_PANEL,
    DECIDE_CLOSURE,
    REVISE_DECISION,
    SIGN_OFF_RAPID_REVIEW,
    WORK_ON_LOCAL_REVIEW,
    Role,
)
from safeguarding.actions import services as action_services
from safeguarding.actions.models import Action
from safeguarding.cases import services as case_services
from safeguarding.cases.models import Case, CaseTeamMember
from safeguarding.cases.selectors import conflicted_on
from safeguarding.contributions.services import contributors_of
from safeguarding.contributions.uploads import check_upload
from safeguarding.deadlines import services as deadlines
from safeguarding.deadlines.calendar import current_calendar
from safeguarding.deadlines.rules import Kind, rule_for
from safeguarding.outbox import services as outbox
from safeguarding.outbox.models import OutboundEmail
from safeguarding.page_memo import for_this_page

from .models import (
    Appointment,
    Approval,
    DelayNotice,
    DraftCirculation,
    EventPractitioner,
    FactualAccuracyComment,
    FamilyEngagement,
    LearningAsked,
    LearningBriefing,
    LearningEvent,
    LearningTheme,
    LocalReview,
    NationalReviewUpdate,
    NoLocalReview,
    ProgressCheck,
    PublicationDelay,
    Recommendation,
    ReportDraft,
    ReviewerRequest,
    ReviewTheme,
    RevisedDecision,
    RevisedSignOff,
    TermsOfReference,
)

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
    if not review.checks.exists():
        open_first_progress_check(review)
    if review.national_panel_told_on:
        deadlines.record_event(
            kind=Kind.NOTIFY_LCSPR_DECISION, obj=review, on=review.national_panel_told_on
        )


def decision_signed_off(*, review, user, on):
    """The rapid review's hook: the third partner signed off on `on`. A local review opens
    its clocks from that day and moves the case; other learning or no further action takes the
    case out of the review stages, its reasons kept. Runs in the sign-off's transaction."""
    return _apply_decision(
        rapid_review=review,
        user=user,
        on=on,
        decision=review.decision,
        learning_activity=review.other_learning_activity,
        reasons=review.decision_rationale,
    )


def _apply_decision(*, rapid_review, user, on, decision, learning_activity, reasons):
    """The partners' decision (first, or revised) takes effect on `on`."""
    case = rapid_review.case
    existing = LocalReview.objects.filter(case=case).first()
    if decision == RapidReview.Decision.LCSPR:
        NoLocalReview.objects.filter(case=case).update(superseded=True)
        if existing is None:
            return _open_review(
                case=case,
                user=user,
                decided_on=on,
                decided_by=PARTNERS_DECIDED,
                reasons=reasons,
                kloes=rapid_review.key_lines_of_enquiry,
                rapid_review=rapid_review,
            )
        # A revised decision: the clocks count from the new date (reopened if cancelled).
        existing.decided_on = on
        existing.decision_reasons = reasons
        if existing.status == S.STOPPED:
            existing.status = (
                S.COMMISSIONED
                if current_appointments(existing).filter(role=R.LEAD_REVIEWER).exists()
                else S.TO_COMMISSION
            )
        existing.version += 1
        existing.save()
        open_clocks(existing)
        case_services.set_stage(case=case, stage=Case.Stage.LOCAL_REVIEW, status=Case.Status.OPEN)
        return existing
    if existing is not None and existing.status != S.STOPPED:
        existing.status = S.STOPPED
        existing.version += 1
        existing.save()
        for kind in (Kind.NOTIFY_LCSPR_DECISION, Kind.LCSPR_PUBLISHED, Kind.PROGRESS_CHECK):
            deadlines.cancel_deadline(kind=kind, obj=existing)
    return _record_no_review(
        case=case,
        rapid_review=rapid_review,
        decision=decision,
        learning_activity=learning_activity,
        reasons=reasons,
        on=on,
    )


def _record_no_review(*, case, decision, learning_activity, reasons, on, rapid_review=None, by=""):
    """No local review: the decision and its reasons kept, and the case closed."""
    record, _ = NoLocalReview.objects.update_or_create(
        case=case,
        defaults={
            "rapid_review": rapid_review,
            "decided_by": by,
            "decision": decision,
            "learning_activity": learning_activity
            if decision == RapidReview.Decision.OTHER_LEARNING
            else "",
            "reasons": reasons,
            "decided_on": on,
            "superseded": False,
        },
    )
    case.refresh_from_db()
    case.status = Case.Status.CLOSED
    case.version += 1
    case._change_reason = f"no local review: {RapidReview.Decision(decision).label.lower()}"
    case.save(update_fields=["status", "version", "updated_at"])
    return record


def reply_recorded(*, review, user):
    """The rapid review's hook: the national Panel replied. "Agrees" and "challenges" change
    nothing here (a challenge lets the Chair record a revised decision); a national review
    cancels D8, and the partnership's part in it is tracked instead."""
    if review.reply_outcome != RapidReview.ReplyOutcome.NATIONAL_REVIEW:
        return None
    case = review.case
    local = LocalReview.objects.filter(case=case).first()
    if local is None:
        local = LocalReview.objects.create(
            case=case,
            rapid_review=review,
            status=S.NATIONAL_REVIEW,
            decided_on=review.reply_received_on,
            decided_by="The national Panel (a national review)",
            decision_reasons=review.reply_comments,
            key_lines_of_enquiry=review.key_lines_of_enquiry,
            started_by=user,
        )
        NoLocalReview.objects.filter(case=case).update(superseded=True)
    else:
        local.status = S.NATIONAL_REVIEW
        local.version += 1
        local.save()
    for kind in (Kind.LCSPR_PUBLISHED, Kind.PROGRESS_CHECK):
        deadlines.cancel_deadline(kind=kind, obj=local)
    case_services.set_stage(case=case, stage=Case.Stage.LOCAL_REVIEW, status=Case.Status.OPEN)
    return local


def partners_signed_off(*, review, user):
    """The rapid review's hook (`on_signed_off`, shared with the CSPR Panel's): the decision is
    dated by the day the third partner signed it off."""
    on = review.sign_offs.aggregate(on=Max("signed_on"))["on"]
    return decision_signed_off(review=review, user=user, on=on)


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
    """A local review for a case without a rapid review: the decision's date and who took it.
    The PDEO records it; so does whoever conducts a CSPR Panel meeting that decides it (the
    Chair or Deputy Chair, through panel/services.py, which adds the Panel's own checks)."""
    if not (user.has_perm(COMMISSION_LOCAL_REVIEW) or user.has_perm(CONDUCT_PANEL)):
        raise PermissionDenied
    Case.objects.select_for_update().get(pk=case.pk)
    refusal = start_refusal(case)
    if refusal:
        raise workflow.NotAllowed(refusal)
    errors = _decision_date_errors(decided_on)
    if not (decided_by or "").strip():
        errors["decided_by"] = "Enter who decided to hold the local review"
    if errors:
        raise ValidationError(errors)
    # A decision against a review taken earlier (by the CSPR Panel) gives way to this one.
    NoLocalReview.objects.filter(case=case).update(superseded=True)
    return _open_review(
        case=case,
        user=user,
        decided_on=decided_on,
        decided_by=decided_by.strip(),
        reasons=reasons,
        kloes=key_lines_of_enquiry,
    )


def _decision_date_errors(decided_on):
    """A decision made by hand (to hold a local review or not) is dated, never in the future."""
    if decided_on is None:
        return {"decided_on": "Enter the date of the decision"}
    if decided_on > timezone.localdate():
        return {"decided_on": "The date of the decision must be today or in the past"}
    return {}


NO_REVIEW_DECISIONS = (RapidReview.Decision.OTHER_LEARNING, RapidReview.Decision.NO_FURTHER_ACTION)


@transaction.atomic
def record_no_local_review(
    *, case, user, decided_on, decided_by, decision, reasons, learning_activity=""
):
    """A decision not to hold a local review of a case without a rapid review (another
    learning activity, or no further action), with its reasons: the case closes, as after a
    rapid review deciding the same. Taken by the CSPR Panel (through panel/services.py, which
    adds the Panel's own checks) or recorded by the PDEO."""
    if not (user.has_perm(COMMISSION_LOCAL_REVIEW) or user.has_perm(CONDUCT_PANEL)):
        raise PermissionDenied
    Case.objects.select_for_update().get(pk=case.pk)
    refusal = start_refusal(case)
    if refusal:
        raise workflow.NotAllowed(refusal)
    if NoLocalReview.objects.filter(case=case, superseded=False).exists():
        raise workflow.NotAllowed("A decision not to hold a local review is already recorded")
    errors = {}
    if decision not in NO_REVIEW_DECISIONS:
        errors["decision"] = "Choose another learning activity or no further action"
    elif decision == RapidReview.Decision.OTHER_LEARNING and not learning_activity:
        errors["learning_activity"] = "Choose the learning activity"
    errors.update(_decision_date_errors(decided_on))
    if not (reasons or "").strip():
        errors["reasons"] = "Enter why no local review is to be held"
    if not (decided_by or "").strip():
        errors["decided_by"] = "Enter who decided"
    if errors:
        raise ValidationError(errors)
    return _record_no_review(
        case=case,
        decision=decision,
        learning_activity=learning_activity,
        reasons=reasons.strip(),
        on=decided_on,
        by=decided_by.strip(),
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


# --- The national Panel challenges: a revised decision, signed again by the three partners ---


def revision_refusal(rapid_review):
    if rapid_review.reply_outcome != RapidReview.ReplyOutcome.CHALLENGES:
        return "A revised decision follows the national Panel challenging the decision"
    if rapid_review.revised_decisions.filter(status=RevisedDecision.Status.AWAITING_SIGN_OFF):
        return "A revised decision is already waiting for the partners to sign it"
    return None


@transaction.atomic
def record_revised_decision(*, rapid_review, user, decision, reasons, learning_activity=""):
    """The Chair's revised decision, with reasons. Nothing changes until the three partners
    have signed it."""
    if not user.has_perm(REVISE_DECISION):
        raise PermissionDenied
    rapid_review = RapidReview.objects.select_for_update().get(pk=rapid_review.pk)
    refusal = revision_refusal(rapid_review)
    if refusal:
        raise workflow.NotAllowed(refusal)
    errors = {}
    if not (reasons or "").strip():
        errors["reasons"] = "Give the reasons for the revised decision"
    if decision == RapidReview.Decision.OTHER_LEARNING and not learning_activity:
        errors["learning_activity"] = "Choose the learning activity"
    if decision not in RapidReview.Decision.values:
        errors["decision"] = "Choose the revised decision"
    if errors:
        raise ValidationError(errors)
    return RevisedDecision.objects.create(
        rapid_review=rapid_review,
        decision=decision,
        learning_activity=learning_activity
        if decision == RapidReview.Decision.OTHER_LEARNING
        else "",
        reasons=reasons.strip(),
        recorded_by=user,
    )


def revised_sign_off_refusal(revision, user):
    if revision.status != RevisedDecision.Status.AWAITING_SIGN_OFF:
        return "The revised decision is already in effect"
    agency = user.agency
    if agency is None or agency.kind not in Agency.SAFEGUARDING_PARTNER_KINDS:
        return "Only someone from the local authority, the police or the ICB can sign off"
    if revision.sign_offs.filter(partner=agency.kind).exists():
        return f"{agency.get_kind_display()} has already signed the revised decision"
    return None


@transaction.atomic
def sign_revised_decision(*, revision, user):
    """One partner signs the revised decision; the third signature puts it into effect that
    day: D7 and D8 recomputed from it, or cancelled when there is no local review now."""
    if not user.has_perm(SIGN_OFF_RAPID_REVIEW):
        raise PermissionDenied
    revision = RevisedDecision.objects.select_for_update().get(pk=revision.pk)
    refusal = revised_sign_off_refusal(revision, user)
    if refusal:
        raise workflow.NotAllowed(refusal)
    signed = RevisedSignOff.objects.create(
        revision=revision,
        partner=user.agency.kind,
        agency=user.agency,
        user=user,
        name=user.full_name,
        role=user.job_title or "",
    )
    partners = set(revision.sign_offs.values_list("partner", flat=True))
    if partners >= set(Agency.SAFEGUARDING_PARTNER_KINDS):
        revision.status = RevisedDecision.Status.IN_EFFECT
        revision.took_effect_on = signed.signed_on
        revision.save()
        _apply_decision(
            rapid_review=revision.rapid_review,
            user=user,
            on=signed.signed_on,
            decision=revision.decision,
            learning_activity=revision.learning_activity,
            reasons=revision.reasons,
        )
    return revision


@transaction.atomic
def record_national_review_update(*, review, user, on, note):
    """The partnership's part in a national review, in place of the local 6-month clock."""
    if not user.has_perm(COMMISSION_LOCAL_REVIEW):
        raise PermissionDenied
    if review.status != S.NATIONAL_REVIEW:
        raise workflow.NotAllowed("This case is not a national review")
    errors = {}
    if on > timezone.localdate():
        errors["on"] = "The date must be today or in the past"
    if not (note or "").strip():
        errors["note"] = "Enter what the partnership did or was asked"
    if errors:
        raise ValidationError(errors)
    return NationalReviewUpdate.objects.create(
        review=review, on=on, note=note.strip(), recorded_by=user
    )


# --- Terms of reference ---


def appointed_as(review, user, *, team=None):
    """The person's current appointments on the review (with their agencies), read once a
    page: whether they lead it, chair it or speak for an agency on its Case Review Panel is
    asked by several parts of a page (a draft's page asked five times). A POST asks afresh
    (`page_memo`). `team`: the review's current appointments, where the page has read them
    already (the review's own page lists its team)."""
    if team is not None:
        return [appointment for appointment in team if appointment.user_id == user.pk]
    return for_this_page(
        ("appointed as", review.pk, user.pk),
        lambda: list(current_appointments(review).filter(user=user).select_related("agency")),
    )


def _holds(review, user, roles, team=None):
    return any(a.role in roles for a in appointed_as(review, user, team=team))


def may_work_on(review, user, *, team=None):
    """The PDEO, and the review's current Lead Reviewer(s) and Chair."""
    if user.has_perm(COMMISSION_LOCAL_REVIEW):
        return True
    return _holds(review, user, {R.LEAD_REVIEWER, R.REVIEW_CHAIR}, team)


def terms_initial(review):
    """What a first version starts from: the key lines of enquiry carried over from the rapid
    review (editable) and the agencies involved."""
    return {
        "key_lines_of_enquiry": review.key_lines_of_enquiry,
        "agencies": list(review.case.agencies_involved.all()),
    }


@transaction.atomic
def save_terms(*, review, user, expected_version, agencies=None, **fields):
    """A new version of the terms of reference, refused if someone saved since the form was
    opened (their edit is never overwritten). An agreed version changed is a draft again.
    The first save makes the row (version 0 until then: nothing is written by reading)."""
    if not user.has_perm(WORK_ON_LOCAL_REVIEW) or not may_work_on(review, user):
        raise workflow.NotAllowed(
            "Only the PDEO, the Lead Reviewer or the Chair of the review can change the terms "
            "of reference"
        )
    review = _locked(review)
    _active(review)
    current, _ = TermsOfReference.objects.select_for_update().get_or_create(
        review=review, defaults={"version": 0, "updated_by": user}
    )
    if int(expected_version) != current.version:
        raise workflow.ConcurrentEdit
    errors = {}
    if fields.get("period_from") and fields.get("period_to"):
        if fields["period_from"] > fields["period_to"]:
            errors["period_to"] = "The end of the period must be after its start"
    if fields.get("method") == TermsOfReference.Method.OTHER and not fields.get("method_other"):
        errors["method_other"] = "Name the other method"
    if errors:
        raise ValidationError(errors)
    for name, value in fields.items():
        setattr(current, name, value)
    if fields.get("method") != TermsOfReference.Method.OTHER:
        current.method_other = ""
    current.version += 1
    current.updated_by = user
    current.updated_at = timezone.now()
    current.save()
    if agencies is not None:
        current.agencies.set(agencies)
    return current


@transaction.atomic
def agree_terms(*, terms, user, expected_version):
    """The Chair of the review agrees this version with the Lead Reviewer."""
    review = terms.review
    current = TermsOfReference.objects.select_for_update().get(pk=terms.pk)
    if int(expected_version) != current.version:
        raise workflow.ConcurrentEdit
    if not current_appointments(review).filter(user=user, role=R.REVIEW_CHAIR).exists():
        raise workflow.NotAllowed("Only the Chair of the review can agree the terms of reference")
    leads = [
        a.user.full_name
        for a in current_appointments(review).filter(role=R.LEAD_REVIEWER).select_related("user")
    ]
    if not leads:
        raise workflow.NotAllowed(
            "The Chair agrees the terms of reference with the Lead Reviewer: appoint one first"
        )
    missing = [
        label
        for name, label in [
            ("scope", "the scope"),
            ("key_lines_of_enquiry", "the key lines of enquiry"),
            ("method", "the method"),
        ]
        if not getattr(current, name)
    ]
    if missing or not current.period_from or not current.period_to:
        missing += [] if current.period_from and current.period_to else ["the period under review"]
        raise workflow.NotAllowed("Before agreeing, add " + ", ".join(missing))
    if current.is_agreed:
        raise workflow.NotAllowed(f"Version {current.version} is already agreed")
    current.agreed_version = current.version
    current.agreed_on = timezone.localdate()
    current.agreed_by = user
    current.agreed_with = " and ".join(leads)
    current.save()
    return current


# --- Keeping it on time: progress checks (D12), requests to the reviewer, D8 at risk ---


def _past(day, field, what="The date"):
    if day is None:
        return {field: f"Enter {what.lower()}"}
    if day > timezone.localdate():
        return {field: f"{what} must be today or in the past"}
    return {}


def _commissioner(user):
    if not user.has_perm(COMMISSION_LOCAL_REVIEW):
        raise PermissionDenied


def open_first_progress_check(review):
    """D12 runs from the decision until the first check (opened with the review's clocks)."""
    deadlines.open_deadline(
        kind=Kind.PROGRESS_CHECK, obj=review, case=review.case, anchor_date=review.decided_on
    )


def _current_progress_clock(review):
    """The D12 waiting now: on the latest check, or on the review before the first."""
    latest = review.checks.order_by("-checked_on", "-id").first()
    return latest or review


@transaction.atomic
def record_progress_check(*, review, user, checked_on, timeliness, quality):
    """The partners' check of timeliness and quality: meets the D12 waiting, and the next runs
    8 weeks from this one."""
    _commissioner(user)
    review = _locked(review)
    _active(review)
    errors = _past(checked_on, "checked_on", "The date of the check")
    if not errors and checked_on < review.decided_on:
        errors["checked_on"] = "The check cannot be before the decision"
    if not (timeliness or "").strip():
        errors["timeliness"] = "Enter a note on timeliness"
    if not (quality or "").strip():
        errors["quality"] = "Enter a note on quality"
    if errors:
        raise ValidationError(errors)
    waiting = _current_progress_clock(review)
    deadlines.record_event(kind=Kind.PROGRESS_CHECK, obj=waiting, on=checked_on)
    check = ProgressCheck.objects.create(
        review=review,
        checked_on=checked_on,
        timeliness=timeliness.strip(),
        quality=quality.strip(),
        checked_by=user,
    )
    deadlines.open_deadline(
        kind=Kind.PROGRESS_CHECK, obj=check, case=review.case, anchor_date=checked_on
    )
    return check


@transaction.atomic
def record_reviewer_request(*, review, user, kind, details, asked_on, due_on=None):
    _commissioner(user)
    _active(review)
    errors = _past(asked_on, "asked_on", "The date asked")
    if not (details or "").strip():
        errors["details"] = "Enter what the reviewer was asked for"
    if due_on and asked_on and due_on < asked_on:
        errors["due_on"] = "The date wanted must be on or after the date asked"
    if errors:
        raise ValidationError(errors)
    if due_on is None:
        due_on = current_calendar().add_working_days(asked_on, REVIEWER_REQUEST_WORKING_DAYS)
    request = ReviewerRequest.objects.create(
        review=review,
        kind=kind,
        details=details.strip(),
        asked_on=asked_on,
        due_on=due_on,
        asked_by=user,
    )
    _tell_the_reviewer(request)
    return request


ASKED_FOR = {
    ReviewerRequest.Kind.INFORMATION: "information",
    ReviewerRequest.Kind.DRAFT: "a draft of the report",
}


def _tell_the_reviewer(request):
    """Each current Lead Reviewer is emailed that a request waits for them and by when. The
    email gives the case's reference and pseudonym and what kind of thing is asked for; what
    was asked (free text, which may identify the family) stays in the service."""
    review = request.review
    url = outbox.absolute_url(request.get_absolute_url())
    reviewers = (
        current_appointments(review)
        .filter(role=R.LEAD_REVIEWER, user__is_active=True)
        .select_related("user")
        .order_by("user_id")
    )
    for appointment in reviewers:
        outbox.queue_email(
            recipient=appointment.user,
            kind=OutboundEmail.Kind.NOTICE,
            subject=(
                f"{review.case.reference}: a request for {ASKED_FOR[request.kind]}, "
                f"wanted by {request.due_on:%-d %B %Y}"
            ),
            template="reviewer_request",
            context={
                "case": review.case,
                "request": request,
                "asked_for": ASKED_FOR[request.kind],
                "url": url,
            },
        )


# Working days the reviewer has to answer a request given no date of its own.
REVIEWER_REQUEST_WORKING_DAYS = 10


@transaction.atomic
def record_reviewer_answer(*, request, user):
    """The reviewer answered the request (today): it is no longer flagged as overdue."""
    _commissioner(user)
    request = ReviewerRequest.objects.select_for_update().get(pk=request.pk)
    if request.answered_on:
        raise workflow.NotAllowed(
            f"Already recorded as answered on {request.answered_on:%-d %B %Y}"
        )
    request.answered_on = timezone.localdate()
    request.save()
    return request


@transaction.atomic
def set_first_panel_meeting(*, review, user, first_panel_meeting_on):
    """When the Case Review Panel first meets: the terms of reference are to be agreed before
    it, and the review is flagged if they are not."""
    _commissioner(user)
    review = _locked(review)
    _active(review)
    if first_panel_meeting_on is None:
        raise ValidationError({"first_panel_meeting_on": "Enter the date of the meeting"})
    if first_panel_meeting_on < review.decided_on:
        raise ValidationError(
            {"first_panel_meeting_on": "The meeting cannot be before the decision"}
        )
    review.first_panel_meeting_on = first_panel_meeting_on
    review.version += 1
    review.save()
    return review


def terms_warning(review, terms, today=None):
    """Why the terms of reference need attention before the first Case Review Panel meeting,
    or None (no query: from the review and the terms already read)."""
    meeting = review.first_panel_meeting_on
    if meeting is None or (terms is not None and terms.is_agreed):
        return None
    today = today or timezone.localdate()
    if meeting < today:
        return (
            f"The Case Review Panel first met on {meeting:%-d %B %Y} without agreed terms of "
            "reference"
        )
    return (
        "Agree the terms of reference before the first Case Review Panel meeting on "
        f"{meeting:%-d %B %Y}"
    )


@transaction.atomic
def record_delay(*, review, user, expected_on, reasons, panel_told_on=None, executive_told_on=None):
    """D8 at risk: the delay, its reasons, and when the national Panel and the Executive were
    told. D8 itself stays as the law sets it."""
    _commissioner(user)
    _active(review)
    errors = {}
    if not (reasons or "").strip():
        errors["reasons"] = "Enter the reasons for the delay"
    for field, day in (("panel_told_on", panel_told_on), ("executive_told_on", executive_told_on)):
        if day and day > timezone.localdate():
            errors[field] = "The date must be today or in the past"
    if errors:
        raise ValidationError(errors)
    return DelayNotice.objects.create(
        review=review,
        expected_on=expected_on,
        reasons=reasons.strip(),
        panel_told_on=panel_told_on,
        executive_told_on=executive_told_on,
        recorded_by=user,
    )


# --- Approval, in order, and publication ---

# An approval chain per subject: the final report (Case Review Panel, Case Review Group, the
# Executive) and the action plan (Case Review Group, then the Executive). Each step is an
# `Approval` row: who recorded it, when, who was present.
SUBJECT = Approval.Subject
APPROVAL_CHAINS = {
    SUBJECT.REPORT: [Approval.Step.CRP, Approval.Step.CRG, Approval.Step.EXECUTIVE],
    SUBJECT.ACTION_PLAN: [Approval.Step.CRG, Approval.Step.EXECUTIVE],
}
APPROVAL_ORDER = APPROVAL_CHAINS[SUBJECT.REPORT]
APPROVAL_STATUS = {
    Approval.Step.CRP: (S.COMMISSIONED, S.CRP_AGREED),
    Approval.Step.CRG: (S.CRP_AGREED, S.CRG_APPROVED),
    Approval.Step.EXECUTIVE: (S.CRG_APPROVED, S.APPROVED),
}
PLAN_STEP_LABELS = {
    Approval.Step.CRG: "Signed off by the Case Review Group",
    Approval.Step.EXECUTIVE: "Signed off by the Executive",
}


def step_label(subject, step):
    if subject == SUBJECT.ACTION_PLAN:
        return PLAN_STEP_LABELS[step]
    return Approval.Step(step).label


def _lower_first(text):
    return text[0].lower() + text[1:]


def approval_refusal(review, step, subject=SUBJECT.REPORT):
    """Why this step cannot be recorded now (steps go in order), or None."""
    chain = APPROVAL_CHAINS[subject]
    if step not in chain:
        return "Choose the approval step"
    done = set(review.approvals.filter(subject=subject).values_list("step", flat=True))
    if step in done:
        if subject == SUBJECT.ACTION_PLAN:
            return f"The action plan is already {_lower_first(step_label(subject, step))}"
        return f"{Approval.Step(step).label} is already recorded"
    index = chain.index(step)
    if subject == SUBJECT.ACTION_PLAN:
        if index == 0:
            return plan_refusal(review)
        if chain[index - 1] not in done:
            previous = _lower_first(step_label(subject, chain[index - 1]))
            return f"Sign-offs go in order: the action plan must first be {previous}"
        return None
    before, _ = APPROVAL_STATUS[step]
    if review.status != before:
        if index == 0:
            return "Commission the review (a Lead Reviewer and a Chair) before the report is agreed"
        previous = Approval.Step(chain[index - 1]).label
        return f"Approvals go in order: the report must first be {_lower_first(previous)}"
    return None


@transaction.atomic
def record_approval(*, review, user, step, approved_on, present, subject=SUBJECT.REPORT):
    """One step of an approval chain, in order only, each with who, when and who was present.
    The report: the Case Review Panel agrees, the Case Review Group approves, the Executive
    gives final approval (each moves the review on). The action plan: the Case Review Group
    signs it off, then the Executive. Each step needs the same permission in either chain."""
    transition = APPROVAL_TRANSITIONS.get(step)
    if not user.has_perm(transition.permission if transition else COMMISSION_LOCAL_REVIEW):
        raise PermissionDenied
    review = _locked(review)
    refusal = approval_refusal(review, step, subject)
    if refusal:
        raise ValidationError({"step": refusal})
    errors = _past(approved_on, "approved_on", "The date")
    if not errors and approved_on < review.decided_on:
        errors["approved_on"] = "The date cannot be before the decision"
    previous = review.approvals.filter(subject=subject).order_by("-approved_on").first()
    if not errors and previous and approved_on < previous.approved_on:
        errors["approved_on"] = (
            f"The date cannot be before the previous step ({previous.approved_on:%-d %B %Y})"
        )
    if not (present or "").strip():
        errors["present"] = "Enter who was present"
    if errors:
        raise ValidationError(errors)
    approval = Approval.objects.create(
        review=review,
        subject=subject,
        step=step,
        approved_on=approved_on,
        present=present.strip(),
        recorded_by=user,
    )
    review.version += 1
    if subject == SUBJECT.REPORT:
        workflow.apply(APPROVAL_TRANSITIONS, step, review, user)
    else:
        review._change_reason = f"action plan: {_lower_first(step_label(subject, step))}"
        review.save()
    return approval


APPROVAL_TRANSITIONS = {
    Approval.Step.CRP: workflow.Transition(
        Approval.Step.CRP, (S.COMMISSIONED,), S.CRP_AGREED, COMMISSION_LOCAL_REVIEW
    ),
    # The CSPR Panel is the Case Review Group: whoever conducts its meetings records its
    # approval (the PDEO here, or the Chair or Deputy Chair at a meeting, panel/services.py).
    Approval.Step.CRG: workflow.Transition(
        Approval.Step.CRG, (S.CRP_AGREED,), S.CRG_APPROVED, CONDUCT_PANEL
    ),
    Approval.Step.EXECUTIVE: workflow.Transition(
        Approval.Step.EXECUTIVE, (S.CRG_APPROVED,), S.APPROVED, APPROVE_FINAL_REPORT
    ),
}


@transaction.atomic
def plan_publication(*, review, user, planned_on):
    """A planned publication date opens D9: the final report to the national Panel and the
    Secretary of State at least 7 working days before."""
    _commissioner(user)
    review = _locked(review)
    _active(review)
    if planned_on < timezone.localdate():
        raise ValidationError({"planned_on": "The planned date must be today or in the future"})
    review.planned_publication_on = planned_on
    review.version += 1
    review.save()
    deadlines.open_deadline(
        kind=Kind.PRE_PUBLICATION_COPY, obj=review, case=review.case, anchor_date=planned_on
    )
    if review.report_sent_on:
        deadlines.record_event(kind=Kind.PRE_PUBLICATION_COPY, obj=review, on=review.report_sent_on)
    return review


@transaction.atomic
def record_report_sent(*, review, user, sent_on):
    """The final report sent to the national Panel and the Secretary of State (meets D9)."""
    _commissioner(user)
    review = _locked(review)
    _active(review)
    errors = _past(sent_on, "sent_on", "The date sent")
    if errors:
        raise ValidationError(errors)
    review.report_sent_on = sent_on
    review.version += 1
    review.save()
    deadlines.record_event(kind=Kind.PRE_PUBLICATION_COPY, obj=review, on=sent_on)
    return review


def working_days_notice(review, published_on):
    """How many working days the report was sent before publication."""
    return current_calendar().working_days_between(review.report_sent_on, published_on)


@transaction.atomic
def publish(*, review, user, published_on, link, media_plan):
    """Publication: the date, the link, the media plan, and the earliest removal date (D10,
    12 months). Refused before final approval. Published fewer than 7 working days after the
    report was sent: kept, D9 marked missed (counted from the real date), the reason asked."""
    _commissioner(user)
    review = _locked(review)
    if review.status != S.APPROVED:
        raise ValidationError(
            {
                "published_on": "The report cannot be published before the Executive's final "
                "approval"
                if review.status != S.PUBLISHED
                else "The report is already published"
            }
        )
    errors = _past(published_on, "published_on", "The date of publication")
    if not review.report_sent_on:
        errors["published_on"] = (
            "Record when the final report was sent to the national Panel and the Secretary of "
            "State first"
        )
    elif not errors and published_on < review.report_sent_on:
        errors["published_on"] = "Publication cannot be before the report was sent"
    if not (link or "").strip():
        errors["link"] = "Enter where the report is published"
    if errors:
        raise ValidationError(errors)
    review.published_on = published_on
    review.publication_link = link.strip()
    review.media_plan = media_plan
    rule = rule_for(Kind.KEEP_PUBLISHED)
    review.earliest_removal_on = rule.due_date(published_on, current_calendar())
    review.version += 1
    workflow.apply(PUBLICATION_TRANSITIONS, "publish", review, user)
    # D9 counts back from the real publication date, then the sending meets or misses it.
    deadlines.open_deadline(
        kind=Kind.PRE_PUBLICATION_COPY, obj=review, case=review.case, anchor_date=published_on
    )
    deadlines.record_event(kind=Kind.PRE_PUBLICATION_COPY, obj=review, on=review.report_sent_on)
    deadlines.record_event(kind=Kind.LCSPR_PUBLISHED, obj=review, on=published_on)
    for clock in (review, *review.checks.all()):
        deadlines.cancel_deadline(kind=Kind.PROGRESS_CHECK, obj=clock)
    deadlines.open_deadline(
        kind=Kind.KEEP_PUBLISHED, obj=review, case=review.case, anchor_date=published_on
    )
    # The review ends in monitoring its action plan (closed at once if it is already done).
    case_services.set_stage(case=review.case, stage=Case.Stage.MONITORING)
    close_if_plan_finished(review=review, user=user)
    return review


PUBLICATION_TRANSITIONS = {
    "publish": workflow.Transition("publish", (S.APPROVED,), S.PUBLISHED, COMMISSION_LOCAL_REVIEW)
}


def sent_late(review):
    """Published fewer than 7 working days after the report was sent (D9 missed)."""
    if not (review.published_on and review.report_sent_on):
        return False
    return (
        working_days_notice(review, review.published_on) < rule_for(Kind.PRE_PUBLICATION_COPY).limit
    )


@transaction.atomic
def record_late_sending_reason(*, review, user, reason):
    _commissioner(user)
    review = _locked(review)
    if not sent_late(review):
        raise workflow.NotAllowed("The report was sent in time: there is nothing to explain")
    if not (reason or "").strip():
        raise ValidationError({"reason": "Enter why the report was sent late"})
    review.late_sending_reason = reason.strip()
    review.version += 1
    review.save()
    return review


@transaction.atomic
def record_publication_delay(*, review, user, kind, reasons, decided_on, sent_on=None):
    """Publication delayed or withheld: the reasons, sent to the national Panel and the
    Secretary of State when decided (D11, met by the date sent)."""
    _commissioner(user)
    review = _locked(review)
    if review.status == S.PUBLISHED:
        raise workflow.NotAllowed("The report is already published")
    errors = _past(decided_on, "decided_on", "The date of the decision")
    if sent_on and sent_on > timezone.localdate():
        errors["sent_on"] = "The date sent must be today or in the past"
    elif sent_on and decided_on and sent_on < decided_on:
        errors["sent_on"] = "The reasons cannot be sent before the decision"
    if not (reasons or "").strip():
        errors["reasons"] = "Enter the reasons"
    if errors:
        raise ValidationError(errors)
    delay = PublicationDelay.objects.create(
        review=review,
        kind=kind,
        reasons=reasons.strip(),
        decided_on=decided_on,
        sent_on=sent_on,
        recorded_by=user,
    )
    deadlines.open_deadline(
        kind=Kind.PUBLICATION_REASONS, obj=delay, case=review.case, anchor_date=decided_on
    )
    if sent_on:
        deadlines.record_event(kind=Kind.PUBLICATION_REASONS, obj=delay, on=sent_on)
    return delay


@transaction.atomic
def record_delay_reasons_sent(*, delay, user, sent_on):
    _commissioner(user)
    errors = _past(sent_on, "sent_on", "The date sent")
    if not errors and sent_on < delay.decided_on:
        errors["sent_on"] = "The reasons cannot be sent before the decision"
    if errors:
        raise ValidationError(errors)
    delay.sent_on = sent_on
    delay.save()
    deadlines.record_event(kind=Kind.PUBLICATION_REASONS, obj=delay, on=sent_on)
    return delay


# --- Drafts of the report and factual accuracy (D14) ---
#
# The Lead Reviewer (or the PDEO) uploads each draft as a new version and circulates it to the
# Case Review Panel: every agency with a member on it is asked for factual-accuracy comments,
# due 10 working days later (D14, configurable). Each agency's member comments for that agency
# only, then says its comments are complete; the Lead Reviewer responds to each comment. D14 is
# met the day the comments close: when the last agency says it has finished, or when the Lead
# Reviewer (or the PDEO) closes them (an agency that never answered). Responses are not on a
# clock: the draft's page shows how many comments still wait for one.

DRAFT_TYPES = {
    "application/pdf",
    "application/msword",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.oasis.opendocument.text",
}
DRAFT_TYPE_NAMES = "a PDF, Word or OpenDocument text file"


def may_draft(review, user):
    """Who uploads, circulates and closes drafts: the PDEO and the review's Lead Reviewer."""
    if user.has_perm(COMMISSION_LOCAL_REVIEW):
        return True
    return is_lead_reviewer(review, user)


def is_lead_reviewer(review, user):
    return _holds(review, user, {R.LEAD_REVIEWER})


def crp_agency_of(review, user):
    """The agency this person speaks for on the review's Case Review Panel, or None."""
    # One current appointment a role a person (`one_current_appointment_per_role`).
    return next((a.agency for a in appointed_as(review, user) if a.role == R.CRP_MEMBER), None)


def _draft_locked(draft):
    return ReportDraft.objects.select_for_update().select_related("review__case").get(pk=draft.pk)


@transaction.atomic
def upload_draft(*, review, user, upload, note=""):
    """A new version of the report: checked by what the file contains (a PDF, Word or
    OpenDocument text only) and stored under a random name."""
    if not may_draft(review, user):
        raise workflow.NotAllowed("Only the Lead Reviewer or the PDEO can upload a draft")
    review = _locked(review)
    _active(review)
    if upload is None:
        raise ValidationError({"upload": "Select the draft report"})
    try:
        content_type, sha256 = check_upload(upload)
    except ValidationError as error:
        raise ValidationError({"upload": error.messages}) from error
    if content_type not in DRAFT_TYPES:
        raise ValidationError({"upload": f"The draft must be {DRAFT_TYPE_NAMES}"})
    number = (review.drafts.aggregate(n=Max("number"))["n"] or 0) + 1
    draft = ReportDraft(
        review=review,
        number=number,
        original_name=(upload.name or "draft")[:255],
        content_type=content_type,
        size=upload.size,
        sha256=sha256,
        note=(note or "").strip(),
        uploaded_by=user,
    )
    draft.file.save("draft", upload, save=False)
    draft.save()
    return draft


def circulation_refusal(draft):
    """Why this draft cannot be circulated now, or None."""
    review = draft.review
    if not review.is_active:
        return f"The local review is {review.get_status_display().lower()}: this cannot change now"
    if draft.circulated_on:
        return f"Version {draft.number} was circulated on {draft.circulated_on:%-d %B %Y}"
    newer = review.drafts.filter(number__gt=draft.number).order_by("-number").first()
    if newer:
        return f"Version {newer.number} is newer: circulate that one"
    open_one = review.drafts.filter(
        circulated_on__isnull=False, comments_closed_on__isnull=True
    ).first()
    if open_one:
        return f"Close the comments on version {open_one.number} first"
    if not current_appointments(review).filter(role=R.CRP_MEMBER).exists():
        return "Appoint the Case Review Panel members first: the draft is circulated to them"
    return None


@transaction.atomic
def circulate_draft(*, draft, user):
    """Circulate a draft to the Case Review Panel: every agency with a member on it is asked
    for comments, due in 10 working days (D14 opens today)."""
    draft = _draft_locked(draft)
    review = draft.review
    if not may_draft(review, user):
        raise workflow.NotAllowed("Only the Lead Reviewer or the PDEO can circulate a draft")
    _locked(review)
    refusal = circulation_refusal(draft)
    if refusal:
        raise workflow.NotAllowed(refusal)
    today = timezone.localdate()
    agencies = {
        a.agency_id for a in current_appointments(review).filter(role=R.CRP_MEMBER) if a.agency_id
    }
    DraftCirculation.objects.bulk_create(
        [DraftCirculation(draft=draft, agency_id=agency_id) for agency_id in sorted(agencies)]
    )
    deadline = deadlines.open_deadline(
        kind=Kind.FACTUAL_ACCURACY, obj=draft, case=review.case, anchor_date=today
    )
    draft.circulated_on = today
    draft.circulated_by = user
    draft.comments_due_on = deadline.due_date
    draft.save()
    _tell_the_panel(draft)
    return draft


def _tell_the_panel(draft):
    """Each Case Review Panel member is emailed that the draft waits for their agency's
    comments, and by when: the case's reference and pseudonym only, and a link to the draft
    (the report itself stays in the service). Anyone who declared a conflict of interest on
    the case hears nothing of it."""
    review = draft.review
    conflicted = conflicted_on(review.case_id)
    members = (
        current_appointments(review)
        .filter(role=R.CRP_MEMBER, user__is_active=True)
        .select_related("user", "agency")
        .order_by("user_id")
    )
    url = outbox.absolute_url(
        reverse(
            "cspr:draft",
            kwargs={"reference": review.case.reference, "draft_id": draft.pk},
        )
    )
    for appointment in members:
        if appointment.user_id in conflicted:
            continue
        outbox.queue_email(
            recipient=appointment.user,
            kind=OutboundEmail.Kind.NOTICE,
            subject=(
                f"{review.case.reference}: draft report version {draft.number} "
                f"for comments by {draft.comments_due_on:%-d %B %Y}"
            ),
            template="draft_circulated",
            context={
                "case": review.case,
                "draft": draft,
                "agency": appointment.agency,
                "url": url,
            },
        )


def _close(draft, user, on):
    draft.comments_closed_on = on
    draft.closed_by = user
    draft.save()
    deadlines.record_event(kind=Kind.FACTUAL_ACCURACY, obj=draft, on=on)


def _comments_open(draft):
    if draft.circulated_on is None:
        raise workflow.NotAllowed(f"Version {draft.number} has not been circulated for comments")
    if draft.comments_closed_on is not None:
        raise workflow.NotAllowed(_closed(draft))


def _closed(draft):
    return f"Comments on version {draft.number} closed on {draft.comments_closed_on:%-d %B %Y}"


def _speaks_for(draft, user, agency):
    """Only the agency's own Case Review Panel member comments for it."""
    if crp_agency_of(draft.review, user) != agency:
        raise workflow.NotAllowed(
            f"Only {agency}'s member of the Case Review Panel can comment for {agency}"
        )
    circulation = draft.circulated_to.filter(agency=agency).first()
    if circulation is None:
        raise workflow.NotAllowed(f"Version {draft.number} was not circulated to {agency}")
    if circulation.finished_on:
        raise workflow.NotAllowed(
            f"{agency}'s comments on version {draft.number} were marked complete on "
            f"{circulation.finished_on:%-d %B %Y}"
        )
    return circulation


def _comment_errors(comment):
    if not (comment or "").strip():
        return {"comment": "Enter the comment"}
    return {}


@transaction.atomic
def add_comment(*, draft, user, agency, comment, where=""):
    """A factual-accuracy comment for the person's own agency (never another's)."""
    draft = _draft_locked(draft)
    _comments_open(draft)
    _speaks_for(draft, user, agency)
    errors = _comment_errors(comment)
    if errors:
        raise ValidationError(errors)
    return FactualAccuracyComment.objects.create(
        draft=draft,
        agency=agency,
        where=(where or "").strip(),
        comment=comment.strip(),
        made_by=user,
    )


def _own_comment_locked(comment, user, once_responded):
    """The comment, locked, if its agency's member may still change or withdraw it: the
    comments are open and the Lead Reviewer has not responded (`once_responded` says why not)."""
    comment = FactualAccuracyComment.objects.select_for_update().get(pk=comment.pk)
    draft = _draft_locked(comment.draft)
    _comments_open(draft)
    _speaks_for(draft, user, comment.agency)
    if comment.responded_at:
        raise workflow.NotAllowed(once_responded)
    return comment


def comment_refusal(comment):
    """Why the agency may no longer change or withdraw its comment, or None while it may: its
    page then offers neither (a stale link, the back button). `_own_comment_locked` decides
    again, under lock, when the change is asked for."""
    draft = comment.draft
    if draft.comments_closed_on is not None:
        return _closed(draft)
    if comment.responded_at:
        return RESPONDED_ADD_ANOTHER
    return None


RESPONDED_ADD_ANOTHER = "The Lead Reviewer has responded to this comment: add a new comment instead"


@transaction.atomic
def change_comment(*, comment, user, text, where=""):
    """The agency's member changes its comment, while comments are open and before the Lead
    Reviewer has responded to it."""
    comment = _own_comment_locked(comment, user, RESPONDED_ADD_ANOTHER)
    errors = _comment_errors(text)
    if errors:
        raise ValidationError(errors)
    comment.comment = text.strip()
    comment.where = (where or "").strip()
    comment.save()
    return comment


@transaction.atomic
def withdraw_comment(*, comment, user):
    """The agency's member withdraws its comment, on the terms it could change it: while the
    comments are open and before the Lead Reviewer has responded. The comment's history keeps
    what it said, and who withdrew it when."""
    comment = _own_comment_locked(
        comment, user, "The Lead Reviewer has responded to this comment: it stays on the record"
    )
    comment.delete()
    return comment


@transaction.atomic
def finish_comments(*, draft, user, agency):
    """The agency's comments are complete (with or without any). When the last agency
    circulated to has finished, the comments close and D14 is met that day."""
    draft = _draft_locked(draft)
    _comments_open(draft)
    circulation = _speaks_for(draft, user, agency)
    today = timezone.localdate()
    circulation.finished_on = today
    circulation.finished_by = user
    circulation.save()
    if not draft.circulated_to.filter(finished_on__isnull=True).exists():
        _close(draft, user, today)
    return circulation


@transaction.atomic
def close_comments(*, draft, user):
    """The Lead Reviewer (or the PDEO) closes the comments, whoever has not finished: D14 is
    met today (late, if after the due date)."""
    draft = _draft_locked(draft)
    if not may_draft(draft.review, user):
        raise workflow.NotAllowed("Only the Lead Reviewer or the PDEO can close the comments")
    _comments_open(draft)
    _close(draft, user, timezone.localdate())
    return draft


@transaction.atomic
def respond_to_comment(*, comment, user, outcome, response):
    """The Lead Reviewer's response to one comment (changed later if need be: the history
    keeps every one)."""
    comment = FactualAccuracyComment.objects.select_for_update().get(pk=comment.pk)
    if not is_lead_reviewer(comment.draft.review, user):
        raise workflow.NotAllowed("Only the review's Lead Reviewer responds to comments")
    errors = {}
    if outcome not in FactualAccuracyComment.Outcome.values:
        errors["outcome"] = "Select whether the report is changed"
    if not (response or "").strip():
        errors["response"] = "Enter the response"
    if errors:
        raise ValidationError(errors)
    comment.outcome = outcome
    comment.response = response.strip()
    comment.responded_by = user
    comment.responded_at = timezone.now()
    comment.save()
    return comment


# --- Learning events and the family's part ---
#
# The PDEO, the Lead Reviewer and the Chair of the review record them (may_work_on); whoever
# may read the case sees them. The family are recorded by their relationship to the child,
# never by name.


def _recorder(review, user, what):
    if not may_work_on(review, user):
        raise workflow.NotAllowed(
            f"Only the PDEO, the Lead Reviewer or the Chair of the review can record {what}"
        )


def _not_before_decision(review, day, field, what):
    if day and day < review.decided_on:
        return {field: f"{what} cannot be before the decision ({review.decided_on:%-d %B %Y})"}
    return {}


@transaction.atomic
def record_learning_event(*, review, user, kind, held_on, notes=""):
    """A learning event or feedback session, planned or held (attendance comes after it)."""
    _recorder(review, user, "learning events")
    review = _locked(review)
    _active(review)
    errors = {}
    if kind not in LearningEvent.Kind.values:
        errors["kind"] = "Choose the kind of event"
    if held_on is None:
        errors["held_on"] = "Enter the date of the event"
    errors.update(_not_before_decision(review, held_on, "held_on", "The event"))
    if errors:
        raise ValidationError(errors)
    return LearningEvent.objects.create(
        review=review, kind=kind, held_on=held_on, notes=(notes or "").strip(), recorded_by=user
    )


@transaction.atomic
def invite_practitioner(*, event, user, agency, who):
    """A practitioner invited from an agency (their name and role)."""
    event = LearningEvent.objects.select_for_update().select_related("review").get(pk=event.pk)
    _recorder(event.review, user, "learning events")
    errors = {}
    if agency is None:
        errors["agency"] = "Choose the practitioner's agency"
    if not (who or "").strip():
        errors["who"] = "Enter the practitioner's name and role"
    if not errors and event.practitioners.filter(agency=agency, who__iexact=who.strip()).exists():
        errors["who"] = f"{who.strip()} from {agency} is already invited"
    if errors:
        raise ValidationError(errors)
    return EventPractitioner.objects.create(event=event, agency=agency, who=who.strip())


@transaction.atomic
def record_attendance(*, event, user, attended, notes):
    """Who came (the rest were invited and did not), and what was learned: on or after the
    day of the event only."""
    event = LearningEvent.objects.select_for_update().select_related("review").get(pk=event.pk)
    _recorder(event.review, user, "learning events")
    if event.held_on > timezone.localdate():
        raise workflow.NotAllowed(
            f"The event is on {event.held_on:%-d %B %Y}: record who attended on or after that day"
        )
    came = {p.pk for p in attended}
    if not came <= set(event.practitioners.values_list("pk", flat=True)):
        raise ValidationError({"attended": "Choose from the practitioners invited"})
    for practitioner in event.practitioners.all():
        if practitioner.attended != (practitioner.pk in came):
            practitioner.attended = practitioner.pk in came
            practitioner.save()
    event.notes = (notes or "").strip()
    event.attendance_recorded = True
    event.save()
    return event


def _family_errors(review, relationship, how, approached_on, response):
    errors = {}
    if not (relationship or "").strip():
        errors["relationship"] = "Enter their relationship to the child, for example mother"
    if how not in FamilyEngagement.How.values:
        errors["how"] = "Choose how they were approached"
    if response not in FamilyEngagement.Response.values:
        errors["response"] = "Choose their response"
    if approached_on is None:
        errors["approached_on"] = "Enter the date they were approached"
    elif approached_on > timezone.localdate():
        errors["approached_on"] = "The date they were approached must be today or in the past"
    else:
        errors.update(_not_before_decision(review, approached_on, "approached_on", "The approach"))
    return errors


@transaction.atomic
def record_family_engagement(
    *, review, user, relationship, how, approached_on, response, contributions=""
):
    _recorder(review, user, "the family's part")
    review = _locked(review)
    _active(review)
    errors = _family_errors(review, relationship, how, approached_on, response)
    if errors:
        raise ValidationError(errors)
    return FamilyEngagement.objects.create(
        review=review,
        relationship=relationship.strip(),
        how=how,
        approached_on=approached_on,
        response=response,
        contributions=(contributions or "").strip(),
        recorded_by=user,
    )


@transaction.atomic
def update_family_engagement(
    *, record, user, expected_version, relationship, how, approached_on, response, contributions=""
):
    """Their answer and contributions as they come; refused if someone saved since the form
    was opened (their edit is never overwritten)."""
    record = FamilyEngagement.objects.select_for_update().select_related("review").get(pk=record.pk)
    _recorder(record.review, user, "the family's part")
    if expected_version is None or int(expected_version) != record.version:
        raise workflow.ConcurrentEdit
    errors = _family_errors(record.review, relationship, how, approached_on, response)
    if errors:
        raise ValidationError(errors)
    record.relationship = relationship.strip()
    record.how = how
    record.approached_on = approached_on
    record.response = response
    record.contributions = (contributions or "").strip()
    record.version += 1
    record.updated_at = timezone.now()
    record.save()
    return record


# --- Recommendations and the action plan ---

PLAN_CLOSED_STATUSES = (S.TO_COMMISSION, S.STOPPED, S.NATIONAL_REVIEW, S.CLOSED)


def _may_write(review, user, what):
    if not user.has_perm(WORK_ON_LOCAL_REVIEW) or not may_work_on(review, user):
        raise workflow.NotAllowed(
            f"Only the PDEO, the Lead Reviewer or the Chair of the review can {what}"
        )


def plan_signed(review):
    """Whether any sign-off of the action plan is recorded (the plan then stays as signed)."""
    return review.approvals.filter(subject=SUBJECT.ACTION_PLAN).exists()


def plan_change_refusal(review):
    """Why the action plan cannot change now, or None."""
    if review.status in PLAN_CLOSED_STATUSES:
        status = review.get_status_display().lower()
        return f"The local review is {status}: its action plan cannot change"
    if plan_signed(review):
        return "The action plan is signed off: it cannot change now"
    return None


def _plan_editable(review):
    refusal = plan_change_refusal(review)
    if refusal:
        raise workflow.NotAllowed(refusal)


@transaction.atomic
def add_recommendation(*, review, user, text, draft=None):
    """A recommendation of the review, numbered next, taken from a version of its report (the
    final draft) where one is uploaded. Written by the PDEO, the Lead Reviewer or the Chair of
    the review; refused once the action plan is signed off."""
    _may_write(review, user, "add recommendations")
    review = _locked(review)
    _plan_editable(review)
    _check_recommendation(review, text, draft)
    number = (review.recommendations.aggregate(n=Max("number"))["n"] or 0) + 1
    return Recommendation.objects.create(
        review=review, number=number, text=text.strip(), draft=draft, added_by=user
    )


def _check_recommendation(review, text, draft):
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": "Enter the recommendation"})
    if len(text) > 5000:
        raise ValidationError({"text": "The recommendation must be 5,000 characters or fewer"})
    if draft is not None and draft.review_id != review.pk:
        raise ValidationError({"draft": "Choose a version of this review's report"})
    if _names_found(review.case, [text]):
        raise ValidationError(
            {"text": RECOMMENDATION_NAMES_A_PERSON.format(pseudonym=review.case.pseudonym)}
        )


# A recommendation is published with the report and printed in the learning briefing, which is
# shared outside the partnership: the same check as the briefing's own words.
RECOMMENDATION_NAMES_A_PERSON = (
    "Recommendations are published and printed in the learning briefing: they must not name "
    "the child or their family. Use the pseudonym ({pseudonym})"
)


@transaction.atomic
def change_recommendation(*, recommendation, user, text, draft=None):
    """A recommendation's words (or the version of the report it is taken from) corrected, by
    whoever may add one and on the same terms: until the action plan is signed off. Its
    number, and so its actions' source, stay; the history keeps the words it had."""
    review = recommendation.review
    _may_write(review, user, "change recommendations")
    review = _locked(review)
    _plan_editable(review)
    _check_recommendation(review, text, draft)
    recommendation = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
    recommendation.text = text.strip()
    recommendation.draft = draft
    recommendation.save(update_fields=["text", "draft"])
    return recommendation


@transaction.atomic
def set_recommendation_action(
    *,
    recommendation,
    user,
    description,
    owner_agency,
    due_date,
    measure_of_success,
    owner=None,
    rag=Action.Rag.GREEN,
):
    """A SMART action for a recommendation, set through the partnership's actions (its D15
    clock, RAG, updates, closure on evidence), on the review's case, with the recommendation
    as its source."""
    review = _locked(recommendation.review)
    _plan_editable(review)
    return action_services.set_action(
        user=user,
        case=review.case,
        source=Action.Source.RECOMMENDATION,
        source_object=recommendation,
        source_label=recommendation.label,
        description=description,
        owner_agency=owner_agency,
        owner=owner,
        due_date=due_date,
        measure_of_success=measure_of_success,
        rag=rag,
    )


def plan_actions(review):
    """Every action set from the review's recommendations."""
    return Action.objects.filter(
        source_type=ContentType.objects.get_for_model(Recommendation),
        source_id__in=review.recommendations.values("pk"),
    )


def plan_refusal(review):
    """Why the action plan cannot be signed off yet, or None: it needs recommendations, each
    with at least one action."""
    if review.status in PLAN_CLOSED_STATUSES:
        status = review.get_status_display().lower()
        return f"The local review is {status}: there is no plan to sign off"
    numbers = list(review.recommendations.values_list("number", "pk"))
    if not numbers:
        return "Add the recommendations and their actions before the action plan is signed off"
    with_actions = set(plan_actions(review).values_list("source_id", flat=True))
    missing = [str(n) for n, pk in numbers if pk not in with_actions]
    if missing:
        which = ", ".join(missing)
        return f"Every recommendation needs at least one action: add one to recommendation {which}"
    return None


# --- The end of a review: monitoring its action plan, then closed ---

END_TRANSITIONS = {
    "close": workflow.Transition("close", (S.PUBLISHED,), S.CLOSED, DECIDE_CLOSURE),
}


def _how_it_finished(action):
    if action.status == Action.Status.CLOSED:
        return (
            f"{action.source_label}, {action.reference}: closed on evidence of impact "
            f"({action.closed_on:%-d %B %Y})"
        )
    return (
        f"{action.source_label}, {action.reference}: carried into other work "
        f"({action.closed_on:%-d %B %Y}): {action.carried_into}"
    )


def close_if_plan_finished(*, review, user):
    """A published review (its case in "Action plan monitoring") closes, and its case with it,
    when every action of its plan is closed on evidence or carried into other work; how each
    finished is kept as the reasons. Returns the review when it closed, else None."""
    if review.status != S.PUBLISHED:
        return None
    actions = list(plan_actions(review).order_by("source_label", "id"))
    if not actions or any(a.unfinished for a in actions):
        return None
    closed = sum(1 for a in actions if a.status == Action.Status.CLOSED)
    carried = len(actions) - closed
    summary = (
        f"Every action of the plan is finished: {closed} closed on evidence of impact, "
        f"{carried} carried into other work."
    )
    review.closed_on = timezone.localdate()
    review.closure_reasons = "\n".join([summary, *(_how_it_finished(a) for a in actions)])
    review.version += 1
    workflow.apply(END_TRANSITIONS, "close", review, user, reason=summary)
    case = Case.objects.select_for_update().get(pk=review.case_id)
    case.status = Case.Status.CLOSED
    case.version += 1
    case._change_reason = "local review closed: every action of its plan finished"
    case.save(update_fields=["status", "version", "updated_at"])
    return review


def action_finished(*, action, user):
    """The actions' hook: an action was closed or carried. When it came from a recommendation
    and it was the plan's last, the review and its case close."""
    if action.source_type_id != ContentType.objects.get_for_model(Recommendation).pk:
        return None
    recommendation = Recommendation.objects.filter(pk=action.source_id).first()
    if recommendation is None:
        return None
    review = _locked(recommendation.review)
    return close_if_plan_finished(review=review, user=user)


# --- Learning themes and the learning briefing ---


@transaction.atomic
def set_themes(*, review, user, themes):
    """Tag the review with learning themes from the partnership's list (active ones only); the
    tags not chosen are removed. Returns the themes now tagged."""
    _may_write(review, user, "tag learning themes")
    review = _locked(review)
    chosen = {theme.pk: theme for theme in themes}
    inactive = [t.name for t in chosen.values() if not t.active]
    if inactive:
        raise ValidationError(
            {"themes": f"{', '.join(inactive)} is no longer on the partnership's list"}
        )
    current = {tag.theme_id: tag for tag in review.theme_tags.all()}
    for theme_id, tag in current.items():
        if theme_id not in chosen:
            tag.delete()
    for theme_id, theme in chosen.items():
        if theme_id not in current:
            ReviewTheme.objects.create(review=review, theme=theme, tagged_by=user)
    return sorted(chosen.values(), key=lambda t: t.name)


def active_themes():
    return LearningTheme.objects.filter(active=True).order_by("name")


def _identifying_words(case):
    """What must never be in published material about the case: each child's and household
    member's name (and each child's surname alone)."""
    words = set()
    for child in case.children.all():
        if child.name:
            words.add(child.name.strip())
            parts = child.name.split()
            if len(parts) > 1 and len(parts[-1]) > 2:
                words.add(parts[-1])
    for name in case.household.values_list("name", flat=True):
        words.add(name.strip())
    return {w for w in words if w}


def _names_found(case, texts):
    found = []
    for word in sorted(_identifying_words(case)):
        pattern = re.compile(rf"\b{re.escape(word)}\b", re.IGNORECASE)
        if any(pattern.search(text or "") for text in texts):
            found.append(word)
    return found


BRIEFING_NAMES_A_PERSON = (
    "The briefing is published: it must not name the child or their family. Use the "
    "pseudonym ({pseudonym})"
)


@transaction.atomic
def save_briefing(*, review, user, expected_version, summary, key_learning, questions):
    """The learning briefing's own words: the case in brief (by pseudonym), the key learning
    and questions for practitioners. Refused when it names a child or a household member: a
    briefing is shared outside the partnership."""
    _may_write(review, user, "write the learning briefing")
    review = _locked(review)
    current, _ = LearningBriefing.objects.select_for_update().get_or_create(
        review=review,
        defaults={
            "version": 0,
            "updated_by": user,
            "summary": "",
            "key_learning": "",
            "questions": "",
        },
    )
    if int(expected_version) != current.version:
        raise workflow.ConcurrentEdit
    fields = {"summary": summary, "key_learning": key_learning, "questions": questions}
    errors = {}
    for name, message in (
        ("summary", "Enter the case in brief"),
        ("key_learning", "Enter the key learning"),
        ("questions", "Enter at least one question for practitioners"),
    ):
        if not (fields[name] or "").strip():
            errors[name] = message
    for name, text in fields.items():
        if name not in errors and _names_found(review.case, [text]):
            errors[name] = BRIEFING_NAMES_A_PERSON.format(pseudonym=review.case.pseudonym)
    if errors:
        raise ValidationError(errors)
    for name, text in fields.items():
        setattr(current, name, text.strip())
    current.version += 1
    current.updated_by = user
    current.updated_at = timezone.now()
    current.save()
    return current
