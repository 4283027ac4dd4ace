"""Reads about local reviews that depend on who is asking: each starts from the case gate."""

from django.http import Http404
from django.urls import reverse

from safeguarding.accounts.roles import COMMISSION_LOCAL_REVIEW
from safeguarding.cases.models import Case
from safeguarding.cases.panels import NextStep
from safeguarding.deadlines import selectors as deadline_selectors
from safeguarding.deadlines.rules import Kind

from . import services
from .models import Appointment, LocalReview, NoLocalReview

# The local review's own clocks, shown on its pages and the case page.
REVIEW_CLOCKS = [Kind.NOTIFY_LCSPR_DECISION, Kind.LCSPR_PUBLISHED]


def review_for(case):
    review = LocalReview.objects.filter(case=case).select_related("case", "rapid_review").first()
    if review is None:
        raise Http404("This case has no local review")
    return review


def no_review_for(case):
    record = NoLocalReview.objects.filter(case=case, superseded=False).first()
    if record is None:
        raise Http404("This case has no decision against a local review")
    return record


def appointments(review, *, current=True):
    rows = Appointment.objects.filter(review=review).select_related(
        "user", "agency", "appointed_by", "removed_by"
    )
    return rows.filter(removed_at__isnull=True) if current else rows


def appointment_for(review, pk):
    appointment = Appointment.objects.filter(review=review, pk=pk).select_related("review").first()
    if appointment is None:
        raise Http404("No such appointment on this review")
    return appointment


def missing_agencies(review, current):
    """Involved agencies with no Case Review Panel member yet."""
    have = {a.agency_id for a in current if a.role == Appointment.Role.CRP_MEMBER}
    return [a for a in review.case.agencies_involved.order_by("name") if a.pk not in have]


def to_commission(user):
    """Local reviews decided and not yet commissioned, on cases the person may read, oldest
    decision first, with their key lines of enquiry."""
    return (
        LocalReview.objects.filter(
            status=LocalReview.Status.TO_COMMISSION, case__in=Case.objects.readable_by(user)
        )
        .select_related("case")
        .order_by("decided_on", "id")
    )


def clocks(review):
    return deadline_selectors.clocks_of(review, REVIEW_CLOCKS)


def case_panel(request, case):
    """The local review (or the decision against one) on the case page: three queries."""
    review = LocalReview.objects.filter(case=case).first()
    if review is None:
        record = NoLocalReview.objects.filter(case=case, superseded=False).first()
        if record is None:
            return None
        return {"review": None, "record": record, "asked": list(record.asked.all())}
    return {
        "review": review,
        "record": None,
        "clocks": clocks(review),
        "team": list(appointments(review)),
    }


def next_steps(request, case):
    user = request.user
    if not user.has_perm(COMMISSION_LOCAL_REVIEW):
        return []
    ref = {"reference": case.reference}
    review = LocalReview.objects.filter(case=case).first()
    if review is None:
        return []
    steps = []
    if review.status == LocalReview.Status.TO_COMMISSION:
        steps.append(NextStep("Commission the local review", reverse("cspr:team", kwargs=ref)))
    if review.is_active and review.national_panel_told_on is None:
        steps.append(
            NextStep(
                "Record telling the national Panel, Ofsted and DfE of the review",
                reverse("cspr:told", kwargs=ref),
            )
        )
    return steps


def review_link(deadline):
    return reverse("cspr:detail", kwargs={"reference": deadline.case.reference})


def told_link(deadline):
    return reverse("cspr:told", kwargs={"reference": deadline.case.reference})


def review_history(case):
    return LocalReview.history.filter(case_id=case.id)


def appointment_history(case):
    return Appointment.history.filter(review__case_id=case.id)


candidates = services.candidates


def current_roles(review):
    return set(services.current_appointments(review).values_list("role", flat=True))
