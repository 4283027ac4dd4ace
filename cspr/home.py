"""The local reviews' sections of the home page."""

from django.urls import reverse
from django.utils import timezone

from safeguarding.accounts.roles import APPROVE_FINAL_REPORT, VIEW_REVIEWS_TO_COMMISSION
from safeguarding.deadlines.calendar import current_calendar
from safeguarding.deadlines.models import Deadline
from safeguarding.deadlines.rules import Kind
from safeguarding.deadlines.selectors import due_state
from safeguarding.home import LIST_LIMIT, Item, Owed, Section

from . import selectors


def to_commission(user):
    """The PDEO's, the Chair's and the Business Manager's: decided reviews not yet commissioned.
    One query."""
    if not user.has_perm(VIEW_REVIEWS_TO_COMMISSION):
        return None
    reviews = list(selectors.to_commission(user)[:LIST_LIMIT])
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
