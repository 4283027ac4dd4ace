"""A PDEO records a referral, screens it as a serious incident, records the notification
(with check your answers) and sees the deadline met. axe on every page visited."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from .conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def fill_date(page, name, day):
    page.locator(f"#id_{name}_0").fill(str(day.day))
    page.locator(f"#id_{name}_1").fill(str(day.month))
    page.locator(f"#id_{name}_2").fill(str(day.year))


def test_pdeo_refers_screens_and_notifies(browser_page, demo):
    today = timezone.localdate()
    page = browser_page
    p = page.page
    sign_in(page, "pdeo@northbridge.example")

    p.get_by_role("link", name="Cases").first.click()
    assert p.locator("h1").inner_text() == "Cases"
    page.axe()
    p.get_by_role("link", name="Record a referral").click()
    assert p.locator("h1").inner_text() == "Record a referral"
    page.axe()

    # Nothing filled in: a GOV.UK error summary, no crash.
    p.get_by_role("button", name="Record the referral").click()
    summary = p.locator(".govuk-error-summary")
    assert summary.is_visible()
    assert "Choose the referring agency" in summary.inner_text()
    assert p.title().startswith("Error: ")
    page.axe()

    p.get_by_label("Referring agency").select_option(label="Northbridge Police")
    p.get_by_label("Name of the person referring").fill("DS Jane Marsh")
    fill_date(p, "received_on", today)
    p.get_by_label("Child's full name").fill("Sam Journey")
    p.get_by_label("Child's age in years").fill("6")
    p.get_by_label("Serious harm").check()
    fill_date(p, "incident_date", today)
    p.get_by_label("What happened", exact=True).fill("Child admitted with serious injuries.")
    p.get_by_label("Why may this be a serious child safeguarding case?").fill(
        "Physical abuse suspected."
    )
    p.get_by_role("button", name="Record the referral").click()
    assert "Referral recorded as case" in p.locator(".govuk-notification-banner").inner_text()
    reference = p.locator(".govuk-caption-l").first.inner_text()
    assert reference.startswith("NSCP-")
    assert "Sam Journey" in p.content()  # the PDEO may see the child's name
    page.axe()

    p.get_by_role("link", name="Record the screening decision").click()
    assert p.locator("h1").inner_text() == "Screening decision"
    page.axe()
    p.get_by_label("Notify as a serious incident").check()
    fill_date(p, "la_aware_on", today)
    p.get_by_label("Reason for the decision").fill("Meets the definition.")
    p.get_by_role("button", name="Record the decision").click()
    deadlines = p.get_by_test_id("deadlines")
    assert "Notify the national Panel" in deadlines.inner_text()
    assert "Met" not in deadlines.inner_text()
    page.axe()

    p.get_by_role("link", name="Record the notification").click()
    assert p.locator("h1").inner_text() == "Record the notification"
    page.axe()
    fill_date(p, "submitted_on", today)
    p.get_by_label("National Panel reference").fill(f"NP-{reference}")
    fill_date(p, "partners_told_on", today)
    p.get_by_role("button", name="Continue").click()

    assert p.locator("h1").inner_text() == "Check the notification before you record it"
    assert f"NP-{reference}" in p.get_by_test_id("check-answers").inner_text()
    page.axe()
    p.get_by_role("button", name="Record the notification").click()

    assert "Notification recorded" in p.locator(".govuk-notification-banner").inner_text()
    rows = p.get_by_test_id("deadlines").locator("tbody tr")
    texts = [rows.nth(i).inner_text() for i in range(rows.count())]
    panel_row = next(t for t in texts if "Notify the national Panel" in t)
    assert "Met" in panel_row
    partners_row = next(t for t in texts if "Tell the safeguarding partners" in t)
    assert "Met" in partners_row
    assert "Deadline met: Notify the national Panel" in p.get_by_test_id("timeline").inner_text()
    page.axe()

    p.get_by_role("link", name="What's due").click()
    due = p.get_by_role("main").inner_text()
    assert reference not in due  # both its clocks are met
    assert "Notify the national Panel" in due  # the demo cases' open ones are listed
    page.axe()
    page.assert_assets_loaded()


def test_panel_member_sees_pseudonyms_only(browser_page, demo):
    page = browser_page
    p = page.page
    sign_in(page, "panel.police@northbridge.example")
    p.get_by_role("link", name="Cases").first.click()
    page.axe()
    p.locator("tbody tr a").first.click()
    assert "Identifying details of the child are hidden" in p.content()
    for name in ("Leo Barker", "Ava Sinclair", "Noah Patel", "Isla Green"):
        assert name not in p.content()
    page.axe()


def test_business_manager_exports_and_reads_the_access_log(browser_page, demo):
    page = browser_page
    p = page.page
    sign_in(page, "business.manager@northbridge.example")
    page.axe()
    p.get_by_role("link", name="Cases").first.click()
    page.axe()
    p.get_by_role("link", name="Download as CSV").click()
    expect(p.locator("h1")).to_have_text("Download the case list as CSV")
    page.axe()
    p.get_by_role("button", name="Create the file").click()
    expect(p.get_by_test_id("download")).to_be_visible()  # made in the background
    page.axe()
    with p.expect_download() as download:
        p.get_by_test_id("download").click()
    csv = download.value.path().read_text()
    assert csv.startswith("Reference,Pseudonym")
    assert "Leo Barker" not in csv
    p.get_by_role("link", name="What's due").click()
    page.axe()
    p.get_by_role("link", name="Access log").click()
    assert "Exported Case list CSV" in p.get_by_role("main").inner_text()
    page.axe()
    page.assert_assets_loaded()
