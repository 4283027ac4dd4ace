"""Issue 13's gaps: the terms of reference are agreed before the Case Review Panel first meets
(flagged on the review and the terms until they are), and each request to the reviewer has a
date it is wanted by (10 working days when none is given), flagged when overdue unanswered."""

from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from cspr import services
from cspr.models import Appointment, LocalReview
from safeguarding.workflow import NotAllowed
from tests.helpers import verified_client

pytestmark = pytest.mark.django_db
R = Appointment.Role


@pytest.fixture
def review(signed_off, partners, reviewers):
    review = LocalReview.objects.get(case=signed_off().case)  # decided 24 November 2026
    pdeo = partners["pdeo"]
    services.appoint(review=review, user=pdeo, person=reviewers["lead"], role=R.LEAD_REVIEWER)
    services.appoint(review=review, user=pdeo, person=reviewers["chair"], role=R.REVIEW_CHAIR)
    review.refresh_from_db()
    return review


def url(name, review, *args):
    return reverse(name, args=[review.case.reference, *args])


def agreed_terms(review, partners, reviewers):
    terms = services.save_terms(
        review=review,
        user=partners["pdeo"],
        expected_version=0,
        scope="Two years",
        period_from=date(2024, 11, 1),
        period_to=date(2026, 11, 1),
        key_lines_of_enquiry="Sharing",
        method="silp",
    )
    return services.agree_terms(
        terms=terms, user=reviewers["chair"], expected_version=terms.version
    )


def test_the_first_meeting_flags_terms_not_yet_agreed(review, partners, reviewers):
    pdeo = partners["pdeo"]
    with pytest.raises(ValidationError, match="cannot be before the decision"):
        services.set_first_panel_meeting(
            review=review, user=pdeo, first_panel_meeting_on=date(2026, 11, 1)
        )
    assert services.terms_warning(review, None) is None  # no meeting date: nothing to flag
    services.set_first_panel_meeting(
        review=review, user=pdeo, first_panel_meeting_on=date(2026, 12, 10)
    )
    review.refresh_from_db()
    assert services.terms_warning(review, None) == (
        "Agree the terms of reference before the first Case Review Panel meeting on "
        "10 December 2026"
    )
    client = verified_client(Client(), pdeo)
    page = client.get(url("cspr:detail", review)).content.decode()
    assert "Agree the terms of reference before the first Case Review Panel meeting" in page
    with time_machine.travel(date(2026, 12, 11), tick=False):
        client = verified_client(Client(), pdeo)
        assert "met on 10 December 2026 without agreed terms" in services.terms_warning(
            review, None
        )
        terms_page = client.get(url("cspr:terms", review)).content.decode()
        assert 'data-testid="terms-warning"' in terms_page
        terms = agreed_terms(review, partners, reviewers)
        assert services.terms_warning(review, terms) is None
        terms_page = client.get(url("cspr:terms", review)).content.decode()
        assert 'data-testid="terms-warning"' not in terms_page


def test_the_first_meeting_page(review, partners, reviewers):
    client = verified_client(Client(), partners["pdeo"])
    page = url("cspr:first_meeting", review)
    bad = client.post(page, {"first_panel_meeting_on_0": "40"}).content.decode()
    assert "govuk-error-summary" in bad
    response = client.post(
        page,
        {
            "first_panel_meeting_on_0": "10",
            "first_panel_meeting_on_1": "12",
            "first_panel_meeting_on_2": "2026",
        },
    )
    assert response["Location"] == url("cspr:terms", review)
    review.refresh_from_db()
    assert review.first_panel_meeting_on == date(2026, 12, 10)
    lead = verified_client(Client(), reviewers["lead"])
    assert lead.get(page).status_code == 403  # the PDEO records it


def test_a_request_to_the_reviewer_is_due_and_flagged_when_overdue(review, partners):
    pdeo = partners["pdeo"]
    # Asked with no date: 10 working days.
    asked = services.record_reviewer_request(
        review=review,
        user=pdeo,
        kind="information",
        details="The school's attendance records",
        asked_on=date(2026, 11, 24),
    )
    assert asked.due_on == date(2026, 12, 8)
    with time_machine.travel(date(2026, 12, 16), tick=False):  # a Wednesday, before Christmas
        christmas = services.record_reviewer_request(
            review=review, user=pdeo, kind="draft", details="A first draft", asked_on=date.today()
        )
    # 25 and 28 December and 1 January are bank holidays.
    assert christmas.due_on == date(2027, 1, 4)
    with time_machine.travel(date(2026, 12, 9), tick=False):
        client = verified_client(Client(), pdeo)
        assert asked.is_overdue(date.today()) and not christmas.is_overdue(date.today())
        detail = client.get(url("cspr:detail", review)).content.decode()
        assert "1 request to the reviewer overdue" in detail
        listing = client.get(url("cspr:reviewer_requests", review)).content.decode()
        assert listing.count("Overdue</strong>") == 1
        client.post(url("cspr:reviewer_answered", review, asked.pk))
        asked.refresh_from_db()
        assert asked.answered_on == date(2026, 12, 9)
        with pytest.raises(NotAllowed, match="Already recorded as answered"):
            services.record_reviewer_answer(request=asked, user=pdeo)
        detail = client.get(url("cspr:detail", review)).content.decode()
        assert 'data-testid="reviewer-requests-overdue"' not in detail
