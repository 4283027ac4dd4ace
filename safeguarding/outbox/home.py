"""The outbox's section of the home page: emails a person must decide about."""

from django.urls import reverse

from safeguarding.home import LIST_LIMIT, Item, Section

from . import selectors
from .models import RESEND_EMAIL


def emails_needing_attention(user):
    if not user.has_perm(RESEND_EMAIL):
        return None
    # What an item shows: not the email's body, nor the recipient's account beyond their name.
    shown = ("status", "subject", "recipient", "recipient__full_name", "recipient__email")
    emails = list(selectors.needing_attention().only(*shown)[:LIST_LIMIT])
    if not emails:
        return None
    href = reverse("emails_needing_attention")
    return Section(
        "Emails that need a decision",
        "Emails the service could not send, or cannot tell whether it sent. Check, then resend.",
        "",
        [Item(f"{e.get_status_display()}: {e.subject} to {e.recipient}", href) for e in emails],
    )
