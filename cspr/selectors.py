"""Reads about local reviews that depend on who is asking: each starts from the case gate."""

from django.db.models import Count, Q
from django.http import Http404
from django.urls import reverse

from rapid_reviews.models import RapidReview
from safeguarding.accounts.models import Agency
from safeguarding.accounts.roles import (
    APPROVE_FINAL_REPORT,
    COMMISSION_LOCAL_REVIEW,
    REVISE_DECISION,
    SIGN_OFF_RAPID_REVIEW,
)
from safeguarding.cases.models import Case
from safeguarding.cases.panels import NextStep
from safeguarding.contributions.models import InformationRequest
from safeguarding.deadlines import selectors as deadline_selectors
from safeguarding.deadlines.rules import Kind

from . import services
from .models import (
    Appointment,
    LocalReview,
    NoLocalReview,
    RevisedDecision,
    TermsOfReference,
)

# The local review's own clocks, shown on its pages and the case page.
REVIEW_CLOCKS = [
    Kind.NOTIFY_LCSPR_DECISION,
    Kind.LCSPR_PUBLISHED,
    Kind.PROGRESS_CHECK,
    Kind.PRE_PUBLICATION_COPY,
    Kind.KEEP_PUBLISHED,
    Kind.PUBLICATION_REASONS,
]


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
    """The review's clocks (D12 belongs to the last check, D11 to each delay): one query."""
    return deadline_selectors.clocks_on_case(review.case, REVIEW_CLOCKS)


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
    """What to do next on the local review (or the decision about one), for this person."""
    user = request.user
    ref = {"reference": case.reference}
    steps = []
    rapid = RapidReview.objects.filter(case=case).only("id", "reply_outcome").first()
    if rapid is not None and rapid.reply_outcome == RapidReview.ReplyOutcome.CHALLENGES:
        waiting = RevisedDecision.objects.filter(
            rapid_review=rapid, status=RevisedDecision.Status.AWAITING_SIGN_OFF
        ).first()
        if waiting is None and user.has_perm(REVISE_DECISION):
            steps.append(
                NextStep(
                    "Record a revised decision after the national Panel's challenge",
                    reverse("cspr:revise", kwargs=ref),
                )
            )
        elif waiting is not None and user.has_perm(SIGN_OFF_RAPID_REVIEW):
            if not services.revised_sign_off_refusal(waiting, user):
                steps.append(
                    NextStep(
                        "Sign the revised decision", reverse("cspr:revised_sign_off", kwargs=ref)
                    )
                )
    if not user.has_perm(COMMISSION_LOCAL_REVIEW):
        return steps
    review = LocalReview.objects.filter(case=case).first()
    if review is None:
        return steps
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


def rapid_review_for(case):
    rapid = RapidReview.objects.filter(case=case).select_related("case").first()
    if rapid is None:
        raise Http404("This case has no rapid review")
    return rapid


def revision_for(rapid):
    """The revised decision waiting for sign-off, else the latest (404 when none)."""
    revisions = RevisedDecision.objects.filter(rapid_review=rapid).order_by("-recorded_at", "-id")
    revision = revisions.filter(status=RevisedDecision.Status.AWAITING_SIGN_OFF).first()
    revision = revision or revisions.first()
    if revision is None:
        raise Http404("No revised decision")
    return revision


def revised_sign_offs(revision):
    signed = {s.partner: s for s in revision.sign_offs.all()}
    return [
        (kind, Agency.Kind(kind).label, signed.get(kind))
        for kind in Agency.SAFEGUARDING_PARTNER_KINDS
    ]


def terms(review):
    return TermsOfReference.objects.filter(review=review).select_related("agreed_by").first()


def terms_versions(terms):
    """Every saved version, newest first (the change history)."""
    if terms is None:
        return []
    return list(
        terms.history.filter(version__gte=1)  # 0: the empty row the first save starts from
        .order_by("-version", "-history_date")
        .select_related("updated_by")
    )


def national_updates(review):
    return list(review.national_updates.select_related("recorded_by"))


def awaiting_final_approval(user):
    """Reports the Case Review Group has approved, waiting for the Executive: for those who
    give final approval, whether or not they are on the case's team (reference and pseudonym
    only; a declared conflict of interest takes the case out)."""
    if not user.has_perm(APPROVE_FINAL_REPORT):
        return LocalReview.objects.none()
    return (
        LocalReview.objects.filter(status=LocalReview.Status.CRG_APPROVED)
        .exclude(case__conflicts__user=user)
        .select_related("case")
        .order_by("decided_on", "id")
    )


def final_approval_review(user, review_id):
    review = awaiting_final_approval(user).filter(pk=review_id).first()
    if review is None:
        raise Http404("No report waiting for your approval")
    return review


def progress_link(deadline):
    return reverse("cspr:progress", kwargs={"reference": deadline.case.reference})


def report_sent_link(deadline):
    return reverse("cspr:report_sent", kwargs={"reference": deadline.case.reference})


def publication_delay_link(deadline):
    return reverse("cspr:publication_delay", kwargs={"reference": deadline.case.reference})


# --- The review's task list: its stages, each with a status and its clock ---

NOT_STARTED, IN_PROGRESS, COMPLETED, CANNOT_START = (
    ("not_started", "Not yet started", "govuk-tag--blue"),
    ("in_progress", "In progress", "govuk-tag--light-blue"),
    ("completed", "Completed", ""),
    ("cannot_start", "Cannot start yet", "govuk-tag--grey"),
)


def _latest(rows_by_kind, kind):
    """The clock of a kind to show: the one still waited for, else the last."""
    found = rows_by_kind.get(kind, [])
    unmet = [r for r in found if r.deadline.met_on is None]
    return (unmet or found or [None])[-1]


def task_list(review, clock_rows, team, terms, request_counts):
    """[(title, url name, status, clock row or None, hint)] for each stage, from what the page
    has already read (no query of its own)."""
    by_kind = {}
    for row in clock_rows:
        by_kind.setdefault(row.deadline.kind, []).append(row)
    S = LocalReview.Status
    roles = {a.role for a in team}
    order = [S.COMMISSIONED, S.CRP_AGREED, S.CRG_APPROVED, S.APPROVED, S.PUBLISHED]
    reached = order.index(review.status) + 1 if review.status in order else 0
    commissioned = {Appointment.Role.LEAD_REVIEWER, Appointment.Role.REVIEW_CHAIR} <= roles
    sent, accepted = request_counts
    tasks = [
        (
            "Commission the review",
            "cspr:team",
            COMPLETED if commissioned else (IN_PROGRESS if team else NOT_STARTED),
            None,
            "Lead Reviewer, Chair of the review and a Case Review Panel member per agency",
        ),
        (
            "Tell the national Panel, Ofsted and DfE",
            "cspr:told",
            COMPLETED if review.national_panel_told_on else NOT_STARTED,
            _latest(by_kind, Kind.NOTIFY_LCSPR_DECISION),
            "With the reviewer's name",
        ),
        (
            "Agree the terms of reference",
            "cspr:terms",
            COMPLETED
            if terms and terms.is_agreed
            else (IN_PROGRESS if terms and terms.version else NOT_STARTED),
            None,
            "Agreed by the Chair with the Lead Reviewer",
        ),
        (
            "Gather information from agencies",
            "requests:send",
            (COMPLETED if sent and sent == accepted else IN_PROGRESS) if sent else NOT_STARTED,
            None,
            f"{accepted} of {sent} requests accepted" if sent else "Requests and chronologies",
        ),
        (
            "Check progress every 8 weeks",
            "cspr:progress",
            IN_PROGRESS if reached < 5 else COMPLETED,
            _latest(by_kind, Kind.PROGRESS_CHECK),
            "Timeliness and quality (regulation 14)",
        ),
        (
            "Approve the final report",
            "cspr:approval",
            COMPLETED
            if reached >= 4
            else (IN_PROGRESS if reached >= 2 else CANNOT_START)
            if commissioned
            else CANNOT_START,
            None,
            "Case Review Panel, Case Review Group, then the Executive",
        ),
        (
            "Publish the report",
            "cspr:publish" if reached >= 4 else "cspr:plan_publication",
            COMPLETED
            if reached == 5
            else (IN_PROGRESS if review.planned_publication_on else NOT_STARTED),
            _latest(by_kind, Kind.LCSPR_PUBLISHED),
            "Within 6 months of the decision; the final report sent 7 working days before",
        ),
    ]
    return tasks


def request_counts(case):
    """(sent, accepted) requests for the local review: one query."""
    counts = (
        InformationRequest.objects.filter(
            case=case, purpose=InformationRequest.Purpose.LOCAL_REVIEW
        )
        .exclude(status=InformationRequest.Status.WITHDRAWN)
        .aggregate(
            sent=Count("id"),
            accepted=Count("id", filter=Q(status=InformationRequest.Status.ACCEPTED)),
        )
    )
    return counts["sent"], counts["accepted"]


def in_progress(reviews):
    return (
        reviews.filter(status__in=LocalReview.ACTIVE).select_related("case").order_by("decided_on")
    )


def reviews_led_by(user, *, chair=False):
    """Reviews the person is a current Lead Reviewer of (or Chair, with `chair`)."""
    roles = [Appointment.Role.LEAD_REVIEWER] + ([Appointment.Role.REVIEW_CHAIR] if chair else [])
    return LocalReview.objects.filter(
        appointments__user=user,
        appointments__role__in=roles,
        appointments__removed_at__isnull=True,
        case__in=Case.objects.readable_by(user),
    ).distinct()
