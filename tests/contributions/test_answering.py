"""How an agency answers: several chronology entries on one page, a nil return in one step,
and a response that cannot be submitted yet answered with an error summary."""

import pytest
from django.test import Client
from django.urls import reverse

from safeguarding.contributions import services
from safeguarding.contributions.models import ChronologyEntry, InformationRequest

from ..helpers import entry_rows, verified_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def request_to_police(notified_case, partners):
    (request,) = services.send_requests(
        case=notified_case, user=partners["pdeo"], agencies=[partners["police"]], questions="q"
    )
    return request


@pytest.fixture
def police(partners):
    return verified_client(Client(), partners["police_contributor"])


def row(day, what, **more):
    return {"date_0": str(day), "date_1": "10", "date_2": "2026", "what_happened": what, **more}


def test_several_entries_are_added_at_once_and_blank_rows_left_out(police, request_to_police):
    url = reverse("requests:entry_add", args=[request_to_police.pk])
    page = police.get(url).content.decode()
    assert page.count('data-testid="entry-row"') == 5
    assert "govuk-date-input" in page
    response = police.post(
        url,
        entry_rows(
            row(3, "Officers attended", time="14:30"),
            row(5, "Strategy discussion"),
            {},
            row(9, "Arrest"),
            {},
        ),
    )
    assert response.status_code == 302
    assert list(
        ChronologyEntry.objects.filter(request=request_to_police)
        .order_by("date")
        .values_list("what_happened", flat=True)
    ) == ["Officers attended", "Strategy discussion", "Arrest"]


def test_a_row_half_filled_in_is_an_error_on_that_row_and_nothing_is_saved(
    police, request_to_police
):
    url = reverse("requests:entry_add", args=[request_to_police.pk])
    response = police.post(
        url, entry_rows(row(3, "Officers attended"), {"date_0": "5", "date_1": "10"}, {})
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: " in html and "govuk-error-summary" in html
    assert "Entry 2: Enter what happened" in html
    assert "Entry 2: The date must include a year" in html
    assert 'href="#id_entries-1-what_happened"' in html
    assert "Officers attended</textarea>" in html  # what was typed is kept
    assert not ChronologyEntry.objects.exists()


def test_nothing_filled_in_asks_for_an_entry(police, request_to_police):
    url = reverse("requests:entry_add", args=[request_to_police.pk])
    html = police.post(url, entry_rows({}, {})).content.decode()
    assert "Enter at least one chronology entry" in html and "govuk-error-summary" in html
    html = police.post(url, {"entries-TOTAL_FORMS": "x"}).content.decode()
    assert "This page is out of date" in html and "<title>Error: " in html


def test_a_nil_return_is_made_in_one_step(police, request_to_police, partners, today):
    detail = police.get(reverse("requests:detail", args=[request_to_police.pk])).content.decode()
    assert "No involvement: make a nil return" in detail
    url = reverse("requests:nil_return", args=[request_to_police.pk])
    html = police.post(url, {}).content.decode()
    assert "Confirm your agency has had no involvement" in html  # the one question
    response = police.post(url, {"confirm": "on", "records_checked": "Niche, by name and DOB"})
    assert response.status_code == 302
    request = InformationRequest.objects.get(pk=request_to_police.pk)
    assert request.status == InformationRequest.Status.SUBMITTED and request.nil_return
    assert request.summary == "No involvement with this child or family."
    assert request.nature_of_involvement == "Records checked: Niche, by name and DOB"
    assert request.submitted_on == today
    services.accept_response(request=request, user=partners["pdeo"])  # D13 met as usual


def test_a_nil_return_with_entries_is_refused(police, request_to_police, partners):
    services.add_entries(
        request=request_to_police,
        user=partners["police_contributor"],
        entries=[row_fields()],
    )
    url = reverse("requests:nil_return", args=[request_to_police.pk])
    html = police.post(url, {"confirm": "on"}).content.decode()
    assert "govuk-error-summary" in html and "is not a nil return" in html
    assert InformationRequest.objects.get(pk=request_to_police.pk).status == "open"


def row_fields():
    from datetime import date

    return {
        "date": date(2026, 10, 3),
        "time": None,
        "what_happened": "x",
        "who": "",
        "significance": "",
    }


def test_submitting_without_a_summary_shows_an_error_summary_not_a_banner(
    police, request_to_police
):
    url = reverse("requests:submit", args=[request_to_police.pk])
    response = police.post(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in html and "<title>Error: " in html
    assert "Write a summary of your agency&#x27;s involvement before you submit" in html
    assert 'href="#change-summary"' in html and 'id="change-summary"' in html
    assert "govuk-notification-banner" not in html
