"""A school's safeguarding lead brings the chronology they already keep: downloads the
template, fills it in, uploads it with a mistake, corrects it, checks the entries and adds
them; then uploads a longer one that the worker checks and adds while the page watches.
axe on every page visited."""

from datetime import date, timedelta
from io import BytesIO

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from safeguarding.celery import app

from ..contributions.spreadsheets import filled_template, xlsx
from .conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)

SCHOOL = "Northbridge Education Partnership"


def test_upload_a_chronology_spreadsheet(open_page, demo, tmp_path, settings, monkeypatch):
    from notifications.demo import demo_case
    from safeguarding.contributions import uploading
    from safeguarding.contributions.models import (
        ChronologyEntry,
        ChronologyUpload,
        InformationRequest,
    )

    settings.MEDIA_ROOT = tmp_path
    case = demo_case("notified-on-time")
    request = InformationRequest.objects.get(case=case, agency__name=SCHOOL)

    school = open_page()
    s = school.page
    sign_in(school, "contributor.school@northbridge.example")
    school.goto(f"/requests/{request.pk}/")
    expect(s.locator("h1")).to_contain_text(f"Information request to {SCHOOL}")
    school.axe()
    s.get_by_role("link", name="Upload a chronology spreadsheet").click()
    expect(s.locator("h1")).to_have_text("Upload a chronology spreadsheet")
    school.axe()

    # The template, downloaded from the page and filled in as the school would.
    with s.expect_download() as download:
        s.get_by_role("link", name="Excel (.xlsx)").click()
    template = download.value.path().read_bytes()
    assert load_workbook(BytesIO(template)).sheetnames == ["Chronology"]
    rows = [
        [date(2025, 3, 12), None, "Attendance fell below 80%.", "Attendance officer", ""],
        ["31/02/2025", None, "Welfare concern logged.", "Class teacher", "Shared with DSL"],
        ["14/03/2025", "10:15", "Mother did not attend a meeting.", "DSL", ""],
    ]
    bad = tmp_path / "school-chronology.xlsx"
    bad.write_bytes(filled_template(template, rows))
    s.get_by_label("Upload a file").set_input_files(str(bad))
    s.get_by_role("button", name="Upload and check").click()
    summary = s.locator(".govuk-error-summary")
    expect(summary).to_contain_text("There is a problem with school-chronology.xlsx")
    expect(summary).to_contain_text("column A (Date): 31/02/2025 is not a real date")
    expect(s.get_by_test_id("problems")).to_be_visible()
    school.axe()
    assert not ChronologyUpload.objects.filter(request=request).exists()  # nothing saved

    rows[1][0] = "13/03/2025"
    good = tmp_path / "school-chronology-corrected.xlsx"
    good.write_bytes(filled_template(template, rows))
    s.get_by_label("Upload a file").set_input_files(str(good))
    s.get_by_role("button", name="Upload and check").click()
    expect(s.locator("h1")).to_have_text("Check the entries before you add them")
    pending = s.get_by_test_id("pending")
    for day in ("12 March 2025", "13 March 2025", "14 March 2025"):
        expect(pending).to_contain_text(day)
    school.axe()
    assert not ChronologyEntry.objects.filter(request=request, upload__isnull=False).exists()
    s.get_by_role("button", name="Add these 3 entries").click()
    expect(s.locator(".govuk-notification-banner")).to_contain_text("3 entries added")
    expect(s.get_by_test_id("entries")).to_contain_text("Mother did not attend a meeting.")
    expect(s.get_by_test_id("upload-section")).to_contain_text(
        "3 entries were added from school-chronology-corrected.xlsx"
    )
    school.axe()

    # A longer chronology: checked and added by the worker while the page watches.
    monkeypatch.setattr(uploading, "INLINE_CHECK_MAX_BYTES", {"xlsx": 0, "csv": 0})
    monkeypatch.setattr(uploading, "INLINE_ADD_MAX_ENTRIES", 0)
    long_rows = [
        [date(2025, 1, 1) + timedelta(days=i % 500), None, f"Register note {i}", "Teacher"]
        for i in range(1500)
    ]
    longer = tmp_path / "full-chronology.xlsx"
    longer.write_bytes(xlsx(long_rows))
    s.get_by_role("link", name="Upload a chronology spreadsheet").click()
    expect(s.get_by_test_id("replaces")).to_contain_text("A new file replaces them")
    s.get_by_label("Upload a file").set_input_files(str(longer))
    app.conf.task_always_eager = False  # no worker yet: the page must not wait
    try:
        s.get_by_role("button", name="Upload and check").click()
        expect(s.get_by_test_id("upload-progress")).to_contain_text("Waiting to be checked")
        school.axe()
        # The request page stays usable meanwhile, and says where the upload has got to.
        school.goto(f"/requests/{request.pk}/")
        expect(s.get_by_test_id("upload-section")).to_contain_text(
            "full-chronology.xlsx: waiting to be checked"
        )
        s.get_by_role("link", name="See how it is going").click()
        expect(s.get_by_test_id("upload-progress")).to_be_visible()
        upload = ChronologyUpload.objects.get(request=request, status="queued")
        uploading.check(upload_id=upload.pk)  # the worker, while the page is open
        expect(s.locator("h1")).to_have_text(
            "Check the entries before you add them", timeout=15000
        )  # the page's script saw it was checked
        expect(s.get_by_test_id("replacing")).to_contain_text(
            "Adding these replaces the 3 entries from your last upload"
        )
        expect(s.get_by_role("navigation", name="Pagination")).to_contain_text("1 of 15")
        school.axe()
        s.get_by_role("button", name="Add these 1500 entries").click()
        expect(s.get_by_test_id("upload-progress")).to_contain_text("Being added")
        school.axe()
        uploading.add_in_background(upload_id=upload.pk)
    finally:
        app.conf.task_always_eager = True
    expect(s.locator(".govuk-panel")).to_contain_text("1500 entries", timeout=15000)
    school.axe()
    assert ChronologyEntry.objects.filter(request=request, upload=upload).count() == 1500
    assert ChronologyEntry.objects.filter(request=request, upload__isnull=False).count() == 1500
    assert ChronologyEntry.objects.filter(request=request, upload__isnull=True).exists() is False
    school.assert_assets_loaded()
