"""A request to an agency where nobody has an account would go nowhere, silently. The PDEO is
warned before and after sending, the request page and admin say so, and the chase reminds the
case lead instead."""

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from safeguarding.accounts.models import Agency
from safeguarding.contributions import services
from safeguarding.deadlines import chasing
from safeguarding.deadlines.models import Reminder

from ..factories import UserFactory
from ..helpers import verified_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def school(db):
    return Agency.objects.create(name="Northbridge Academy", kind="education")


def test_the_pdeo_is_warned_before_and_after_sending(notified_case, partners, school, today):
    client = verified_client(Client(), partners["pdeo"])
    url = reverse("requests:send", args=[notified_case.reference])
    form = client.get(url).content.decode()
    assert "Northbridge Academy (nobody there has an account: you will be reminded instead)" in form
    assert "Northbridge Police (nobody there" not in form  # the police contributor has one
    response = client.post(
        url,
        {"agencies": [school.pk, partners["police"].pk], "questions": "Your involvement"},
        follow=True,
    )
    html = response.content.decode()
    assert "2 requests sent" in html
    assert "Nobody at Northbridge Academy has an account in the service" in html
    assert "Nobody at Northbridge Police" not in html


def test_the_request_page_says_nobody_can_answer(notified_case, partners, school):
    (request,) = services.send_requests(
        case=notified_case, user=partners["pdeo"], agencies=[school], questions="q"
    )
    client = verified_client(Client(), partners["pdeo"])
    html = client.get(reverse("requests:detail", args=[request.pk])).content.decode()
    assert "Nobody at Northbridge Academy has an account in the service" in html
    UserFactory(roles=["Agency Contributor"], agency=school)
    html = client.get(reverse("requests:detail", args=[request.pk])).content.decode()
    assert "Nobody at Northbridge Academy" not in html


def test_the_chase_reminds_the_case_lead_instead(notified_case, partners, school, today):
    pdeo = partners["pdeo"]
    inactive = UserFactory(roles=["Agency Contributor"], agency=school, is_active=False)
    school_request, police_request = services.send_requests(
        case=notified_case, user=pdeo, agencies=[school, partners["police"]], questions="q"
    )
    chasing.chase(today=date(2026, 12, 4))  # the due day
    reminded = set(Reminder.objects.values_list("deadline__object_id", "recipient_id"))
    assert (school_request.pk, pdeo.pk) in reminded
    assert (school_request.pk, inactive.pk) not in reminded
    assert (police_request.pk, partners["police_contributor"].pk) in reminded
    assert (police_request.pk, pdeo.pk) not in reminded  # the police can answer for themselves


def test_admin_shows_and_filters_agencies_without_contributors(partners, school, client):
    admin = UserFactory(is_staff=True, is_superuser=True, agency=partners["la"])
    verified_client(client, admin)
    listing = client.get(reverse("admin:accounts_agency_changelist")).content.decode()
    assert "None active: nobody there is emailed" in listing
    only_none = client.get(
        reverse("admin:accounts_agency_changelist"), {"contributors": "none"}
    ).content.decode()
    assert "Northbridge Academy" in only_none and "Northbridge Hospital" not in only_none
    change = client.get(reverse("admin:accounts_agency_change", args=[school.pk]))
    assert "None active: nobody there is emailed" in change.content.decode()


def test_a_request_waits_on_its_agency_and_says_when_nobody_there_can_answer(
    notified_case, partners, school
):
    from safeguarding.deadlines.selectors import rows, whats_due

    services.send_requests(
        case=notified_case,
        user=partners["pdeo"],
        agencies=[school, partners["police"]],
        questions="q",
    )
    labels = {
        r.waits_on
        for r in rows(whats_due(partners["pdeo"]))
        if r.deadline.kind == "agency_response"
    }
    assert labels == {"Northbridge Police", "Northbridge Academy (nobody there has an account)"}


def test_the_case_lead_owes_the_requests_nobody_can_answer_and_only_those(
    notified_case, partners, school
):
    """'Waiting for you': the academy's request (nobody there has an active account), not the
    police's; a contributor with no agency, or one who has left, answers for nobody."""
    from safeguarding.contributions.home import requests_to_act_on

    UserFactory(roles=["Agency Contributor"], agency=None)
    UserFactory(roles=["Agency Contributor"], agency=school, is_active=False)
    police, academy = services.send_requests(
        case=notified_case,
        user=partners["pdeo"],
        agencies=[partners["police"], school],
        questions="q",
    )
    assert list(requests_to_act_on(partners["pdeo"])) == [academy]
