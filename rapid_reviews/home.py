"""What a safeguarding partner owes ("Waiting for you"): their partner's sign-off of each rapid
review decided and waiting for it."""

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone

from safeguarding.accounts.models import Agency
from safeguarding.accounts.roles import SIGN_OFF_RAPID_REVIEW
from safeguarding.cases.models import on_readable_cases
from safeguarding.deadlines.calendar import current_calendar
from safeguarding.deadlines.models import Deadline
from safeguarding.deadlines.rules import Kind
from safeguarding.deadlines.selectors import due_state
from safeguarding.home import Owed

from .models import RapidReview, SignOff


def sign_offs_waiting(user):
    """Decided reviews, on cases the person may read, their partner (local authority, police or
    ICB, from their agency) has not signed yet. One query, the agency's kind read inside it."""
    if not (user.agency_id and user.has_perm(SIGN_OFF_RAPID_REVIEW)):
        return None
    partner = Agency.objects.filter(pk=user.agency_id, kind__in=Agency.SAFEGUARDING_PARTNER_KINDS)
    signed = SignOff.objects.filter(review=OuterRef("pk"), partner__in=partner.values("kind"))
    return (
        RapidReview.objects.filter(
            Exists(partner),
            # The sign-off page reads the case: only cases the person may read.
            on_readable_cases(user),
            status=RapidReview.Status.DECIDED,
        )
        .exclude(Exists(signed))
        .select_related("case")
        # What an item shows: not the review's sections, pages of free text about the child.
        .only("case", "decision", "decided_on", "case__reference", "case__pseudonym")
        .order_by("decided_on", "id")
    )


def sign_off_items(reviews, user):
    """Each with the date the review must be sent by (D5): one query for them all, none when
    nothing waits (the common case: building it was 0.7 ms of a Panel member's home page)."""
    if not reviews:
        return []
    sent_by = dict(
        Deadline.objects.unmet()
        .filter(kind=Kind.RAPID_REVIEW, case_id__in=[r.case_id for r in reviews])
        .values_list("case_id", "due_date")
    )
    today, calendar = timezone.localdate(), current_calendar()
    items = []
    for r in reviews:
        due = sent_by.get(r.case_id)
        label, tag = due_state(due, today=today, calendar=calendar) if due else ("", "")
        items.append(
            Owed(
                text="Sign off the rapid review's decision for your organisation",
                href=reverse("rapid_reviews:sign_off", kwargs={"reference": r.case.reference}),
                case=f"{r.case.reference} – {r.case.pseudonym}",
                due=due,
                status=label,
                status_class=tag,
                hint=f"Decision: {r.get_decision_display().lower()}. The review must be sent "
                "to the national Panel by the date shown.",
            )
        )
    return items
