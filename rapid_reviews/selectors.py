from django.http import Http404
from django.urls import reverse

from notifications import services as notification_services
from notifications.models import Notification
from notifications.selectors import notification_on
from safeguarding.accounts.models import Agency
from safeguarding.accounts.roles import RUN_RAPID_REVIEW, SIGN_OFF_RAPID_REVIEW
from safeguarding.cases.models import on_readable_cases
from safeguarding.cases.panels import NextStep
from safeguarding.contributions.models import InformationRequest
from safeguarding.deadlines import selectors as deadline_selectors
from safeguarding.deadlines.rules import Kind
from safeguarding.history import history_of
from safeguarding.page_memo import for_this_page
from safeguarding.paths import path_for

from .models import CriterionAnswer, RapidReview, RapidReviewPdf, SignOff


def has_review(case):
    return RapidReview.objects.filter(case=case).exists()


def is_notified(case):
    return Notification.objects.filter(case=case).exists()


def review_for(case):
    review = RapidReview.objects.filter(case=case).select_related("case").first()
    if review is None:
        raise Http404("This case has no rapid review")
    return review


def rapid_review_on(case):
    """The case's rapid review, or None: read once a page, where the next steps of the rapid
    review and of the local review both ask for it."""
    return for_this_page(
        ("rapid review on", case.pk), lambda: RapidReview.objects.filter(case=case).first()
    )


def case_panel(request, case):
    """The rapid review on the case page: status, its clocks (D5 runs from the decision to
    notify, before anyone starts the review), and the way in. Three queries."""
    notification = notification_on(case)
    if notification is None:
        return None
    review = rapid_review_on(case)
    clocks = deadline_selectors.clocks_on_case(case, [Kind.RAPID_REVIEW, Kind.PANEL_REPLY])
    follows = notification_services.needs_rapid_review(notification)
    return {
        "review": review,
        "clocks": clocks,
        "follows": follows,
        "can_open": review is None and follows and request.user.has_perm(RUN_RAPID_REVIEW),
    }


def next_steps(request, case):
    """What to do next on the rapid review, for this person."""
    user = request.user
    notification = notification_on(case)
    if notification is None:
        return []
    review = rapid_review_on(case)
    run = user.has_perm(RUN_RAPID_REVIEW)
    ref = {"reference": case.reference}
    S = RapidReview.Status
    if review is None:
        if run and notification_services.needs_rapid_review(notification):
            return [
                NextStep("Start the rapid review", reverse("rapid_reviews:open", kwargs=ref), True)
            ]
        return []
    if review.status == S.DECIDED and user.has_perm(SIGN_OFF_RAPID_REVIEW):
        if user.agency_id and not review.sign_offs.filter(partner=user.agency.kind).exists():
            return [
                NextStep("Sign off the rapid review", reverse("rapid_reviews:sign_off", kwargs=ref))
            ]
    if not run:
        return []
    step = {
        S.IN_PROGRESS: ("Continue the rapid review", "rapid_reviews:detail"),
        S.SIGNED_OFF: ("Make the final version for sending", "rapid_reviews:send"),
        S.FINAL: ("Record the date the rapid review was sent", "rapid_reviews:send"),
        S.SENT: ("Record the national Panel's reply", "rapid_reviews:reply"),
    }.get(review.status)
    return [NextStep(step[0], reverse(step[1], kwargs=ref))] if step else []


def review_link(deadline):
    return path_for("rapid_reviews:detail", deadline.case.reference)


def reply_link(deadline):
    return path_for("rapid_reviews:reply", deadline.case.reference)


def review_history(case):
    return history_of(RapidReview).filter(case_id=case.id)


def accepted_responses(case):
    return list(
        InformationRequest.objects.filter(case=case, status=InformationRequest.Status.ACCEPTED)
        .select_related("agency")
        .order_by("agency__name")
    )


def criteria_answers(review):
    return {a.criterion: a for a in CriterionAnswer.objects.filter(review=review)}


def sign_offs(review):
    return {s.partner: s for s in SignOff.objects.filter(review=review).select_related("agency")}


def reviews_to_commission(user):
    """Rapid reviews that decided on a local review, on cases the person may see, with the
    key lines of enquiry to carry over. The local review stage picks them up from here."""
    return (
        RapidReview.objects.filter(on_readable_cases(user), decision=RapidReview.Decision.LCSPR)
        .exclude(status=RapidReview.Status.IN_PROGRESS)
        .select_related("case")
        .order_by("decided_on", "id")
    )


def requests_of(case):
    return list(case.information_requests.select_related("agency"))


def sign_off_count(review):
    return review.sign_offs.count()


def partner_sign_offs(review):
    """(partner kind, its name, its sign-off or None) for each safeguarding partner."""
    signed = sign_offs(review)
    return [
        (kind, Agency.Kind(kind).label, signed.get(kind))
        for kind in Agency.SAFEGUARDING_PARTNER_KINDS
    ]


def sent_pdf(review):
    return RapidReviewPdf.objects.filter(review=review, is_sent_version=True).first()


def final_version(review):
    """The version made for sending (the one to send, and once sent the one kept as sent)."""
    return (
        RapidReviewPdf.objects.filter(review=review, is_final=True, superseded=False)
        .select_related("generated_by")
        .first()
    )


# What happens at sending to a request still open.
CLOSE, CARRY_ON = "close", "carry_on"


def open_requests(case):
    """The rapid review's requests nobody has finished with: each needs a decision at sending."""
    return list(
        InformationRequest.objects.filter(
            case=case,
            purpose=InformationRequest.Purpose.RAPID_REVIEW,
            status__in=InformationRequest.OPEN_STATUSES,
        )
        .select_related("agency", "case")
        .order_by("agency__name", "id")
    )


def can_carry_on(review):
    """Requests carry on only into a local review the partners decided on."""
    return review.decision == RapidReview.Decision.LCSPR
