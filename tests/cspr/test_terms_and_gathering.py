"""Terms of reference (versioned, agreed by the Chair with the Lead Reviewer, two editors never
lose an edit) and gathering (requests feeding the same chronology; the PDEO's pack)."""

import io
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from cspr import selectors, services
from cspr.models import Appointment, LocalReview, TermsOfReference
from safeguarding.contributions import services as contributions
from safeguarding.contributions.models import InformationRequest
from safeguarding.workflow import ConcurrentEdit, NotAllowed
from tests.helpers import verified_client

pytestmark = pytest.mark.django_db
R = Appointment.Role


@pytest.fixture
def review(signed_off, partners, reviewers):
    review = LocalReview.objects.get(case=signed_off().case)
    pdeo = partners["pdeo"]
    services.appoint(review=review, user=pdeo, person=reviewers["lead"], role=R.LEAD_REVIEWER)
    services.appoint(review=review, user=pdeo, person=reviewers["chair"], role=R.REVIEW_CHAIR)
    return review


TERMS = {
    "scope": "Agencies' work with the family from pregnancy",
    "period_from": date(2025, 1, 1),
    "period_to": date(2026, 11, 15),
    "method": "silp",
    "method_other": "",
    "family_involvement": "The mother will be invited to meet the reviewer",
    "timescale": "Report to the Executive in April",
    "governance": "The Chair reports to the CSPR Panel",
}


def test_kloes_carry_over_and_two_editors_never_lose_an_edit(review, partners, reviewers):
    assert services.terms_initial(review)["key_lines_of_enquiry"].startswith(
        "How was information shared?"
    )
    pdeo, lead = partners["pdeo"], reviewers["lead"]
    # Both open the form on version 0 (nothing written yet); the PDEO saves first.
    first = services.save_terms(
        review=review,
        user=pdeo,
        expected_version=0,
        key_lines_of_enquiry="How was information shared?",
        **TERMS,
    )
    assert first.version == 1
    with pytest.raises(ConcurrentEdit):
        services.save_terms(
            review=review, user=lead, expected_version=0, scope="The reviewer's scope"
        )
    first.refresh_from_db()
    assert first.scope == TERMS["scope"]  # the first edit is kept
    second = services.save_terms(
        review=review, user=lead, expected_version=1, scope="The reviewer's scope"
    )
    assert second.version == 2
    assert [v.version for v in selectors.terms_versions(second)] == [2, 1]


def test_only_the_chair_agrees_with_the_lead_reviewer_and_a_change_needs_agreeing_again(
    review, partners, reviewers
):
    pdeo, chair = partners["pdeo"], reviewers["chair"]
    terms = services.save_terms(
        review=review, user=pdeo, expected_version=0, key_lines_of_enquiry="KLOE", **TERMS
    )
    with pytest.raises(NotAllowed, match="Only the Chair"):
        services.agree_terms(terms=terms, user=pdeo, expected_version=1)
    with pytest.raises(ConcurrentEdit):
        services.agree_terms(terms=terms, user=chair, expected_version=0)
    agreed = services.agree_terms(terms=terms, user=chair, expected_version=1)
    assert agreed.is_agreed and agreed.agreed_with == "Lena Reviewer"
    changed = services.save_terms(review=review, user=chair, expected_version=1, timescale="May")
    assert not changed.is_agreed and changed.agreed_version == 1


def test_someone_not_on_the_review_cannot_change_the_terms(review, partners, reviewers):
    with pytest.raises(NotAllowed, match="Only the PDEO, the Lead Reviewer or the Chair"):
        services.save_terms(
            review=review, user=reviewers["other_lead"], expected_version=0, scope="x"
        )
    assert not TermsOfReference.objects.exists()


def test_the_terms_page_refuses_a_stale_version_with_an_error_summary(review, partners):
    client = verified_client(Client(), partners["pdeo"])
    url = reverse("cspr:terms", kwargs={"reference": review.case.reference})
    page = client.get(url).content.decode()
    assert "How was information shared?" in page  # carried over
    data = {"version": "0", "scope": "First", "method": "scie"}
    assert client.post(url, data).status_code == 302
    stale = client.post(url, {**data, "scope": "Second"})
    assert stale.status_code == 200
    assert "govuk-error-summary" in stale.content.decode()
    assert TermsOfReference.objects.get().scope == "First"


def test_requests_on_a_local_review_are_for_it_and_the_pack_is_made_in_the_background(
    review, partners, fetch_file, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    (request,) = contributions.send_requests(
        case=review.case,
        user=partners["pdeo"],
        agencies=[partners["police"]],
        questions="Your agency's report for the review",
    )
    assert request.purpose == InformationRequest.Purpose.LOCAL_REVIEW
    client = verified_client(Client(), partners["pdeo"])
    response = fetch_file(client, reverse("cspr:pack", kwargs={"reference": review.case.reference}))
    reader = PdfReader(io.BytesIO(b"".join(response.streaming_content)))
    for page in reader.pages:
        assert "OFFICIAL-SENSITIVE" in page.extract_text()
    text = "".join(page.extract_text() for page in reader.pages)
    assert "Case Review Panel pack" in text
    assert "Lena Reviewer" in text
    assert "Casey" not in text  # the pseudonym only
