from datetime import date

import pytest
import time_machine

from notifications import services as notification_services
from safeguarding.accounts.models import Agency
from safeguarding.accounts.roles import Role

from ..factories import UserFactory

TODAY = date(2026, 11, 24)


@pytest.fixture
def today():
    with time_machine.travel(TODAY, tick=False):
        yield TODAY


@pytest.fixture
def partners(db):
    la = Agency.objects.create(name="Northbridge Council", kind="local_authority")
    police = Agency.objects.create(name="Northbridge Police", kind="police")
    icb = Agency.objects.create(name="Northbridge ICB", kind="icb")
    hospital = Agency.objects.create(name="Northbridge Hospital", kind="health_provider")
    return {
        "la": la,
        "police": police,
        "icb": icb,
        "hospital": hospital,
        "pdeo": UserFactory(roles=[Role.PDEO], agency=la, full_name="Pat Deo"),
        "la_signer": UserFactory(
            roles=[Role.DEPUTY_CHAIR],
            agency=la,
            full_name="Lee Council",
            job_title="Head of Service",
        ),
        "police_signer": UserFactory(
            roles=[Role.PANEL_MEMBER], agency=police, full_name="Dee Police", job_title="DCI"
        ),
        "icb_signer": UserFactory(
            roles=[Role.PANEL_CHAIR],
            agency=icb,
            full_name="Ida ICB",
            job_title="Director of Nursing",
        ),
        "police_contributor": UserFactory(
            roles=[Role.AGENCY_CONTRIBUTOR], agency=police, email="police.contrib@x.example"
        ),
        "hospital_contributor": UserFactory(
            roles=[Role.AGENCY_CONTRIBUTOR], agency=hospital, email="hospital.contrib@x.example"
        ),
    }


@pytest.fixture
def notified_case(partners, today):
    pdeo = partners["pdeo"]
    referral = notification_services.record_referral(
        user=pdeo,
        referring_agency=partners["hospital"],
        referrer_name="Dr R",
        received_on=date(2026, 11, 16),
        what_happened="Child admitted with injuries.",
        why_serious="Abuse suspected.",
        nature="serious_harm",
        child_name="Casey Realname",
        child_date_of_birth=date(2019, 2, 3),
        incident_date=date(2026, 11, 15),
    )
    notification_services.screen_referral(
        referral=referral,
        user=pdeo,
        decision="notify",
        reason="Meets it.",
        la_aware_on=date(2026, 11, 16),
    )
    notification_services.record_notification(
        notification=referral.case.notification,
        user=pdeo,
        expected_version=1,
        submitted_on=date(2026, 11, 19),
        national_reference="NP-RR-1",
        notifier_name="Pat Deo",
    )
    return referral.case
