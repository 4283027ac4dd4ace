"""The rapid review PDF, read back: every heading in order, the pseudonym and never the name,
the marking on every page, page numbers, and tagged for screen readers."""

import hashlib
from datetime import date
from io import BytesIO

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from rapid_reviews import selectors, services
from rapid_reviews.documents import HEADINGS, rapid_review_pdf
from rapid_reviews.models import CriterionAnswer, RapidReviewPdf
from safeguarding.audit.models import AccessLog
from safeguarding.contributions import services as contributions
from safeguarding.workflow import NotAllowed

from ..helpers import assert_lost_file_is_not_found, verified_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded_review(notified_case, partners, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    pdeo = partners["pdeo"]
    review = services.open_rapid_review(case=notified_case, user=pdeo)
    long_text = "Casey's teacher noticed bruising. " * 120  # several pages
    for slug, fields in [
        ("child-and-family", {"child_and_family": "Lives with mother and her partner."}),
        ("incident", {"incident_and_current_situation": "Admitted to hospital. " + long_text}),
        (
            "analysis",
            {
                "key_practice_episodes": "Missed health appointments.",
                "lived_experience": "Quiet at school.",
            },
        ),
        ("key-lines-of-enquiry", {"key_lines_of_enquiry": "How was information shared?"}),
    ]:
        review.refresh_from_db()
        services.save_section(
            review=review,
            user=pdeo,
            section=slug,
            expected_version=review.version,
            completed=True,
            **fields,
        )
    (police_request,) = contributions.send_requests(
        case=notified_case, user=pdeo, agencies=[partners["police"]], questions="Involvement"
    )
    contributions.save_response(
        request=police_request,
        user=partners["police_contributor"],
        expected_version=1,
        summary="Two call-outs to the address.",
        involvement_from=date(2026, 1, 1),
        involvement_to=date(2026, 11, 15),
    )
    contributions.submit_response(request=police_request, user=partners["police_contributor"])
    contributions.accept_response(request=police_request, user=pdeo)
    review.refresh_from_db()
    services.save_criteria(
        review=review,
        user=pdeo,
        answers={c: ("possibly", "To be explored") for c in CriterionAnswer.Criterion.values},
    )
    services.record_decision(
        review=review,
        user=pdeo,
        decision="lcspr",
        rationale="Multi-agency learning.",
        national_review_view="no",
        decided_on=date(2026, 11, 23),
        decided_at_meeting="The panel",
    )
    for who in ("police_signer", "la_signer", "icb_signer"):
        services.sign_off(review=review, user=partners[who])
    review.refresh_from_db()
    return review


def read(pdf_bytes):
    reader = PdfReader(BytesIO(pdf_bytes))
    pages = [page.extract_text() for page in reader.pages]
    return reader, pages, "\n".join(pages)


def test_the_pdf_reads_back_with_every_heading_and_no_name(seeded_review):
    reader, pages, text = read(rapid_review_pdf(seeded_review))
    assert len(pages) >= 2
    positions = [text.index(heading) for heading in HEADINGS]
    assert positions == sorted(positions), "headings out of order"
    case = seeded_review.case
    assert case.pseudonym in text and case.reference in text
    assert "Casey Realname" not in text and "Realname" not in text
    assert "3 February 2019" not in text  # date of birth
    assert "Two call-outs to the address." in text and "Northbridge Police" in text
    assert "Dee Police" in text and "Ida ICB" in text and "Lee Council" in text
    assert "Local child safeguarding practice review" in text
    assert "How was information shared?" in text
    for number, page in enumerate(pages, start=1):
        assert page.count("OFFICIAL-SENSITIVE") >= 1, f"page {number} has no marking"
        assert f"Page {number} of {len(pages)}" in page
    from django.conf import settings

    assert settings.PARTNERSHIP_NAME in text


def test_the_pdf_is_tagged(seeded_review):
    reader, _, _ = read(rapid_review_pdf(seeded_review))
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert bool(root.get("/MarkInfo", {}).get("/Marked"))
    assert root.get("/Lang") == "en-GB"


def test_the_sent_version_is_stored_and_never_changes(seeded_review, partners, today):
    pdeo = partners["pdeo"]
    client = verified_client(Client(), pdeo)
    url = reverse("rapid_reviews:sent_pdf", args=[seeded_review.case.reference])
    assert client.get(url).status_code == 404  # not sent yet
    services.make_final(review=seeded_review, user=pdeo)
    services.send_to_national_panel(review=seeded_review, user=pdeo, sent_on=today)
    first = b"".join(client.get(url).streaming_content)
    _, _, text = read(first)
    # The file sent is the one made for sending: final, and so no draft stamp and no date sent
    # (it is made before it is sent; the date sent is recorded beside it).
    flat = " ".join(text.split())  # the line may wrap
    assert "Final version for the national Panel, made 24 November 2026" in flat
    assert "DRAFT" not in text and "Draft" not in text and "Not yet sent" not in text
    # The case changes afterwards (a corrected pseudonym): the sent PDF does not.
    case = seeded_review.case
    case.pseudonym = "Child Z"
    case.save()
    again = b"".join(client.get(url).streaming_content)
    assert again == first
    assert "Child Z" in read(rapid_review_pdf(seeded_review))[2]
    logs = AccessLog.objects.filter(action="download", user=pdeo)
    assert logs.count() == 2
    assert_lost_file_is_not_found(client, url, selectors.sent_pdf(seeded_review).file)


def test_a_draft_says_so_on_every_page(seeded_review):
    _, pages, text = read(rapid_review_pdf(seeded_review))
    flat = " ".join(text.split())
    assert "not the version sent to the national Panel" in flat and "Not yet sent" in flat
    for number, page in enumerate(pages, start=1):
        assert "DRAFT" in page, f"page {number} is not stamped as a draft"


def test_the_pdf_recorded_as_sent_is_byte_identical_to_the_one_made_for_sending(
    seeded_review, partners, today
):
    pdeo = partners["pdeo"]
    client = verified_client(Client(), pdeo)
    reference = seeded_review.case.reference
    final = services.make_final(review=seeded_review, user=pdeo)
    made = b"".join(
        client.get(reverse("rapid_reviews:final_pdf", args=[reference])).streaming_content
    )
    assert hashlib.sha256(made).hexdigest() == final.sha256
    page = client.get(reverse("rapid_reviews:send", args=[reference])).content.decode()
    assert final.sha256 in page  # the checksum is shown beside the file to send
    with time_machine.travel(date(2026, 11, 26), tick=False):  # sent two days later
        services.send_to_national_panel(review=seeded_review, user=pdeo, sent_on=date(2026, 11, 25))
    sent = b"".join(
        client.get(reverse("rapid_reviews:sent_pdf", args=[reference])).streaming_content
    )
    assert sent == made
    assert RapidReviewPdf.objects.filter(review=seeded_review).count() == 1  # nothing made again
    stored = RapidReviewPdf.objects.get(review=seeded_review)
    assert stored.is_sent_version and stored.is_final and stored.sha256 == final.sha256
    task_list = client.get(reverse("rapid_reviews:detail", args=[reference])).content.decode()
    assert final.sha256 in task_list


def test_the_final_version_freezes_the_review_until_reopened(seeded_review, partners):
    pdeo = partners["pdeo"]
    services.make_final(review=seeded_review, user=pdeo)
    seeded_review.refresh_from_db()
    with pytest.raises(NotAllowed, match="frozen"):
        services.save_section(
            review=seeded_review,
            user=pdeo,
            section="incident",
            expected_version=seeded_review.version,
            incident_and_current_situation="Changed after the final version",
        )
    services.reopen_for_changes(review=seeded_review, user=pdeo)
    seeded_review.refresh_from_db()
    services.save_section(
        review=seeded_review,
        user=pdeo,
        section="incident",
        expected_version=seeded_review.version,
        incident_and_current_situation="Corrected before sending",
    )
    second = services.make_final(review=seeded_review, user=pdeo)
    assert "Corrected before sending" in read(second.file.read())[2]
    versions = RapidReviewPdf.objects.filter(review=seeded_review)
    assert versions.count() == 2 and versions.filter(superseded=True).count() == 1


def test_every_generation_is_logged(seeded_review, partners):
    client = verified_client(Client(), partners["pdeo"])
    response = client.get(reverse("rapid_reviews:pdf", args=[seeded_review.case.reference]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert AccessLog.objects.filter(action="pdf").count() == 1
