"""Requests to agencies, through the pages the agencies and the PDEO use."""

import logging
import re
from datetime import date

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from safeguarding.audit.models import AccessLog
from safeguarding.contributions import services
from safeguarding.contributions.models import InformationRequest
from safeguarding.deadlines.models import Deadline
from safeguarding.deadlines.rules import Kind
from safeguarding.outbox.tasks import send_pending_emails

from ..helpers import entry_rows, verified_client
from . import files

pytestmark = pytest.mark.django_db


@pytest.fixture
def asked(notified_case, partners, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    police_request, hospital_request = services.send_requests(
        case=notified_case,
        user=partners["pdeo"],
        agencies=[partners["police"], partners["hospital"]],
        questions="Your involvement",
    )
    return {"police": police_request, "hospital": hospital_request}


def as_user(user):
    return verified_client(Client(), user)


def test_each_request_has_a_d13_clock_and_tells_only_that_agency(asked, partners, today):
    for request in asked.values():
        deadline = Deadline.objects.get(kind=Kind.AGENCY_RESPONSE, object_id=request.pk)
        assert deadline.due_date == date(2026, 12, 4)  # 8 working days from 24 November
        assert request.due_date == deadline.due_date
    send_pending_emails()
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == ["hospital.contrib@x.example", "police.contrib@x.example"]
    police_mail = next(m for m in mail.outbox if m.to == ["police.contrib@x.example"])
    assert asked["police"].case.reference in police_mail.body
    assert "Casey" not in police_mail.body and "Realname" not in police_mail.body
    assert f"/requests/{asked['police'].pk}/" in police_mail.body


def test_asking_the_same_agency_twice_is_refused(asked, partners, notified_case):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        services.send_requests(
            case=notified_case,
            user=partners["pdeo"],
            agencies=[partners["police"]],
            questions="Again",
        )
    assert "already been asked" in str(error.value)


def test_a_contributor_sees_only_their_agencys_requests_and_the_minimum(asked, partners):
    client = as_user(partners["police_contributor"])
    listing = client.get(reverse("requests:list")).content.decode()
    assert reverse("requests:detail", args=[asked["police"].pk]) in listing
    assert reverse("requests:detail", args=[asked["hospital"].pk]) not in listing
    detail = client.get(reverse("requests:detail", args=[asked["police"].pk]))
    html = detail.content.decode()
    assert asked["police"].case.reference in html and asked["police"].case.pseudonym in html
    # The case summary is the minimum; the child's name and date of birth are shown apart, for
    # finding the agency's own records while the request is open (issue 11), never elsewhere.
    summary = html.split('data-testid="case-summary"')[1].split("</dl>")[0]
    assert "Casey" not in summary and "Realname" not in summary and "2019" not in summary
    assert "Casey Realname" in html.split('data-testid="identifiers"')[1]
    assert html.count("Casey Realname") == 1
    assert client.get(reverse("requests:detail", args=[asked["hospital"].pk])).status_code == 404
    case_url = reverse("cases:detail", args=[asked["police"].case.reference])
    assert client.get(case_url).status_code == 403


def answer(client, request, summary="We saw the child twice."):
    client.post(
        reverse("requests:response", args=[request.pk]),
        {"version": InformationRequest.objects.get(pk=request.pk).version, "summary": summary},
    )


def test_the_whole_round_trip(asked, partners, today):
    police = as_user(partners["police_contributor"])
    pdeo = as_user(partners["pdeo"])
    request = asked["police"]
    answer(police, request)
    response = police.post(
        reverse("requests:entry_add", args=[request.pk]),
        entry_rows(
            {
                "date_0": "3",
                "date_1": "10",
                "date_2": "2026",
                "time": "14:30",
                "what_happened": "Officers attended the home.",
                "who": "PC",
                "significance": "First call",
            }
        ),
    )
    assert response.status_code == 302
    response = police.post(
        reverse("requests:document_add", args=[request.pk]),
        {
            "file": SimpleUploadedFile("log.pdf", files.pdf(), "application/pdf"),
            "description": "Incident log",
        },
    )
    assert response.status_code == 302
    assert police.get(reverse("requests:submit", args=[request.pk])).status_code == 200
    assert police.post(reverse("requests:submit", args=[request.pk])).status_code == 302
    request.refresh_from_db()
    assert request.status == "submitted" and request.submitted_on == today

    # The PDEO returns it; the agency amends and resubmits; the PDEO accepts.
    response = pdeo.post(reverse("requests:return", args=[request.pk]), {"reason": "Add dates"})
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == "returned"
    answer(police, request, summary="We saw the child twice, on 3 and 10 October.")
    police.post(reverse("requests:submit", args=[request.pk]))
    pdeo.post(reverse("requests:accept", args=[request.pk]))
    request.refresh_from_db()
    assert request.status == "accepted"
    deadline = Deadline.objects.get(kind=Kind.AGENCY_RESPONSE, object_id=request.pk)
    assert deadline.status == Deadline.Status.MET and deadline.met_on == today

    # Read-only once accepted: nothing the agency posts changes it.
    answer(police, request, summary="Changed after acceptance")
    police.post(
        reverse("requests:entry_add", args=[request.pk]),
        entry_rows(
            {"date_0": "4", "date_1": "10", "date_2": "2026", "what_happened": "Late addition"}
        ),
    )
    request.refresh_from_db()
    assert request.summary == "We saw the child twice, on 3 and 10 October."
    assert request.entries.count() == 1


def test_submitting_for_another_agency_is_refused(asked, partners):
    police = as_user(partners["police_contributor"])
    hospital_request = asked["hospital"]
    assert police.post(reverse("requests:submit", args=[hospital_request.pk])).status_code == 404
    assert (
        police.post(
            reverse("requests:response", args=[hospital_request.pk]),
            {"version": 1, "summary": "Not ours"},
        ).status_code
        == 404
    )
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.save_response(
            request=hospital_request,
            user=partners["police_contributor"],
            expected_version=1,
            summary="Not ours",
        )
    hospital_request.refresh_from_db()
    assert hospital_request.summary == ""


def test_submitting_after_the_request_was_withdrawn_is_refused(asked, partners):
    police = as_user(partners["police_contributor"])
    request = asked["police"]
    answer(police, request)
    as_user(partners["pdeo"]).post(reverse("requests:withdraw", args=[request.pk]))
    response = police.post(reverse("requests:submit", args=[request.pk]))
    assert response.status_code == 404  # withdrawn requests leave the agency's view
    request.refresh_from_db()
    assert request.status == "withdrawn"
    deadline = Deadline.objects.get(kind=Kind.AGENCY_RESPONSE, object_id=request.pk)
    assert deadline.status == Deadline.Status.CANCELLED


def test_submitting_an_empty_response_says_what_is_missing(asked, partners):
    police = as_user(partners["police_contributor"])
    response = police.post(reverse("requests:submit", args=[asked["police"].pk]), follow=True)
    assert "Write a summary of your agency" in response.content.decode()
    asked["police"].refresh_from_db()
    assert asked["police"].status == "open"


def test_a_fake_pdf_is_refused_and_the_description_is_kept(asked, partners):
    police = as_user(partners["police_contributor"])
    response = police.post(
        reverse("requests:document_add", args=[asked["police"].pk]),
        {
            "file": SimpleUploadedFile("log.pdf", b"not a pdf at all", "application/pdf"),
            "description": "Incident log from the control room",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert "named as a PDF but it is not" in html
    assert 'value="Incident log from the control room"' in html
    assert not asked["police"].documents.exists()


def test_a_file_over_the_limit_is_refused(asked, partners, settings):
    settings.UPLOAD_MAX_BYTES = 2048
    police = as_user(partners["police_contributor"])
    response = police.post(
        reverse("requests:document_add", args=[asked["police"].pk]),
        {
            "file": SimpleUploadedFile("big.txt", b"x" * 4096, "text/plain"),
            "description": "Too big",
        },
    )
    assert response.status_code == 200
    assert "must be smaller than" in response.content.decode()
    assert not asked["police"].documents.exists()


def test_documents_are_stored_under_random_names_and_downloads_are_logged(
    asked, partners, settings
):
    police = as_user(partners["police_contributor"])
    police.post(
        reverse("requests:document_add", args=[asked["police"].pk]),
        {"file": SimpleUploadedFile("Casey Realname notes.txt", b"Notes", "text/plain")},
    )
    document = asked["police"].documents.get()
    assert "Casey" not in document.file.name and not document.file.name.endswith(".txt")
    assert str(settings.MEDIA_ROOT) in document.file.path
    response = police.get(reverse("requests:document", args=[document.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"Notes"
    assert response["Content-Type"] == "text/plain"
    assert "attachment" in response["Content-Disposition"]
    log = AccessLog.objects.get(action="download")
    assert (
        log.user == partners["police_contributor"] and "Casey Realname notes.txt" in log.object_repr
    )
    hospital = as_user(partners["hospital_contributor"])
    assert hospital.get(reverse("requests:document", args=[document.pk])).status_code == 404
    assert AccessLog.objects.filter(action="download").count() == 1


def test_a_document_storage_has_lost_answers_not_found_and_logs_no_download(
    asked, partners, caplog
):
    """A stored file gone missing (a restore that missed the uploads): the service's own
    "not found" page, never a 500; no download recorded; the loss logged by its stored name."""
    police = as_user(partners["police_contributor"])
    police.post(
        reverse("requests:document_add", args=[asked["police"].pk]),
        {"file": SimpleUploadedFile("notes.txt", b"Notes", "text/plain")},
    )
    document = asked["police"].documents.get()
    document.file.storage.delete(document.file.name)
    with caplog.at_level(logging.ERROR, logger="safeguarding.web"):
        response = police.get(reverse("requests:document", args=[document.pk]))
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    assert not AccessLog.objects.filter(action="download").exists()
    assert document.file.name in caplog.text


def test_the_pdeo_chases_a_request_from_its_page(asked, partners, today):
    from safeguarding.deadlines.models import Reminder

    pdeo = as_user(partners["pdeo"])
    url = reverse("requests:detail", args=[asked["police"].pk])
    page = pdeo.get(url).content.decode()
    assert "Chase now" in page
    assert "Chase now" not in as_user(partners["police_contributor"]).get(url).content.decode()
    deadline = Deadline.objects.get(kind=Kind.AGENCY_RESPONSE, object_id=asked["police"].pk)
    action = reverse("chase_now", args=[asked["police"].case.reference, deadline.pk])
    assert f'action="{action}"' in page
    response = pdeo.post(action, {"next": url})
    assert response.status_code == 302 and response.url == url
    reminder = Reminder.objects.get()
    assert reminder.recipient == partners["police_contributor"]
    assert reminder.chased_by == partners["pdeo"]
    response = pdeo.post(action, {"next": "https://evil.example/"})
    assert response.url.startswith("/cases/")  # never off-site


def test_the_request_list_is_paged_soonest_due_first(partners):
    """A large partnership's agencies each have thousands of requests: the list shows a page
    of them, says how many there are, and the rest are a page away."""
    from ..factories import CaseFactory

    pdeo, police = partners["pdeo"], partners["police"]
    cases = [CaseFactory(user=pdeo) for _ in range(53)]
    InformationRequest.objects.bulk_create(
        InformationRequest(
            case=case,
            agency=police,
            purpose=InformationRequest.Purpose.RAPID_REVIEW,
            questions="Your involvement",
            requested_by=pdeo,
            due_date=date(2026, 12, 1 + n % 28),
        )
        for n, case in enumerate(cases)
    )
    client = as_user(partners["police_contributor"])
    first = client.get(reverse("requests:list")).content.decode()
    assert "53 requests." in first
    assert len(re.findall(r'href="/requests/\d+/"', first)) == 50
    assert 'aria-label="Page 1 of 2"' in first
    second = client.get(reverse("requests:list"), {"page": 2}).content.decode()
    assert len(re.findall(r'href="/requests/\d+/"', second)) == 3
    # Soonest due first: the first page holds the earliest dates, the second the latest.
    assert "1 Dec 2026" in first and "1 Dec 2026" not in second
    assert "28 Dec 2026" in second
