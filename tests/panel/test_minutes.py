"""Minutes per item: drafted, approved at the next meeting, then read-only; and the minutes PDF,
made in the background, tagged, marked, and naming cases by reference and pseudonym only."""

import shutil
import subprocess
from datetime import date, time
from io import BytesIO

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from pypdf import PdfReader

from panel import services

from ..conftest import need
from ..factories import CaseFactory
from ..helpers import verified_client


@pytest.fixture
def minuted(panel, meeting):
    """Today's meeting with a referral item about a case and the action log, minuted and
    closed; and the next meeting, a month later."""
    pdeo = panel["pdeo"]
    case = CaseFactory(user=pdeo, stage="rapid_review")
    item = services.add_item(user=pdeo, meeting=meeting, kind="referral", case=case)
    log = services.add_item(user=pdeo, meeting=meeting, kind="action_log")
    services.record_attendance(
        user=pdeo, meeting=meeting, statuses={m: "present" for m in panel["members"].values()}
    )
    for i in (item, log):
        services.write_minutes(
            user=pdeo, item=i, minutes=f"Minutes of item {i.number}.", close=True
        )
    following = services.call_extraordinary_meeting(
        user=pdeo, day=date(2026, 12, 22), start_time=time(10), end_time=time(12), place="Room 1"
    )
    return {"item": item, "log": log, "next": following, "case": case}


def test_minutes_are_approved_at_the_next_meeting_then_read_only(panel, minuted):
    chair = panel["members"]["chair"].user
    with pytest.raises(ValidationError, match="once it is held"):
        services.approve_minutes(user=chair, meeting=minuted["next"])
    with time_machine.travel(date(2026, 12, 22), tick=False):
        services.approve_minutes(user=chair, meeting=minuted["next"])
        item = minuted["item"]
        item.refresh_from_db()
        assert item.minutes_approved_at == minuted["next"]
        with pytest.raises(ValidationError, match="approved on 22 December 2026"):
            services.write_minutes(user=panel["pdeo"], item=item, minutes="Changed.")
        item.refresh_from_db()
        assert item.minutes == "Minutes of item 1."


def test_unfinished_minutes_cannot_be_approved(panel, minuted, meeting):
    services.add_item(user=panel["pdeo"], meeting=meeting, kind="other_business")
    with (
        time_machine.travel(date(2026, 12, 22), tick=False),
        pytest.raises(ValidationError, match="write and close item 3"),
    ):
        services.approve_minutes(user=panel["members"]["chair"].user, meeting=minuted["next"])


def test_editing_approved_minutes_on_the_page_answers_with_an_error_summary(panel, minuted, client):
    item = minuted["item"]
    with time_machine.travel(date(2026, 12, 22), tick=False):
        services.approve_minutes(user=panel["members"]["chair"].user, meeting=minuted["next"])
        item.refresh_from_db()
        verified_client(client, panel["pdeo"])
        response = client.post(
            reverse("panel:minutes", kwargs={"pk": item.meeting_id, "item_id": item.pk}),
            {"version": item.version, "minutes": "Rewritten."},
        )
    assert response.status_code == 200
    html = response.content.decode()
    assert "govuk-error-summary" in html and "can no longer be changed" in html
    item.refresh_from_db()
    assert item.minutes == "Minutes of item 1."


def minutes_pdf(client, fetch_file, meeting, tmp_path):
    """The minutes PDF as the signed-in person gets it: (its bytes, its text)."""
    response = fetch_file(client, reverse("panel:minutes_pdf", kwargs={"pk": meeting.pk}))
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    pdf = tmp_path / "minutes.pdf"
    pdf.write_bytes(content)
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    return content, text


def test_the_minutes_pdf_is_made_in_the_background_tagged_and_pseudonymous(
    panel, minuted, meeting, client, fetch_file, settings, tmp_path
):
    need(shutil.which("pdftotext"), "pdftotext (poppler-utils) is not installed")
    settings.MEDIA_ROOT = tmp_path
    case = minuted["case"]
    verified_client(client, panel["members"]["police"].user)
    content, text = minutes_pdf(client, fetch_file, meeting, tmp_path)
    reader = PdfReader(BytesIO(content))
    assert "OFFICIAL-SENSITIVE" in text
    assert case.reference in text and case.pseudonym in text
    assert "Minutes of item 1." in text and "Draft minutes" in text
    assert "Real Name" not in text  # the child's name never appears
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root and root.get("/Lang") == "en-GB"


def test_the_minutes_pdf_page_says_what_it_will_hold(panel, meeting, client):
    verified_client(client, panel["members"]["police"].user)
    response = client.get(reverse("panel:minutes_pdf", kwargs={"pk": meeting.pk}))
    assert response.status_code == 200
    assert "by reference and pseudonym only" in response.content.decode()


def test_an_item_on_a_case_a_member_declared_a_conflict_on_is_withheld_from_them(
    panel, minuted, meeting, client, fetch_file, settings, tmp_path
):
    """A conflict of interest takes the whole case from the person (the gate): on the meeting
    page and in their copy of the minutes its item shows only its number, never the case's
    reference or pseudonym, its decisions or its minutes. Everyone else sees it all."""
    from safeguarding.cases import services as case_services

    need(shutil.which("pdftotext"), "pdftotext (poppler-utils) is not installed")
    settings.MEDIA_ROOT = tmp_path
    case = minuted["case"]
    conflicted = panel["members"]["police"].user
    case_services.declare_conflict(case=case, user=conflicted, nature="A neighbour")
    page = reverse("panel:meeting", kwargs={"pk": meeting.pk})

    verified_client(client, conflicted)
    html = client.get(page).content.decode()
    assert case.reference not in html and case.pseudonym not in html
    assert "1. Withheld: you declared a conflict of interest on its case" in html
    assert minuted["log"].heading in html
    _, text = minutes_pdf(client, fetch_file, meeting, tmp_path)
    assert case.reference not in text and case.pseudonym not in text
    assert "Minutes of item 1." not in text and "Minutes of item 2." in text
    assert "Items withheld from this copy" in text

    client.logout()
    verified_client(client, panel["members"]["education"].user)
    assert case.reference in client.get(page).content.decode()
    _, text = minutes_pdf(client, fetch_file, meeting, tmp_path)
    assert case.reference in text and "Minutes of item 1." in text
    assert "withheld" not in text
