import pytest
from django.core.management import call_command  # noqa: F401

from .conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_demo_user_signs_in_with_the_second_factor_and_lands_on_home(browser_page, demo):
    page = browser_page
    sign_in(page, "pdeo@northbridge.example", audit=True)
    assert page.page.locator("h1").inner_text() == "Your work"
    assert "Tom Ellis" in page.page.content()
    assert page.page.title().startswith("Your work – Case reviews – ")
    page.axe()
    page.assert_assets_loaded()
    # The marking is visible, not just present.
    assert page.page.get_by_test_id("marking").is_visible()
    page.page.get_by_role("link", name="How you get reminders").click()
    assert page.page.locator("h1").inner_text() == "Your reminders"
    page.axe()
    page.page.get_by_label("A separate email for each reminder").check()
    page.page.get_by_role("button", name="Save").click()
    assert "saved" in page.page.locator(".govuk-notification-banner").inner_text()
    page.axe()


def test_error_pages_pass_axe(browser_page, demo):
    page = browser_page
    sign_in(page, "contributor.police@northbridge.example")
    page.goto("/no-such-page/")
    assert page.page.locator("h1").inner_text() == "Page not found"
    page.axe()
    # An agency contributor may not open Django admin (staff only) or a case page.
    page.goto("/admin/")
    assert page.page.locator("h1").inner_text() == "You cannot see this page"
    page.axe()
    page.goto("/cases/")
    assert page.page.locator("h1").inner_text() == "You cannot see this page"
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
    assert page.page.locator("h1").inner_text() == "Sorry, there is a problem with the service"
    page.axe()
    page.failed.clear()  # the 404, 403s and 500 above were the point
    page.console_errors.clear()
    page.assert_assets_loaded()


def test_wrong_code_shows_an_accessible_error_summary(browser_page, demo):
    page = browser_page
    page.goto("/")
    page.page.get_by_label("Email address").fill("chair@northbridge.example")
    page.page.get_by_label("Password").fill("demo-password-2026")
    page.page.get_by_role("button", name="Continue").click()
    page.page.get_by_label("Security code").fill("000000")
    page.page.get_by_role("button", name="Continue").click()
    summary = page.page.locator(".govuk-error-summary")
    assert summary.is_visible()
    assert "The security code is not right" in summary.inner_text()
    page.axe()
    # The summary's link takes the person to the field.
    summary.get_by_role("link").click()
    assert page.page.evaluate("() => document.activeElement.name") == "code"


def test_lockout_page_passes_axe(browser_page, demo):
    page = browser_page
    page.goto("/")
    for _ in range(5):
        page.page.get_by_label("Email address").fill("executive@northbridge.example")
        page.page.get_by_label("Password").fill("wrong password")
        page.page.get_by_role("button", name="Continue").click()
    assert page.page.locator("h1").inner_text() == "Your account is locked"
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
    assert page.page.get_by_role(
        "img", name="QR code to scan with your authenticator app"
    ).is_visible()
    page.axe()
    device = TOTPDevice.objects.get(user=user)
    page.page.get_by_label("Security code").fill(f"{totp(device.bin_key):06d}")
    page.page.get_by_role("button", name="Continue").click()
    page.page.wait_for_url("**/backup-codes/**")
    assert page.page.get_by_test_id("backup-codes").locator("li").count() == 10
    page.axe()
    page.page.get_by_role("link", name="I have saved my backup codes").click()
    assert page.page.locator("h1").inner_text() == "Your work"
    page.axe()
    page.assert_assets_loaded()


def test_public_pages_pass_axe(browser_page, transactional_db):
    page = browser_page
    for path in ["/accessibility/", "/privacy/", "/cookies/", "/account/password-reset/"]:
        page.goto(path)
        page.axe()
    page.assert_assets_loaded()
