"""What the PDEO and the Panel's chairs owe in this stage ("Waiting for you"): referrals to
screen."""

from django.urls import reverse

from safeguarding.accounts.roles import SCREEN_REFERRAL
from safeguarding.cases.models import case_ids_readable_by
from safeguarding.home import Owed

from .models import Referral


def referrals_to_screen(user):
    if not user.has_perm(SCREEN_REFERRAL):
        return None
    return (
        # The screening page reads the referral: only cases the person may read.
        Referral.objects.filter(decision="", case__in=case_ids_readable_by(user))
        .select_related("case", "referring_agency")
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
