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


def test_the_minutes_pdf_is_made_in_the_background_tagged_and_pseudonymous(
    panel, minuted, meeting, client, fetch_file, settings, tmp_path
):
    need(shutil.which("pdftotext"), "pdftotext (poppler-utils) is not installed")
    settings.MEDIA_ROOT = tmp_path
    case = minuted["case"]
    verified_client(client, panel["members"]["police"].user)
    response = fetch_file(client, reverse("panel:minutes_pdf", kwargs={"pk": meeting.pk}))
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    pdf = tmp_path / "minutes.pdf"
    pdf.write_bytes(content)
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
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
