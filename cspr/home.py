"""The local reviews' sections of the home page."""

from django.db.models import OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone

from safeguarding.accounts.roles import APPROVE_FINAL_REPORT, VIEW_REVIEWS_TO_COMMISSION, Role
from safeguarding.cases.models import on_readable_cases
from safeguarding.deadlines import links
from safeguarding.deadlines.calendar import current_calendar
from safeguarding.deadlines.models import Deadline
from safeguarding.deadlines.rules import Kind
from safeguarding.deadlines.selectors import due_state, with_case_label
from safeguarding.home import LIST_LIMIT, Item, Owed, Section

from . import selectors
from .models import LocalReview, ReviewerRequest


def to_commission(user):
    """The PDEO's, the Chair's and the Business Manager's: decided reviews not yet commissioned.
    One query."""
    if not user.has_perm(VIEW_REVIEWS_TO_COMMISSION):
        return None
    # What an item shows: not the key lines of enquiry the reviews page lists.
    shown = ("case", "decided_on", "case__reference", "case__pseudonym")
    reviews = list(selectors.to_commission(user).only(*shown)[:LIST_LIMIT])
    items = [
        Item(
            f"{r.case.reference} – {r.case.pseudonym}, decided {r.decided_on:%-d %B %Y}",
            reverse("cspr:detail", kwargs={"reference": r.case.reference}),
        )
        for r in reviews
    ]
    items.append(Item("All reviews to commission", reverse("cspr:to_commission")))
    return Section(
        "Reviews to commission",
        "Local reviews the partners have decided on: appoint the Lead Reviewer, the Chair and "
        "the Case Review Panel.",
        "No reviews are waiting to be commissioned.",
        items,
    )


def final_approvals_waiting(user):
    """An Executive member's: reports waiting for the Executive's final approval."""
    if not user.has_perm(APPROVE_FINAL_REPORT):
        return None
    return selectors.awaiting_final_approval(user)


def final_approval_items(reviews, user):
    """Each with its 6-month deadline (D8): one query for them all."""
    due = dict(
        Deadline.objects.unmet()
        .filter(kind=Kind.LCSPR_PUBLISHED, case_id__in=[r.case_id for r in reviews])
        .values_list("case_id", "due_date")
    )
    today, calendar = timezone.localdate(), current_calendar()
    items = []
    for r in reviews:
        by = due.get(r.case_id)
        label, tag = due_state(by, today=today, calendar=calendar) if by else ("", "")
        items.append(
            Owed(
                text="Give the Executive's final approval of the local review's report",
                href=reverse("cspr:final_approval", kwargs={"review_id": r.pk}),
                case=f"{r.case.reference} – {r.case.pseudonym}",
                due=by,
                status=label,
                status_class=tag,
                hint="The review must be published within 6 months of the decision.",
            )
        )
    return items


def plan_sign_offs_waiting(user):
    """An Executive member's: action plans the Case Review Group has signed off."""
    if not user.has_perm(APPROVE_FINAL_REPORT):
        return None
    return selectors.plans_awaiting_executive(user)


def plan_sign_off_items(reviews, user):
    return [
        Owed(
            text="Sign off the local review's action plan",
            href=reverse("cspr:plan_approval", kwargs={"review_id": r.pk}),
            case=f"{r.case.reference} – {r.case.pseudonym}",
            due=None,
            status="",
            status_class="",
            hint="The Case Review Group has signed it off.",
        )
        for r in reviews
    ]


def reviews_in_progress(user):
    """The partnership team's and the Chair's: each local review in progress with its 6-month
    clock (D8). Two queries."""
    if not user.has_perm(VIEW_REVIEWS_TO_COMMISSION):
        return None
    reviews = list(
        _with_publish_by(
            selectors.in_progress(LocalReview.objects.filter(on_readable_cases(user)))
        )[:LIST_LIMIT]
    )
    return Section(
        "Local reviews in progress",
        "Each must be completed and published within 6 months of the decision.",
        "No local reviews are in progress.",
        _review_items(reviews),
    )


def _with_publish_by(reviews):
    """Each review with its 6-month clock's due date (D8, while unmet), read in the same query."""
    return reviews.annotate(
        publish_by=Subquery(
            Deadline.objects.unmet()
            .filter(kind=Kind.LCSPR_PUBLISHED, case_id=OuterRef("case_id"))
            .order_by("due_date")
            .values("due_date")[:1]
        )
    )


def _review_items(reviews):
    """Each review, its status and, while unmet, the date it must be published by."""
    return [
        Item(
            f"{r.case.reference} – {r.case.pseudonym} ({r.get_status_display().lower()})"
            + (f": to publish by {r.publish_by:%-d %B %Y}" if r.publish_by else ""),
            reverse("cspr:detail", kwargs={"reference": r.case.reference}),
        )
        for r in reviews
    ]


def lead_reviewer_reviews(user):
    """The Lead Reviewer's home: only their reviews, each with its 6-month clock."""
    if not user.has_role(Role.LEAD_REVIEWER):
        return None
    reviews = list(
        _with_publish_by(selectors.in_progress(selectors.reviews_led_by(user)))[:LIST_LIMIT]
    )
    return Section(
        "Your local reviews",
        "The reviews you are the Lead Reviewer of. Each must be published within 6 months of "
        "the decision.",
        "You are not leading a local review at the moment.",
        _review_items(reviews),
    )


def review_clocks_owed(user):
    """What a Lead Reviewer or Chair of a review owes: the review's clocks they are reminded
    about (D8, the progress check) on the reviews they are appointed to."""
    if not user.has_role(
        Role.LEAD_REVIEWER, Role.PANEL_CHAIR, Role.DEPUTY_CHAIR, Role.PANEL_MEMBER
    ):
        return None
    # Through the gate once: the reviews' cases are those the person may read
    # (`reviews_led_by`). Gated again here, PostgreSQL planned the same subquery twice.
    owed = Deadline.objects.unmet().filter(
        kind__in=[Kind.LCSPR_PUBLISHED, Kind.PROGRESS_CHECK],
        case__in=selectors.reviews_led_by(user, chair=True).values("case"),
    )
    return with_case_label(owed).order_by("due_date", "id")


def review_clock_items(deadlines, user):
    today, calendar = timezone.localdate(), current_calendar()
    items = []
    for d in deadlines:
        label, tag = due_state(d.due_date, today=today, calendar=calendar)
        items.append(
            Owed(
                text=d.get_kind_display(),
                href=links.href_or_case(d, user),
                case=f"{d.case.reference} – {d.case.pseudonym}",
                due=d.due_date,
                status=label,
                status_class=tag,
                hint="A local review you are appointed to.",
            )
        )
    return items


def comments_owed(user):
    """A Case Review Panel member's: drafts circulated for factual accuracy on which their
    agency has not finished commenting (D14). One query, or none for other roles."""
    if not user.has_role(
        Role.PANEL_MEMBER, Role.PANEL_CHAIR, Role.DEPUTY_CHAIR, Role.EXECUTIVE_MEMBER
    ):
        return None
    owed = (
        Deadline.objects.unmet()
        .filter(
            kind=Kind.FACTUAL_ACCURACY,
            object_id__in=selectors.drafts_awaiting_comments_from(user),
        )
        .filter(on_readable_cases(user))
    )
    return with_case_label(owed).order_by("due_date", "id")


def comment_items(deadlines, user):
    today, calendar = timezone.localdate(), current_calendar()
    items = []
    for d in deadlines:
        label, tag = due_state(d.due_date, today=today, calendar=calendar)
        items.append(
            Owed(
                text="Comment on the draft report's facts for your agency",
                href=links.href_or_case(d, user),
                case=f"{d.case.reference} – {d.case.pseudonym}",
                due=d.due_date,
                status=label,
                status_class=tag,
                hint="You are your agency's member of the review's Case Review Panel.",
            )
        )
    return items


def reviewer_requests_owed(user):
    """A Lead Reviewer's: what the partnership asked them for in writing (information or a
    draft, reg. 14) on the reviews they lead, until the PDEO records it answered. One query,
    or none for other roles."""
    if not user.has_role(Role.LEAD_REVIEWER):
        return None
    return selectors.requests_to(user)


REQUESTED = {
    ReviewerRequest.Kind.INFORMATION: "Send the information the partnership asked for",
    ReviewerRequest.Kind.DRAFT: "Send the draft of the report the partnership asked for",
}


def reviewer_request_items(requests, user):
    today, calendar = timezone.localdate(), current_calendar()
    items = []
    for r in requests:
        case = r.review.case
        label, tag = due_state(r.due_on, today=today, calendar=calendar) if r.due_on else ("", "")
        items.append(
            Owed(
                text=REQUESTED[r.kind],
                href=r.get_absolute_url(),
                case=f"{case.reference} – {case.pseudonym}",
                due=r.due_on,
                status=label,
                status_class=tag,
                hint=f"Asked on {r.asked_on:%-d %B %Y}. A local review you lead.",
            )
        )
    return items
