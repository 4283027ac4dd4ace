"""The Business Manager reads the reports, asks for the yearly pack and an export; an Executive
member reads the figures. Charts are SVG drawn on the server with their data beside them.
axe on every page visited."""

import re

import pytest
from playwright.sync_api import expect

from .conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_business_manager_reports_pack_and_export(browser_page, demo):
    page = browser_page
    p = page.page
    sign_in(page, "business.manager@northbridge.example")
    p.get_by_role("link", name="Reports").first.click()
    expect(p.locator("h1")).to_have_text("Reports")
    figure = p.get_by_test_id("figure-notifications_on_time")
    expect(figure.locator("svg[role=img]")).to_be_visible()
    expect(figure.locator("table")).to_contain_text("Notified within 5 working days")
    page.axe()

    # A period that ends before it starts: a GOV.UK error, and the page still shows figures.
    for name, value in (("start", "1/9/2026"), ("end", "1/8/2026")):
        for n, part in enumerate(value.split("/")):
            p.locator(f"#id_{name}_{n}").fill(part)
    p.get_by_role("button", name="Show the figures").click()
    expect(p.locator(".govuk-error-summary")).to_contain_text(
        "The end of the period must be on or after its start"
    )
    page.axe()

    p.get_by_role("link", name="The yearly report pack (PDF or XLSX)").click()
    expect(p.locator("h1")).to_have_text("The yearly report pack")
    page.axe()
    p.get_by_label("PDF, to read and share").check()
    p.get_by_role("button", name="Create the pack").click()
    expect(p.get_by_test_id("download")).to_be_visible()
    page.axe()
    with p.expect_download() as download:
        p.get_by_test_id("download").click()
    assert download.value.path().read_bytes().startswith(b"%PDF")

    page.goto("/reports/exports/")
    expect(p.locator("h1")).to_have_text("Export lists")
    page.axe()
    p.get_by_role("link", name="Cases and their clocks").click()
    expect(p.locator("h1")).to_have_text("Cases and their clocks")
    page.axe()
    # A year with nothing in it: no empty file that looks like a real one.
    p.get_by_label("Reporting year (April to March)").select_option(
        label="Reporting year 2018 to 2019"
    )
    p.get_by_role("button", name="Create the file").click()
    expect(p.locator(".govuk-error-summary")).to_contain_text("There is nothing to export")
    expect(p).to_have_title(re.compile(r"^Error: "))
    page.axe()
    p.get_by_label("Reporting year (April to March)").select_option(index=0)
    p.get_by_label("XLSX (Excel)").check()
    p.get_by_role("button", name="Create the file").click()
    expect(p.get_by_test_id("download")).to_be_visible()
    with p.expect_download() as download:
        p.get_by_test_id("download").click()
    assert download.value.path().read_bytes().startswith(b"PK")  # a zip: an XLSX workbook
    page.assert_assets_loaded()


def test_executive_member_reads_the_figures(browser_page, demo):
    page = browser_page
    p = page.page
    sign_in(page, "executive@northbridge.example")
    p.get_by_role("link", name="Reports").first.click()
    expect(p.locator("h1")).to_have_text("Reports")
    expect(p.get_by_test_id("figure-rapid_review_decisions")).to_be_visible()
    expect(p.get_by_role("link", name="Export lists (CSV or XLSX)")).to_have_count(0)
    page.axe()
