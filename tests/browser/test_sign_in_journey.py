import re

import pytest
from playwright.sync_api import expect

from .conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_demo_user_signs_in_with_the_second_factor_and_lands_on_home(browser_page, demo):
    page = browser_page
    sign_in(page, "pdeo@northbridge.example", audit=True)
    expect(page.page.locator("h1")).to_have_text("Your work")
    expect(page.page.get_by_role("main")).to_contain_text("Tom Ellis")
    expect(page.page).to_have_title(re.compile(r"^Your work – Case reviews – "))
    page.axe()
    page.assert_assets_loaded()
    # The marking is visible, not just present.
    expect(page.page.get_by_test_id("marking")).to_be_visible()
    page.page.get_by_role("link", name="How you get reminders").click()
    expect(page.page.locator("h1")).to_have_text("Your reminders")
    page.axe()
    page.page.get_by_label("A separate email for each reminder").check()
    page.page.get_by_role("button", name="Save").click()
    expect(page.page.locator(".govuk-notification-banner")).to_contain_text("saved")
    page.axe()


def test_error_pages_pass_axe(browser_page, demo):
    page = browser_page
    sign_in(page, "contributor.police@northbridge.example")
    page.goto("/no-such-page/")
    expect(page.page.locator("h1")).to_have_text("Page not found")
    page.axe()
    # An agency contributor may not open Django admin (staff only) or a case page.
    page.goto("/admin/")
    expect(page.page.locator("h1")).to_have_text("You cannot see this page")
    page.axe()
    page.goto("/cases/")
    expect(page.page.locator("h1")).to_have_text("You cannot see this page")
    page.axe()
    # The 500 page, as the handler renders it, served from the live server's origin.
    from django.test import RequestFactory

    from safeguarding.views import server_error

    html = server_error(RequestFactory().get("/")).content.decode()
    page.page.route(
        "**/server-error-preview",
        lambda route: route.fulfill(status=500, body=html, content_type="text/html; charset=utf-8"),
    )
    page.goto("/server-error-preview")
    expect(page.page.locator("h1")).to_have_text("Sorry, there is a problem with the service")
    page.axe()
    # The 413 page, as the body limit sends it, from a real request: a form far over the limit.
    big = page.page.request.post(
        page.base_url + "/account/sign-in/",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        data="username=" + "x" * (3 * 1024 * 1024),
    )
    assert big.status == 413
    too_large = big.text()
    page.page.route(
        "**/too-large-preview",
        lambda route: route.fulfill(
            status=413, body=too_large, content_type="text/html; charset=utf-8"
        ),
    )
    page.goto("/too-large-preview")
    expect(page.page.locator("h1")).to_have_text("What you sent is too large")
    page.axe()
    page.failed.clear()  # the 404, 403s, 500 and 413 above were the point
    page.console_errors.clear()
    page.assert_assets_loaded()


def test_wrong_code_shows_an_accessible_error_summary(browser_page, demo):
    page = browser_page
    page.goto("/")
    page.page.get_by_label("Email address").fill("chair@northbridge.example")
    page.page.get_by_label("Password").fill("demo-password-2026")
    page.page.get_by_role("button", name="Continue").click()
    expect(page.page.locator("h1")).to_have_text("Enter your security code")
    page.page.get_by_label("Security code").fill("000000")
    page.page.get_by_role("button", name="Continue").click()
    summary = page.page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("The security code is not right")
    page.axe()
    # The summary's link takes the person to the field.
    summary.get_by_role("link").click()
    expect(page.page.get_by_label("Security code")).to_be_focused()


def test_lockout_page_passes_axe(browser_page, demo):
    page = browser_page
    page.goto("/")
    for _ in range(5):
        page.page.get_by_label("Email address").fill("executive@northbridge.example")
        page.page.get_by_label("Password").fill("wrong password")
        # Each failure answers with the sign-in page again: wait for the new one before typing.
        page.click_to_next_page(page.page.get_by_role("button", name="Continue"))
    expect(page.page.locator("h1")).to_have_text("Your account is locked")
    page.axe()


def test_first_sign_in_sets_up_the_authenticator(browser_page, transactional_db):
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from safeguarding.accounts.roles import Role

    from ..factories import PASSWORD, UserFactory

    user = UserFactory(roles=[Role.PANEL_MEMBER], totp=False)
    page = browser_page
    page.goto("/")
    page.page.get_by_label("Email address").fill(user.email)
    page.page.get_by_label("Password").fill(PASSWORD)
    page.page.get_by_role("button", name="Continue").click()
    page.page.wait_for_url("**/security-code/set-up/**")
    expect(
        page.page.get_by_role("img", name="QR code to scan with your authenticator app")
    ).to_be_visible()
    page.axe()
    device = TOTPDevice.objects.get(user=user)
    page.page.get_by_label("Security code").fill(f"{totp(device.bin_key):06d}")
    page.page.get_by_role("button", name="Continue").click()
    page.page.wait_for_url("**/backup-codes/**")
    expect(page.page.get_by_test_id("backup-codes").locator("li")).to_have_count(10)
    page.axe()
    page.page.get_by_role("link", name="I have saved my backup codes").click()
    expect(page.page.locator("h1")).to_have_text("Your work")
    page.axe()
    page.assert_assets_loaded()


def test_public_pages_pass_axe(browser_page, transactional_db):
    page = browser_page
    for path, heading in [
        ("/accessibility/", "Accessibility statement for Case reviews"),
        ("/privacy/", "Privacy notice"),
        ("/cookies/", "Cookies"),
        ("/account/password-reset/", "Reset your password"),
    ]:
        page.goto(path)
        expect(page.page.locator("h1")).to_have_text(heading)
        page.axe()
    page.assert_assets_loaded()
