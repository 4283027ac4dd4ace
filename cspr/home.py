"""The local reviews' sections of the home page."""

from django.urls import reverse

from safeguarding.accounts.roles import VIEW_REVIEWS_TO_COMMISSION
from safeguarding.home import LIST_LIMIT, Item, Section

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
