"""A PDEO records a referral, screens it (the awareness date revealed under "Notify"), records
the notification (with check your answers) and sees the deadlines met and the rapid review's
clock already running. axe on every page visited, on a desktop and on a phone."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from safeguarding.accounts.models import User
from safeguarding.cases.models import Case

from .conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)
WIDTHS = [1280, 375]


def fill_date(page, name, day):
    page.locator(f"#id_{name}_0").fill(str(day.day))
    page.locator(f"#id_{name}_1").fill(str(day.month))
    page.locator(f"#id_{name}_2").fill(str(day.year))


def check(page):
    page.axe()
    page.assert_fits_the_screen()


def go_to(page, name):
    """Follow a service navigation link: behind the Menu button on a phone (GOV.UK's service
    navigation folds below 641 px)."""
    p = page.page
    if p.viewport_size["width"] < 641:
        p.get_by_role("button", name="Menu").click()
    p.locator(".govuk-service-navigation__list").get_by_role("link", name=name).click()


@pytest.mark.parametrize("width", WIDTHS)
def test_pdeo_refers_screens_and_notifies(open_page, demo, width):
    today = timezone.localdate()
    page = open_page(width)
    p = page.page
    sign_in(page, "pdeo@northbridge.example")

    go_to(page, "Cases")
    expect(p.locator("h1")).to_have_text("Cases")
    check(page)
    p.get_by_role("link", name="Record a referral").click()
    expect(p.locator("h1")).to_have_text("Record a referral")
    check(page)

    # Nothing filled in: a GOV.UK error summary, no crash.
    p.get_by_role("button", name="Record the referral").click()
    summary = p.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("Choose the referring agency")
    expect(p).to_have_title(re.compile(r"^Error: Record a referral"))
    check(page)

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
    expect(p.locator(".govuk-notification-banner")).to_contain_text("Referral recorded as case")
    caption = p.locator(".govuk-caption-l").first
    expect(caption).to_have_text(re.compile(r"^NSCP-"))
    reference = caption.inner_text()
    expect(p.get_by_test_id("child")).to_contain_text("Sam Journey")  # the PDEO may see it
    check(page)

    p.get_by_test_id("next-steps").get_by_role("link", name="Record the screening decision").click()
    expect(p.locator("h1")).to_have_text("Screening decision")
    check(page)
    # The awareness date shows only under "Notify"; the reason only under "Not accepted".
    awareness = p.locator("#conditional-id_decision-notify")
    reasons = p.locator("#conditional-id_decision-not_accepted")
    expect(awareness).to_be_hidden()
    p.get_by_label("Not accepted").check()
    expect(reasons).to_be_visible()
    expect(awareness).to_be_hidden()
    check(page)
    p.get_by_label("Notify as a serious incident").check()
    expect(awareness).to_be_visible()
    expect(reasons).to_be_hidden()
    fill_date(p, "la_aware_on", today)
    p.get_by_label("Reason for the decision").fill("Meets the definition.")
    p.get_by_role("button", name="Record the decision").click()
    deadlines = p.get_by_test_id("deadlines")
    expect(deadlines).to_contain_text("Notify the national Panel")
    # The rapid review's 15 working days run from this decision, before anyone starts it.
    expect(deadlines).to_contain_text("Send the rapid review to the national Panel")
    expect(deadlines).not_to_contain_text("Met")
    expect(p.get_by_test_id("next-waits-on")).to_contain_text("Tom Ellis (case lead)")
    check(page)

    p.get_by_test_id("next-steps").get_by_role("link", name="Record the notification").click()
    expect(p.locator("h1")).to_have_text("Record the notification")
    check(page)
    fill_date(p, "submitted_on", today)
    p.get_by_label("National Panel reference").fill(f"NP-{reference}")
    fill_date(p, "partners_told_on", today)
    p.get_by_role("button", name="Continue").click()

    expect(p.locator("h1")).to_have_text("Check the notification before you record it")
    expect(p.get_by_test_id("check-answers")).to_contain_text(f"NP-{reference}")
    check(page)
    p.get_by_role("button", name="Record the notification").click()

    expect(p.locator(".govuk-notification-banner")).to_contain_text("Notification recorded")
    rows = p.get_by_test_id("deadlines").locator("tbody tr")
    expect(rows.filter(has_text="Notify the national Panel")).to_contain_text("Met")
    expect(rows.filter(has_text="Tell the safeguarding partners")).to_contain_text("Met")
    expect(rows.filter(has_text="Send the rapid review")).not_to_contain_text("Met")
    check(page)
    p.get_by_test_id("case-sections").get_by_role("link", name="History").click()
    expect(p.get_by_test_id("timeline")).to_contain_text("Deadline met: Notify the national Panel")
    check(page)

    go_to(page, "What's due")
    coming = p.get_by_test_id("whats-due")
    # Its notification clocks are met; its rapid review clock is coming up, the case lead's.
    expect(coming.locator("tr", has_text=reference)).to_contain_text("Send the rapid review")
    expect(coming.locator("tr", has_text=reference)).not_to_contain_text("Notify the national")
    expect(coming.locator("tr", has_text=reference)).to_contain_text("Tom Ellis (case lead)")
    expect(p.get_by_test_id("whats-due-counts")).to_contain_text("overdue")
    check(page)
    page.assert_assets_loaded()


@pytest.mark.parametrize("width", WIDTHS)
def test_panel_member_sees_pseudonyms_only(open_page, demo, width):
    page = open_page(width)
    p = page.page
    sign_in(page, "panel.police@northbridge.example")
    go_to(page, "Cases")
    expect(p.locator("h1")).to_have_text("Cases")
    check(page)
    # A case the member may see (it is before the Panel) but not read: not one whose papers
    # reached them through a meeting's agenda, which puts them on that case's team.
    member = User.objects.get(email="panel.police@northbridge.example")
    case = (
        Case.objects.visible_to(member)
        .exclude(pk__in=Case.objects.readable_by(member).values("pk"))
        .order_by("reference")
        .first()
    )
    assert case is not None, "the demo must hold a case a Panel member may see but not read"
    p.locator("tbody tr a", has_text=case.reference).click()
    expect(p.locator(".govuk-inset-text").first).to_contain_text(
        "Identifying details of the child are hidden"
    )
    for name in ("Leo Barker", "Ava Sinclair", "Noah Patel", "Isla Green"):
        assert name not in p.content()
    check(page)


def test_business_manager_exports_and_reads_the_access_log(browser_page, demo):
    page = browser_page
    p = page.page
    sign_in(page, "business.manager@northbridge.example")
    expect(p.locator("h1")).to_have_text("Your work")
    page.axe()
    p.get_by_role("link", name="Cases").first.click()
    expect(p.locator("h1")).to_have_text("Cases")
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
    expect(p.locator("h1")).to_have_text("What's due")
    page.axe()
    p.get_by_role("link", name="Access log").click()
    expect(p.locator("h1")).to_have_text("Access log")
    expect(p.get_by_role("main")).to_contain_text("Exported Case list CSV")
    page.axe()
    page.assert_assets_loaded()
