"""Agencies upload the chronology they already keep: the template, the upload through the
pages, the check before anything is added, replacing an earlier upload, large files in the
background, and the entries then behaving like typed ones all the way to the exports."""

import csv
import io
import zipfile
from datetime import date, datetime, time, timedelta
from io import BytesIO

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from safeguarding.audit.models import AccessLog, StatusChange
from safeguarding.celery import app
from safeguarding.contributions import services, uploading
from safeguarding.contributions.models import (
    ChronologyEntry,
    ChronologyUpload,
    InformationRequest,
    PendingEntry,
)

from ..helpers import verified_client
from . import files
from .spreadsheets import (
    Formula,
    csv_bytes,
    filled_template,
    upload,
    with_macros,
    workbook,
    xlsx,
    xlsx_bytes,
)

pytestmark = pytest.mark.django_db

GOOD_ROWS = [
    [datetime(2025, 3, 12), time(14, 30), "Seen at home by the health visitor.", "HV", "First"],
    ["13/03/2025", None, "Text date, day first.", "GP", ""],
    ["2025-03-14", None, '=HYPERLINK("http://evil.example/?x","Click")', None, None],
]
U = ChronologyUpload.Status


@pytest.fixture
def asked(notified_case, partners):
    """The police and the hospital asked, with a period under review."""
    police, hospital = services.send_requests(
        case=notified_case,
        user=partners["pdeo"],
        agencies=[partners["police"], partners["hospital"]],
        questions="Your involvement and a chronology",
        period_from=date(2025, 1, 1),
        period_to=date(2026, 10, 31),
    )
    return {"police": police, "hospital": hospital}


@pytest.fixture
def police(asked):
    return asked["police"]


@pytest.fixture
def contributor(partners):
    return verified_client(Client(), partners["police_contributor"])


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def post_file(client, request, name, data):
    return client.post(reverse("requests:upload", args=[request.pk]), {"file": upload(name, data)})


def nothing_saved(request):
    return (
        not ChronologyEntry.objects.filter(request=request).exists()
        and not ChronologyUpload.objects.filter(request=request).exists()
        and not PendingEntry.objects.exists()
    )


def add(client, upload_row):
    return client.post(reverse("requests:upload_add", args=[upload_row.request_id, upload_row.pk]))


# --- The template --------------------------------------------------------------------------


def test_the_template_for_a_request(contributor, police, partners):
    response = contributor.get(reverse("requests:upload_template_xlsx", args=[police.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Cache-Control"] == "private, no-store"
    assert "chronology-template.xlsx" in response["Content-Disposition"]
    content = response.content
    with zipfile.ZipFile(BytesIO(content)) as archive:
        assert not any(b"<f>" in archive.read(n) for n in archive.namelist() if "sheet" in n)
        assert "xl/vbaProject.bin" not in archive.namelist()
    book = load_workbook(BytesIO(content))
    assert book.sheetnames == ["Chronology"]
    sheet = book.active
    text = [c.value for row in sheet.iter_rows() for c in row if c.value]
    assert text[0].startswith("OFFICIAL-SENSITIVE")
    assert any(police.case.reference in t and police.case.pseudonym in t for t in text)
    assert "Period under review: 1 January 2025 to 31 October 2026." in text
    assert any(t.startswith("How to fill it in") for t in text)
    assert text[-5:] == [
        "Date",
        "Time (if known)",
        "What happened",
        "Who in the agency (role, not name)",
        "Significance",
    ]
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)
    date_check = next(v for v in sheet.data_validations.dataValidation if v.type == "date")
    assert (date_check.formula1, date_check.formula2) == ("45658", "46326")  # the period
    assert str(date_check.sqref).startswith("A8:A")
    log = AccessLog.objects.get(user=partners["police_contributor"])
    assert log.action == AccessLog.Action.EXPORT
    assert "Chronology template (XLSX)" in log.object_repr


def test_the_csv_template(contributor, police):
    response = contributor.get(reverse("requests:upload_template_csv", args=[police.pk]))
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8"))))
    assert rows[0][0].startswith("OFFICIAL-SENSITIVE")
    assert rows[-1] == [
        "Date",
        "Time (if known)",
        "What happened",
        "Who in the agency (role, not name)",
        "Significance",
    ]


def test_the_pdeo_may_download_the_template_and_a_panel_chair_may_not(police, partners):
    pdeo = verified_client(Client(), partners["pdeo"])
    assert pdeo.get(reverse("requests:upload_template_xlsx", args=[police.pk])).status_code == 200
    chair = verified_client(Client(), partners["icb_signer"])  # sees the case, is not asked
    url = reverse("requests:upload_template_xlsx", args=[police.pk])
    assert chair.get(url).status_code == 403


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_a_filled_in_template_comes_back_in(contributor, police, fmt):
    template = contributor.get(reverse(f"requests:upload_template_{fmt}", args=[police.pk]))
    if fmt == "xlsx":
        data = filled_template(template.content, GOOD_ROWS)
    else:
        body = template.content.decode("utf-8")
        data = (body + csv_bytes(GOOD_ROWS, headings=None).decode("utf-8-sig")).encode()
    response = post_file(contributor, police, f"filled.{fmt}", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    made = ChronologyUpload.objects.get(request=police)
    assert (made.status, made.row_count) == (U.CHECKED, 3)


# --- Uploading a good file -------------------------------------------------------------------


def test_a_good_file_is_shown_before_anything_is_added(contributor, police, partners):
    response = post_file(
        contributor, police, "chronology.xlsx", xlsx(GOOD_ROWS, blank_rows_after=20)
    )
    made = ChronologyUpload.objects.get(request=police)
    assert response.status_code == 302
    assert response.url == reverse("requests:upload_status", args=[police.pk, made.pk])
    assert made.uploaded_by == partners["police_contributor"]
    assert (made.file_format, made.row_count, made.status) == ("xlsx", 3, U.CHECKED)
    assert len(made.sha256) == 64 and made.size > 0
    assert not made.pending_file  # the file itself is not kept
    assert not ChronologyEntry.objects.filter(request=police).exists()  # not yet

    page = contributor.get(response.url)
    html = page.content.decode()
    assert page.status_code == 200
    assert "Check the entries before you add them" in html
    assert "12 March 2025" in html and "13 March 2025" in html and "14 March 2025" in html
    assert "Add these 3 entries" in html
    assert "=HYPERLINK(&quot;http://evil.example/?x&quot;,&quot;Click&quot;)" in html
    assert AccessLog.objects.filter(
        user=partners["police_contributor"], object_repr__startswith="Chronology upload"
    ).exists()

    response = add(contributor, made)
    assert response.status_code == 302
    assert response.url == reverse("requests:detail", args=[police.pk])
    entries = list(ChronologyEntry.objects.filter(request=police).order_by("date"))
    assert [(e.date, e.time, e.who, e.upload_id, e.upload_row) for e in entries] == [
        (date(2025, 3, 12), time(14, 30), "HV", made.pk, 2),
        (date(2025, 3, 13), None, "GP", made.pk, 3),
        (date(2025, 3, 14), None, "", made.pk, 4),
    ]
    assert entries[2].what_happened == '=HYPERLINK("http://evil.example/?x","Click")'
    assert all(e.history.first().history_user == partners["police_contributor"] for e in entries)
    made.refresh_from_db()
    assert made.status == U.ADDED and made.added_by == partners["police_contributor"]
    assert not PendingEntry.objects.exists()
    assert StatusChange.objects.filter(object_id=str(made.pk), transition="add").exists()
    detail = contributor.get(response.url).content.decode()
    assert "3 entries added" in detail
    assert "3 entries were added from chronology.xlsx" in detail
    assert "Seen at home by the health visitor." in detail


def test_a_good_csv(contributor, police):
    data = csv_bytes([["12/03/2025", "14:30", "Seen", "HV", ""]], encoding="cp1252")
    response = post_file(contributor, police, "chronology.csv", data)
    assert response.status_code == 302
    made = ChronologyUpload.objects.get(request=police)
    assert (made.file_format, made.row_count) == ("csv", 1)
    add(contributor, made)
    assert ChronologyEntry.objects.get(request=police).time == time(14, 30)


def test_the_request_page_links_to_the_upload_and_the_template(contributor, police, partners):
    html = contributor.get(reverse("requests:detail", args=[police.pk])).content.decode()
    assert reverse("requests:upload", args=[police.pk]) in html
    assert reverse("requests:upload_template_xlsx", args=[police.pk]) in html
    pdeo = verified_client(Client(), partners["pdeo"])
    html = pdeo.get(reverse("requests:detail", args=[police.pk])).content.decode()
    assert f'href="{reverse("requests:upload", args=[police.pk])}"' not in html  # not asked
    assert reverse("requests:upload_template_csv", args=[police.pk]) in html


# --- Bad files: every problem by row and column, nothing saved ------------------------------


def test_a_file_with_bad_rows_lists_each_and_saves_nothing(contributor, police):
    data = xlsx(
        [
            [datetime(2025, 3, 12), None, "Fine", None, None],
            ["31/02/2025", None, "Impossible date", None, None],
            [datetime(2024, 12, 31), None, "Before the period", None, None],
            [datetime(2025, 3, 12), None, None, None, None],
            [datetime(2025, 3, 12), None, "Fine again", "x" * 201, None],
        ]
    )
    response = post_file(contributor, police, "bad.xlsx", data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Error: " in html
    assert "There is a problem with bad.xlsx" in html
    assert "The file has 4 problems. Nothing has been added" in html
    for text in [
        "Row 3, column A (Date): 31/02/2025 is not a real date",
        "Row 4, column A (Date): 31 December 2024 is before the period under review, which "
        "starts on 1 January 2025",
        "Row 5, column C (What happened): Enter what happened",
        "Row 6, column D (Who in the agency): Must be 200 characters or fewer (it has 201)",
    ]:
        assert text in html
    assert 'href="#id_file"' in html  # the summary links to the file input
    assert nothing_saved(police)


@pytest.mark.parametrize(
    "name, make, message",
    [
        ("chronology.xlsx", files.pdf, "named .xlsx but it is not an Excel workbook"),
        ("chronology.xlsx", files.docx, "named .xlsx but it is not an Excel workbook"),
        (
            "chronology.xlsx",
            lambda: with_macros(xlsx(GOOD_ROWS)),
            "The selected workbook contains macros",
        ),
        (
            "chronology.xlsx",
            lambda: xlsx([[datetime(2025, 3, 12), None, Formula("=A1&B1")]]),
            "Row 2, column C (What happened): The cell holds a formula",
        ),
        ("chronology.xlsx", lambda: b"", "The selected file is empty"),
        ("chronology.csv", lambda: b"", "The selected file is empty"),
        (
            "chronology.xlsx",
            lambda: xlsx([["31/02/2025", None, "x"]]),
            "Row 2, column A (Date): 31/02/2025 is not a real date",
        ),
        (
            "chronology.csv",
            lambda: csv_bytes([["13/25/2025", "", "x", "", ""]]),
            "Row 2, column A (Date): 13/25/2025 is not a real date",
        ),
        (
            "chronology.xlsx",
            lambda: _two_sheets(),
            "The workbook has entries on another sheet (&quot;Sheet2&quot;, cell A1)",
        ),
        (
            "chronology.xlsx",
            lambda: _merged(),
            "Row 2, column C: Cells C2:C3 are merged (rows 2 to 3)",
        ),
        (
            "chronology.xlsx",
            lambda: xlsx([[datetime(2025, 3, 12), None, f"Event {i}"] for i in range(100_000)]),
            "The file has more than 20,000 entries",
        ),
    ],
)
def test_bad_input_is_a_clear_error_and_saves_nothing(
    contributor, police, name, make, message, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):  # the worker, for a large file
        response = post_file(contributor, police, name, make())
    if response.status_code == 302:  # large: checked in the background, refused there
        assert ChronologyUpload.objects.get(request=police).status == U.REFUSED
        response = contributor.get(response.url)
    else:
        assert nothing_saved(police)
    assert response.status_code == 200
    html = response.content.decode()
    assert "govuk-error-summary" in html and "<title>Error: " in html
    assert message in html
    assert not ChronologyEntry.objects.filter(request=police).exists()
    assert not PendingEntry.objects.exists()


def _two_sheets():
    book = workbook([[datetime(2025, 3, 12), None, "First sheet"]])
    book.create_sheet("Sheet2")["A1"] = "More"
    return xlsx_bytes(book)


def _merged():
    book = workbook([[datetime(2025, 3, 12), None, "One"], [datetime(2025, 3, 13), None, "Two"]])
    book.active.merge_cells("C2:C3")
    return xlsx_bytes(book)


def test_no_file_chosen(contributor, police):
    response = contributor.post(reverse("requests:upload", args=[police.pk]), {})
    assert response.status_code == 200
    assert "Select a spreadsheet" in response.content.decode()
    assert nothing_saved(police)


def test_an_earlier_added_upload_survives_a_refused_one(contributor, police):
    post_file(contributor, police, "first.xlsx", xlsx(GOOD_ROWS))
    add(contributor, ChronologyUpload.objects.get(request=police))
    response = post_file(contributor, police, "second.xlsx", xlsx([["31/02/2025", None, "x"]]))
    assert response.status_code == 200
    assert ChronologyEntry.objects.filter(request=police).count() == 3
    assert ChronologyUpload.objects.get(request=police).status == U.ADDED


# --- Uploading again ---------------------------------------------------------------------------


def test_a_re_upload_replaces_its_entries_and_keeps_typed_ones(contributor, police, partners):
    post_file(contributor, police, "v1.xlsx", xlsx(GOOD_ROWS))
    first = ChronologyUpload.objects.get(request=police)
    add(contributor, first)
    typed = services.add_entry(
        request=police,
        user=partners["police_contributor"],
        date=date(2025, 6, 1),
        what_happened="Typed in by hand",
    )
    response = post_file(
        contributor,
        police,
        "v2.csv",
        csv_bytes(
            [["01/04/2025", "", "Corrected entry", "", ""], ["02/04/2025", "", "New", "", ""]]
        ),
    )
    second = ChronologyUpload.objects.exclude(pk=first.pk).get(request=police)
    page = contributor.get(response.url).content.decode()
    assert "Adding these replaces the 3 entries from your last upload (v1.xlsx" in page
    assert ChronologyEntry.objects.filter(request=police).count() == 4  # not yet

    response = add(contributor, second)
    assert response.status_code == 302
    left = ChronologyEntry.objects.filter(request=police).order_by("date")
    assert [e.what_happened for e in left] == ["Corrected entry", "New", "Typed in by hand"]
    assert ChronologyEntry.objects.get(pk=typed.pk).upload_id is None
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status, second.replaced_count) == (U.REPLACED, U.ADDED, 3)
    removed = ChronologyEntry.history.filter(history_type="-", upload_id=first.pk)
    assert removed.count() == 3
    assert {h.history_user for h in removed} == {partners["police_contributor"]}
    detail = contributor.get(response.url).content.decode()
    assert "2 entries added, replacing the 3 from your last upload" in detail


def test_uploading_again_before_adding_cancels_the_first(contributor, police):
    post_file(contributor, police, "v1.xlsx", xlsx(GOOD_ROWS))
    post_file(contributor, police, "v2.xlsx", xlsx(GOOD_ROWS[:1]))
    first, second = ChronologyUpload.objects.filter(request=police).order_by("pk")
    assert (first.status, second.status) == (U.CANCELLED, U.CHECKED)
    assert set(PendingEntry.objects.values_list("upload", flat=True)) == {second.pk}
    assert add(contributor, first).status_code == 302  # refused, back to its page
    assert not ChronologyEntry.objects.filter(request=police).exists()


def test_cancelling_an_upload(contributor, police):
    post_file(contributor, police, "v1.xlsx", xlsx(GOOD_ROWS))
    made = ChronologyUpload.objects.get(request=police)
    response = contributor.post(reverse("requests:upload_cancel", args=[police.pk, made.pk]))
    assert response.status_code == 302
    made.refresh_from_db()
    assert made.status == U.CANCELLED
    assert not PendingEntry.objects.exists()
    assert not ChronologyEntry.objects.filter(request=police).exists()


def test_a_request_closed_at_sending_cancels_its_upload_not_yet_added(
    contributor, police, partners
):
    """Closed because the rapid review was sent, as when withdrawn: the entries waiting to be
    added are dropped, not left behind on a request nobody can answer any more."""
    post_file(contributor, police, "v1.xlsx", xlsx(GOOD_ROWS))
    made = ChronologyUpload.objects.get(request=police)
    assert made.status == U.CHECKED
    services.close_request(request=police, user=partners["pdeo"], reason="The review was sent")
    made.refresh_from_db()
    assert made.status == U.CANCELLED
    assert not PendingEntry.objects.exists()
    assert not ChronologyEntry.objects.filter(request=police).exists()


def test_submitting_waits_for_an_upload_not_yet_added(contributor, police, partners):
    services.save_response(
        request=police, user=partners["police_contributor"], expected_version=1, summary="S"
    )
    post_file(contributor, police, "v1.xlsx", xlsx(GOOD_ROWS))
    response = contributor.post(reverse("requests:submit", args=[police.pk]), follow=True)
    assert "have not been added yet: add them or cancel the upload" in response.content.decode()
    assert InformationRequest.objects.get(pk=police.pk).status == "open"
    add(contributor, ChronologyUpload.objects.get(request=police))
    contributor.post(reverse("requests:submit", args=[police.pk]))
    assert InformationRequest.objects.get(pk=police.pk).status == "submitted"
    # Submitted: no more uploads.
    response = post_file(contributor, police, "late.xlsx", xlsx(GOOD_ROWS))
    assert "This request can no longer be changed" in response.content.decode()


def test_an_upload_of_another_request_is_a_404(contributor, asked, partners):
    hospital = verified_client(Client(), partners["hospital_contributor"])
    post_file(hospital, asked["hospital"], "h.xlsx", xlsx(GOOD_ROWS))
    theirs = ChronologyUpload.objects.get(request=asked["hospital"])
    for name in ("upload_status", "upload_status_json"):
        url = reverse(f"requests:{name}", args=[asked["police"].pk, theirs.pk])
        assert contributor.get(url).status_code == 404
    for name in ("upload_add", "upload_cancel"):
        url = reverse(f"requests:{name}", args=[asked["police"].pk, theirs.pk])
        assert contributor.post(url).status_code == 404
        url = reverse(f"requests:{name}", args=[asked["hospital"].pk, theirs.pk])
        assert contributor.post(url).status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == U.CHECKED


# --- Entries from an upload are entries like any other ----------------------------------------


def test_uploaded_entries_reach_the_chronology_its_csv_and_pdf_inert(
    contributor, police, partners, fetch_file
):
    post_file(contributor, police, "chronology.xlsx", xlsx(GOOD_ROWS))
    add(contributor, ChronologyUpload.objects.get(request=police))
    services.save_response(
        request=police, user=partners["police_contributor"], expected_version=1, summary="S"
    )
    services.submit_response(request=police, user=partners["police_contributor"])
    pdeo = verified_client(Client(), partners["pdeo"])
    submitted = pdeo.get(reverse("requests:detail", args=[police.pk])).content.decode()
    assert "Seen at home by the health visitor." in submitted  # returned with the response
    services.accept_response(request=police, user=partners["pdeo"])
    reference = police.case.reference

    page = pdeo.get(reverse("requests:chronology", args=[reference])).content.decode()
    assert "Seen at home by the health visitor." in page

    csv_file = fetch_file(pdeo, reverse("requests:chronology_csv", args=[reference]))
    rows = list(csv.reader(io.StringIO(b"".join(csv_file.streaming_content).decode("utf-8"))))
    by_text = {row[3]: row for row in rows[1:]}
    formula = '=HYPERLINK("http://evil.example/?x","Click")'
    assert "'" + formula in by_text  # read back as text: the apostrophe makes it inert
    assert formula not in by_text
    assert by_text["Seen at home by the health visitor."][:3] == [
        "2025-03-12",
        "14:30:00",
        "Northbridge Police",
    ]

    pdf_file = fetch_file(pdeo, reverse("requests:chronology_pdf", args=[reference]))
    text = "".join(
        page.extract_text()
        for page in PdfReader(BytesIO(b"".join(pdf_file.streaming_content))).pages
    )
    assert "Seen at home by the health visitor." in text
    assert "HYPERLINK" in text  # printed as words


def test_uploaded_entries_can_be_changed_and_removed_like_typed_ones(contributor, police):
    post_file(contributor, police, "chronology.xlsx", xlsx(GOOD_ROWS))
    add(contributor, ChronologyUpload.objects.get(request=police))
    entry = ChronologyEntry.objects.filter(request=police).first()
    response = contributor.post(reverse("requests:entry_delete", args=[police.pk, entry.pk]))
    assert response.status_code == 302
    assert ChronologyEntry.objects.filter(request=police).count() == 2


# --- Large files: the worker -----------------------------------------------------------------


@pytest.fixture
def large(monkeypatch):
    """Every file is "large": checked and added by the worker."""
    monkeypatch.setattr(uploading, "INLINE_CHECK_MAX_BYTES", {"xlsx": 0, "csv": 0})
    monkeypatch.setattr(uploading, "INLINE_ADD_MAX_ENTRIES", 0)


@pytest.fixture
def no_worker():
    app.conf.task_always_eager = False
    try:
        yield
    finally:
        app.conf.task_always_eager = True


def test_a_large_file_goes_to_the_worker_and_the_page_shows_progress(
    contributor, police, large, no_worker, django_capture_on_commit_callbacks
):
    rows = [[date(2025, 1, 1) + timedelta(days=i % 600), None, f"Event {i}"] for i in range(3000)]
    with django_capture_on_commit_callbacks(execute=True):
        response = post_file(contributor, police, "big.xlsx", xlsx(rows))
    made = ChronologyUpload.objects.get(request=police)
    assert response.status_code == 302  # at once: nothing checked yet
    assert made.status == U.QUEUED and made.pending_file
    page = contributor.get(response.url).content.decode()
    assert "Checking big.xlsx" in page and "Waiting to be checked" in page
    assert 'data-status-url="' in page
    status = contributor.get(
        reverse("requests:upload_status_json", args=[police.pk, made.pk])
    ).json()
    assert status["status"] == "queued" and status["reload"] is False
    request_page = contributor.get(reverse("requests:detail", args=[police.pk]))
    assert request_page.status_code == 200  # the request page is usable meanwhile
    assert "big.xlsx: waiting to be checked" in request_page.content.decode()

    uploading.check(upload_id=made.pk)  # the worker
    assert uploading.check(upload_id=made.pk) is None  # a second run does nothing
    made.refresh_from_db()
    assert (made.status, made.row_count, made.progress) == (U.CHECKED, 3000, 100)
    assert not made.pending_file  # the file is gone once checked
    assert contributor.get(
        reverse("requests:upload_status_json", args=[police.pk, made.pk])
    ).json()["reload"]
    preview = contributor.get(response.url).content.decode()
    assert "Add these 3000 entries" in preview and "1 of 30" in preview

    with django_capture_on_commit_callbacks(execute=True):
        response = add(contributor, made)
    made.refresh_from_db()
    assert made.status == U.ADDING
    assert response.url == reverse("requests:upload_status", args=[police.pk, made.pk])
    assert "Adding the entries from big.xlsx" in contributor.get(response.url).content.decode()
    uploading.add_in_background(upload_id=made.pk)
    made.refresh_from_db()
    assert made.status == U.ADDED
    assert ChronologyEntry.objects.filter(request=police, upload=made).count() == 3000
    assert "Entries added" in contributor.get(response.url).content.decode()


def test_thousands_of_rows_go_to_the_worker_by_default(contributor, police, no_worker):
    """Nothing that takes a second or more runs in the web request."""
    rows = [[date(2025, 1, 1) + timedelta(days=i % 600), None, f"Event {i}"] for i in range(8000)]
    for name, data in [("big.xlsx", xlsx(rows)), ("big.csv", csv_bytes(rows))]:
        response = post_file(contributor, police, name, data)
        assert response.status_code == 302
        assert ChronologyUpload.objects.filter(request=police).latest("pk").status == U.QUEUED


def test_a_large_bad_file_is_refused_by_the_worker(
    contributor, police, large, django_capture_on_commit_callbacks
):
    rows = [["31/02/2025", None, f"Event {i}"] for i in range(30)]
    with django_capture_on_commit_callbacks(execute=True):
        response = post_file(contributor, police, "big.xlsx", xlsx(rows))  # eager: checked
    made = ChronologyUpload.objects.get(request=police)
    assert (made.status, made.problem_count) == (U.REFUSED, 30)
    assert not made.pending_file
    page = contributor.get(response.url)
    html = page.content.decode()
    assert "<title>Error: " in html
    assert "The file has 30 problems. Nothing has been added" in html
    assert "Row 2, column A (Date): 31/02/2025 is not a real date" in html
    assert "10 more problems, listed below" in html
    assert not ChronologyEntry.objects.filter(request=police).exists()
    assert not PendingEntry.objects.exists()


def test_a_file_the_worker_cannot_read_fails_cleanly(
    contributor, police, large, django_capture_on_commit_callbacks, monkeypatch
):
    def broken(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(uploading, "read_sheet", broken)
    with django_capture_on_commit_callbacks(execute=True):
        response = post_file(contributor, police, "big.xlsx", xlsx(GOOD_ROWS))
    made = ChronologyUpload.objects.get(request=police)
    assert made.status == U.FAILED and not made.pending_file
    assert "The file could not be checked" in contributor.get(response.url).content.decode()


def test_work_that_stopped_can_be_cancelled(contributor, police, large, no_worker):
    post_file(contributor, police, "big.xlsx", xlsx(GOOD_ROWS))
    made = ChronologyUpload.objects.get(request=police)
    ChronologyUpload.objects.filter(pk=made.pk).update(
        uploaded_at=timezone.now() - timedelta(hours=2)
    )
    url = reverse("requests:upload_status", args=[police.pk, made.pk])
    assert "This has stopped" in contributor.get(url).content.decode()
    contributor.post(reverse("requests:upload_cancel", args=[police.pk, made.pk]))
    made.refresh_from_db()
    assert made.status == U.CANCELLED and not made.pending_file


def test_the_worker_does_not_add_to_a_request_sent_meanwhile(
    contributor, police, partners, large, no_worker
):
    post_file(contributor, police, "big.xlsx", xlsx(GOOD_ROWS))
    made = ChronologyUpload.objects.get(request=police)
    uploading.check(upload_id=made.pk)
    add(contributor, ChronologyUpload.objects.get(pk=made.pk))
    InformationRequest.objects.filter(pk=police.pk).update(status="withdrawn")
    uploading.add_in_background(upload_id=made.pk)
    made.refresh_from_db()
    assert made.status == U.FAILED
    assert "request is now withdrawn" in made.error
    assert not ChronologyEntry.objects.filter(request=police).exists()
