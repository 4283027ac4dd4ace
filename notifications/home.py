"""What the PDEO and the Panel's chairs owe in this stage ("Waiting for you"): referrals to
screen."""

from django.urls import reverse

from safeguarding.accounts.roles import SCREEN_REFERRAL
from safeguarding.cases.models import on_readable_cases
from safeguarding.home import Owed

from .models import Referral


def referrals_to_screen(user):
    if not user.has_perm(SCREEN_REFERRAL):
        return None
    return (
        # The screening page reads the referral: only cases the person may read.
        Referral.objects.filter(on_readable_cases(user), decision="")
        .select_related("case", "referring_agency")
        # What an item shows. What happened and why it is serious (free text about the
        # child) are read on the screening page, not for a line of the home page.
        .only(
            "case",
            "referring_agency",
            "received_on",
            "case__reference",
            "case__pseudonym",
            "referring_agency__name",
        )
        .order_by("received_on", "id")
    )


def screening_items(referrals, user):
    return [
        Owed(
            text="Record the screening decision",
            href=reverse("notifications:screening", kwargs={"reference": r.case.reference}),
            case=f"{r.case.reference} – {r.case.pseudonym}",
            hint=f"Referred by {r.referring_agency} on {r.received_on:%-d %B %Y}",
        )
        for r in referrals
    ]
