"""A file made in the background, watched in Chromium: the progress page updates by itself
(its script asks the server) and offers the download when the worker has built the file."""

import pytest
from playwright.sync_api import expect

from safeguarding.celery import app

from .conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_progress_page_shows_the_download_when_the_worker_finishes(browser_page, demo):
    from notifications.demo import demo_case
    from safeguarding.files import building
    from safeguarding.files.models import GeneratedFile

    page = browser_page
    p = page.page
    sign_in(page, "pdeo@northbridge.example")
    case = demo_case("notified-on-time")
    page.goto(f"/cases/{case.reference}/chronology/")
    p.get_by_role("link", name="Download as PDF").click()
    expect(p.locator("h1")).to_have_text("Download the integrated chronology as a PDF")
    page.axe()
    app.conf.task_always_eager = False  # no worker: the page must not wait for the file
    try:
        p.get_by_role("button", name="Create the file").click()
        expect(p.get_by_test_id("file-progress")).to_contain_text("Waiting to start")
        page.axe()
        assert not p.get_by_test_id("download").is_visible()
        generated = GeneratedFile.objects.get(requested_by__email="pdeo@northbridge.example")
        building.build(file_id=generated.pk)  # the worker, while the page is open
    finally:
        app.conf.task_always_eager = True
    download_link = p.get_by_test_id("download")
    expect(download_link).to_be_visible(timeout=15000)  # the script saw it was ready
    page.axe()
    with p.expect_download() as download:
        download_link.click()
    assert download.value.path().read_bytes().startswith(b"%PDF")
    p.get_by_role("link", name="Your files").click()
    expect(p.locator("h1")).to_have_text("Your files")
    page.axe()
    page.assert_assets_loaded()
