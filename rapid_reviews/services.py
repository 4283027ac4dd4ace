"""The rapid review's workflow:

    in_progress --decide--> decided --(third sign-off)--> signed_off --finalise--> final
    final --send--> sent --reply--> replied          final --reopen--> signed_off

"Final for sending" freezes the review and makes the PDF to send, kept with its SHA-256;
recording the date sent keeps that same file as the version sent (nothing is made again), and
settles every request still open: closed (the agency told) or carried on into the local review.

D5 (send within 15 working days) is the notification's: it runs from the decision to notify
(notifications.services), whether or not anyone has started the review here. Starting the review
is a step of the work, not the clock's trigger. Sending closes D5 and opens D6 (the national
Panel's reply, expected not owed). Every step is recorded.
"""

import hashlib

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from notifications import services as notification_services
from notifications.models import Notification
from safeguarding import workflow
from safeguarding.accounts.models import Agency
from safeguarding.accounts.roles import (
    DECIDE_RAPID_REVIEW,
    RUN_RAPID_REVIEW,
    SIGN_OFF_RAPID_REVIEW,
)
from safeguarding.cases import services as case_services
from safeguarding.cases.models import Case
from safeguarding.contributions import services as contributions
from safeguarding.deadlines import services as deadlines
from safeguarding.deadlines.rules import Kind

from . import selectors
from .documents import rapid_review_pdf
from .models import CriterionAnswer, RapidReview, RapidReviewPdf, SignOff

S = RapidReview.Status
PARTNERS = Agency.SAFEGUARDING_PARTNER_KINDS

# What follows the national Panel's reply is a later stage's business (the local review's
# clocks); a stage never imports a later one, so it registers here (cspr's apps.py), as with
# SIGNED_OFF_HOOKS below. `hook(review=, user=)`, inside the reply's transaction.
REPLY_HOOKS = []


def on_reply(hook):
    if hook not in REPLY_HOOKS:
        REPLY_HOOKS.append(hook)
    return hook


def _criteria_answered(review, user):
    answered = set(review.criteria.values_list("criterion", flat=True))
    missing = [c for c in CriterionAnswer.Criterion.values if c not in answered]
    if missing:
        return "Answer every criterion before you record the decision"
    return None


def missing_sign_offs(review, user):
    signed = set(review.sign_offs.values_list("partner", flat=True))
    missing = [Agency.Kind(k).label for k in PARTNERS if k not in signed]
    if missing:
        return "All three safeguarding partners must sign off first: waiting for " + ", ".join(
            missing
        )
    return None


def _final_version_made(review, user):
    problem = missing_sign_offs(review, user)
    if problem:
        return problem
    if review.status == S.SIGNED_OFF:
        return "Make the final version for sending first"
    return None


TRANSITIONS = {
    "decide": workflow.Transition(
        "decide",
        (S.IN_PROGRESS, S.DECIDED),
        S.DECIDED,
        DECIDE_RAPID_REVIEW,
        _criteria_answered,
    ),
    "complete_sign_off": workflow.Transition(
        "complete_sign_off",
        (S.DECIDED,),
        S.SIGNED_OFF,
        SIGN_OFF_RAPID_REVIEW,
        missing_sign_offs,
    ),
    "finalise": workflow.Transition(
        "finalise", (S.SIGNED_OFF,), S.FINAL, RUN_RAPID_REVIEW, missing_sign_offs
    ),
    "reopen": workflow.Transition("reopen", (S.FINAL,), S.SIGNED_OFF, RUN_RAPID_REVIEW),
    "send": workflow.Transition("send", (S.FINAL,), S.SENT, RUN_RAPID_REVIEW, _final_version_made),
    "reply": workflow.Transition("reply", (S.SENT,), S.REPLIED, DECIDE_RAPID_REVIEW),
}


@transaction.atomic
def open_rapid_review(*, case, user):
    """Start the work of the review (its task list). D5 is already running: it started with the
    decision to notify."""
    if not user.has_perm(RUN_RAPID_REVIEW):
        raise PermissionDenied
    notification = Notification.objects.filter(case=case).first()
    if notification is None:
        raise ValidationError("Record the decision to notify first")
    if not notification_services.needs_rapid_review(notification):
        raise ValidationError(
            "The notification says no rapid review follows. Change the notification if one does."
        )
    try:
        with transaction.atomic():
            review = RapidReview.objects.create(case=case, opened_by=user)
    except IntegrityError as error:
        raise ValidationError("This case already has a rapid review") from error
    case_services.set_stage(case=case, stage=Case.Stage.RAPID_REVIEW)
    return review


def _locked(review, expected_version=None):
    current = RapidReview.objects.select_for_update().get(pk=review.pk)
    if expected_version is not None and int(expected_version) != current.version:
        raise workflow.ConcurrentEdit
    return current


def _editable(review):
    if review.status in (S.SENT, S.REPLIED):
        raise workflow.NotAllowed("The rapid review has been sent and can no longer be changed")
    if review.status == S.FINAL:
        raise workflow.NotAllowed(
            "The final version for sending has been made, so the review is frozen. Reopen it "
            "for changes first (the final version is then made again)."
        )


@transaction.atomic
def save_section(*, review, user, section, expected_version, completed=False, **fields):
    """Save one task-list section, and whether the person says it is complete."""
    if not user.has_perm(RUN_RAPID_REVIEW):
        raise PermissionDenied
    review = _locked(review, expected_version)
    _editable(review)
    for name, value in fields.items():
        setattr(review, name, value)
    review.section_status = {
        **review.section_status,
        section: "completed" if completed else "in_progress",
    }
    review.version += 1
    review.full_clean()
    review.save()
    return review


@transaction.atomic
def save_criteria(*, review, user, answers):
    """answers: {criterion: (answer, rationale)}."""
    if not user.has_perm(DECIDE_RAPID_REVIEW):
        raise PermissionDenied
    review = _locked(review)
    _editable(review)
    if review.sign_offs.exists():
        raise workflow.NotAllowed("The partners have signed off: the criteria cannot change now")
    for criterion, (answer, rationale) in answers.items():
        CriterionAnswer.objects.update_or_create(
            review=review,
            criterion=criterion,
            defaults={"answer": answer, "rationale": rationale},
        )
    review.version += 1
    review.save(update_fields=["version"])
    return review


@transaction.atomic
def record_decision(
    *,
    review,
    user,
    decision,
    rationale,
    national_review_view,
    decided_on,
    decided_at_meeting,
    other_learning_activity="",
    national_review_reason="",
):
    """The decision, taken at a meeting of the CSPR Panel. Refused once any partner signed."""
    review = _locked(review)
    if review.sign_offs.exists():
        raise workflow.NotAllowed(
            "The partners have signed off this decision: it cannot be changed now"
        )
    errors = {}
    if decision == RapidReview.Decision.OTHER_LEARNING and not other_learning_activity:
        errors["other_learning_activity"] = "Choose the learning activity"
    if decided_on and decided_on > timezone.localdate():
        errors["decided_on"] = "The date of the decision must be today or in the past"
    if errors:
        raise ValidationError(errors)
    review.decision = decision
    review.decision_rationale = rationale
    review.other_learning_activity = (
        other_learning_activity if decision == RapidReview.Decision.OTHER_LEARNING else ""
    )
    review.national_review_view = national_review_view
    review.national_review_reason = national_review_reason
    review.decided_on = decided_on
    review.decided_at_meeting = decided_at_meeting
    review.version += 1
    return workflow.apply(TRANSITIONS, "decide", review, user)


def sign_off_refusal(review, user):
    """Why this person cannot sign off this review now, or None if they can."""
    if review.status != S.DECIDED:
        if review.status == S.IN_PROGRESS:
            return "Record the decision before the partners sign off"
        return "The rapid review has already been signed off"
    agency = user.agency
    if agency is None or agency.kind not in PARTNERS:
        return "Only someone from the local authority, the police or the ICB can sign off"
    if review.sign_offs.filter(partner=agency.kind).exists():
        return f"{agency.get_kind_display()} has already signed off"
    return None


@transaction.atomic
def sign_off(*, review, user):
    """The signing person's agency decides which partner they sign for."""
    review = _locked(review)
    if not user.has_perm(SIGN_OFF_RAPID_REVIEW):
        raise PermissionDenied
    refusal = sign_off_refusal(review, user)
    if refusal:
        raise workflow.NotAllowed(refusal)
    agency = user.agency
    SignOff.objects.create(
        review=review,
        partner=agency.kind,
        agency=agency,
        user=user,
        name=user.full_name,
        role=user.job_title or "",
    )
    if missing_sign_offs(review, user) is None:
        workflow.apply(TRANSITIONS, "complete_sign_off", review, user)
        for hook in SIGNED_OFF_HOOKS:
            hook(review=review, user=user)
    return review


@transaction.atomic
def make_final(*, review, user):
    """Final for sending: the review is frozen and the PDF to send is made now, from the frozen
    review, and kept with its SHA-256. Made here rather than by the worker: it is one PDF of a
    few pages (about half a second; 1.3 s for a 40-page review on a 2-core machine), and made
    in the same transaction the review can never be frozen without its file, or the reverse."""
    review = _locked(review)
    review.version += 1
    workflow.apply(TRANSITIONS, "finalise", review, user)
    return store_pdf(review=review, user=user, pdf_bytes=rapid_review_pdf(review, final=True))


@transaction.atomic
def reopen_for_changes(*, review, user, reason=""):
    """Before sending, the PDEO finds something to correct: the review can be changed again and
    the final version it had is kept, marked superseded (a new one is made next time)."""
    review = _locked(review)
    review.version += 1
    workflow.apply(TRANSITIONS, "reopen", review, user, reason=reason)
    RapidReviewPdf.objects.filter(review=review, is_final=True, superseded=False).update(
        superseded=True
    )
    return review


CLOSE, CARRY_ON = selectors.CLOSE, selectors.CARRY_ON

# Later stages register callables here to hear of a review's third sign-off (the CSPR Panel
# ends its members' access to the case then). This app cannot import them, so they come to it.
SIGNED_OFF_HOOKS = []


def on_signed_off(hook):
    SIGNED_OFF_HOOKS.append(hook)
    return hook


def _choices_for(review, requests, choices):
    """What happens to each open request; every one must have an answer."""
    if not selectors.can_carry_on(review):
        return {r.pk: CLOSE for r in requests}
    decided, errors = {}, {}
    for r in requests:
        choice = (choices or {}).get(r.pk)
        if choice not in (CLOSE, CARRY_ON):
            errors[f"request_{r.pk}"] = (
                f"Choose whether to close the request to {r.agency} or carry it on into the "
                "local review"
            )
        decided[r.pk] = choice
    if errors:
        raise ValidationError(errors)
    return decided


@transaction.atomic
def send_to_national_panel(*, review, user, sent_on, request_choices=None):
    """Recorded as sent: the final version made for sending is kept as the version sent (the
    same file, byte for byte), D5 is met or missed, D6 (the reply) starts, and each request
    still open is closed (its agency told) or carried on into the local review, as chosen."""
    review = _locked(review)
    workflow.check(TRANSITIONS, "send", review, user)
    final = selectors.final_version(review)
    if sent_on > timezone.localdate():
        raise ValidationError({"sent_on": "The date sent must be today or in the past"})
    made_on = timezone.localdate(final.generated_at)
    if sent_on < made_on:
        raise ValidationError(
            {
                "sent_on": "The date sent cannot be before the final version was made "
                f"({made_on:%-d %B %Y})"
            }
        )
    requests = selectors.open_requests(review.case)
    decided = _choices_for(review, requests, request_choices)
    review.sent_on = sent_on
    review.sent_by = user
    review.version += 1
    workflow.apply(TRANSITIONS, "send", review, user)
    final.is_sent_version = True
    final.save(update_fields=["is_sent_version"])
    notification = Notification.objects.filter(case_id=review.case_id).first()
    if notification is not None:
        deadlines.record_event(kind=Kind.RAPID_REVIEW, obj=notification, on=sent_on)
    deadlines.open_deadline(
        kind=Kind.PANEL_REPLY, obj=review, case=review.case, anchor_date=sent_on
    )
    reason = f"the rapid review was sent to the national Panel on {sent_on:%-d %B %Y}."
    for request in requests:
        if decided[request.pk] == CARRY_ON:
            contributions.carry_into_local_review(request=request, user=user)
        else:
            contributions.close_request(request=request, user=user, reason=reason)
    return review


def store_pdf(*, review, user, pdf_bytes):
    """Keep the final version: never changed afterwards."""
    digest = hashlib.sha256(pdf_bytes).hexdigest()
    pdf = RapidReviewPdf(
        review=review,
        sha256=digest,
        is_final=True,
        generated_by=user,
        generated_at=timezone.now(),
    )
    pdf.file.save(f"{review.case.reference}-rapid-review.pdf", ContentFile(pdf_bytes), save=False)
    pdf.save()
    return pdf


@transaction.atomic
def record_reply(*, review, user, received_on, outcome, comments=""):
    review = _locked(review)
    if review.sent_on and received_on < review.sent_on:
        raise ValidationError({"received_on": "The reply cannot be before the review was sent"})
    if received_on > timezone.localdate():
        raise ValidationError({"received_on": "The date must be today or in the past"})
    review.reply_received_on = received_on
    review.reply_outcome = outcome
    review.reply_comments = comments
    review.version += 1
    workflow.apply(TRANSITIONS, "reply", review, user)
    deadlines.record_event(kind=Kind.PANEL_REPLY, obj=review, on=received_on)
    for hook in REPLY_HOOKS:
        hook(review=review, user=user)
    return review
