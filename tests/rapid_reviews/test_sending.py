"""Sending the rapid review settles every request still open: the PDEO closes it (the agency
is told and its clock closes) or carries it on into the local review. Nothing stays silently
open and chased."""

from datetime import date

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from rapid_reviews import services
from safeguarding.contributions import services as contributions
from safeguarding.contributions.models import InformationRequest
from safeguarding.deadlines.models import Deadline
from safeguarding.deadlines.rules import Kind
from safeguarding.outbox.tasks import send_pending_emails
from safeguarding.web import ALREADY_SAVED, FORM_TOKEN

from ..helpers import verified_client
from .test_services import answer_all, decide

pytestmark = pytest.mark.django_db


@pytest.fixture
def ready(notified_case, partners, today, settings, tmp_path):
    """A rapid review with its final version made, and the police and hospital asked: the
    hospital has submitted a response nobody has accepted, the police have not answered."""
    settings.MEDIA_ROOT = tmp_path
    pdeo = partners["pdeo"]
    police, hospital = contributions.send_requests(
        case=notified_case,
        user=pdeo,
        agencies=[partners["police"], partners["hospital"]],
        questions="Your involvement",
    )
    contributions.save_response(
        request=hospital, user=partners["hospital_contributor"], expected_version=1, summary="Seen"
    )
    contributions.submit_response(request=hospital, user=partners["hospital_contributor"])
    review = services.open_rapid_review(case=notified_case, user=pdeo)

    def finish(decision="lcspr"):
        answer_all(review, pdeo)
        decide(review, pdeo, decision=decision)
        for who in ("police_signer", "la_signer", "icb_signer"):
            services.sign_off(review=review, user=partners[who])
        services.make_final(review=review, user=pdeo)
        mail.outbox.clear()
        return review

    return {"finish": finish, "police": police, "hospital": hospital, "pdeo": pdeo}


def d13(request):
    return Deadline.objects.get(kind=Kind.AGENCY_RESPONSE, object_id=request.pk)


def test_each_open_request_must_be_settled_before_it_is_recorded_as_sent(ready, today):
    review = ready["finish"]()
    police, hospital = ready["police"], ready["hospital"]
    with pytest.raises(ValidationError) as refused:
        services.send_to_national_panel(
            review=review,
            user=ready["pdeo"],
            sent_on=today,
            request_choices={police.pk: services.CLOSE},
        )
    assert f"request_{hospital.pk}" in refused.value.error_dict
    review.refresh_from_db()
    assert review.status == "final"  # nothing half done


def test_closing_tells_the_agency_and_closes_its_clock_carrying_on_keeps_it(ready, partners, today):
    review = ready["finish"]()
    police, hospital = ready["police"], ready["hospital"]
    services.send_to_national_panel(
        review=review,
        user=ready["pdeo"],
        sent_on=today,
        request_choices={police.pk: services.CLOSE, hospital.pk: services.CARRY_ON},
    )
    police.refresh_from_db()
    hospital.refresh_from_db()
    assert police.status == InformationRequest.Status.CLOSED
    assert d13(police).status == Deadline.Status.CANCELLED  # never answered: nothing owed now
    assert hospital.purpose == InformationRequest.Purpose.LOCAL_REVIEW
    assert hospital.status == InformationRequest.Status.SUBMITTED
    assert d13(hospital).status == Deadline.Status.OPEN  # still the PDEO's to accept
    send_pending_emails()
    told = {m.to[0]: m for m in mail.outbox}
    assert set(told) == {"police.contrib@x.example", "hospital.contrib@x.example"}
    assert "closed" in told["police.contrib@x.example"].subject
    assert "sent to the national Panel on 24 November 2026" in told["police.contrib@x.example"].body
    assert "carries on into the local review" in told["hospital.contrib@x.example"].body
    # The contributor still sees the closed request, read-only.
    client = verified_client(Client(), partners["police_contributor"])
    page = client.get(reverse("requests:detail", args=[police.pk]))
    assert page.status_code == 200 and "Closed: no longer needed" in page.content.decode()
    assert "Write or change the response" not in page.content.decode()


def test_a_submitted_response_closed_at_sending_meets_its_clock(ready, today):
    review = ready["finish"]()
    services.send_to_national_panel(
        review=review,
        user=ready["pdeo"],
        sent_on=today,
        request_choices={ready["police"].pk: "close", ready["hospital"].pk: "close"},
    )
    hospital = d13(ready["hospital"])
    assert (hospital.status, hospital.met_on) == (Deadline.Status.MET, date(2026, 11, 24))


def test_without_a_local_review_every_open_request_is_closed(ready, today):
    review = ready["finish"](decision="no_further_action")
    services.send_to_national_panel(review=review, user=ready["pdeo"], sent_on=today)
    statuses = set(
        InformationRequest.objects.filter(case=review.case).values_list("status", flat=True)
    )
    assert statuses == {InformationRequest.Status.CLOSED}
    assert not Deadline.objects.filter(kind=Kind.AGENCY_RESPONSE).unmet().exists()


def test_the_send_page_asks_for_each_request_and_answers_with_an_error_summary(ready, today):
    review = ready["finish"]()
    client = verified_client(Client(), ready["pdeo"])
    url = reverse("rapid_reviews:send", args=[review.case.reference])
    page = client.get(url).content.decode()
    assert "The request to Northbridge Police" in page
    assert "The request to Northbridge Hospital" in page
    response = client.post(url, {"sent_on_0": "24", "sent_on_1": "11", "sent_on_2": "2026"})
    html = response.content.decode()
    assert response.status_code == 200 and "govuk-error-summary" in html
    assert "Choose whether to close the request to Northbridge Police" in html
    response = client.post(
        url,
        {
            "sent_on_0": "24",
            "sent_on_1": "11",
            "sent_on_2": "2026",
            f"request_{ready['police'].pk}": "close",
            f"request_{ready['hospital'].pk}": "carry_on",
        },
    )
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.status == "sent"


def test_the_send_form_carries_its_one_time_token_and_sent_twice_is_saved_once(ready):
    """The form to record the date sent shows only once the final version is made (the
    permission matrix's token walk sees the page before that): there, it carries the token,
    and the same sending twice records it once."""
    review = ready["finish"](decision="no_further_action")
    client = verified_client(Client(), ready["pdeo"])
    url = reverse("rapid_reviews:send", args=[review.case.reference])
    form = client.get(url).context["form"]
    token = form[FORM_TOKEN].value()
    assert f'name="{FORM_TOKEN}"' in client.get(url).content.decode()
    data = {FORM_TOKEN: token, "sent_on_0": "24", "sent_on_1": "11", "sent_on_2": "2026"}
    first = client.post(url, data)
    assert first.status_code == 302
    second = client.post(url, data, follow=True)
    assert second.redirect_chain[0][0] == first.url
    assert ALREADY_SAVED in second.content.decode()
    review.refresh_from_db()
    assert review.status == "sent"


def test_the_date_sent_cannot_be_before_the_final_version(ready):
    review = ready["finish"](decision="no_further_action")
    with pytest.raises(ValidationError, match="before the final version was made"):
        services.send_to_national_panel(
            review=review, user=ready["pdeo"], sent_on=date(2026, 11, 23)
        )
