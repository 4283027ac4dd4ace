"""Django admin, as the administrator uses it, with axe on each page (WCAG 2.2 AA), at a
desktop and a phone width."""

import pytest
from playwright.sync_api import expect

from .conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("width", [1280, 375])
def test_admin_pages_pass_axe(open_page, demo, width):
    from safeguarding.accounts.models import Agency, User

    page = open_page(width)
    p = page.page
    sign_in(page, "admin@northbridge.example")
    contributor = User.objects.get(email="contributor.school@northbridge.example")
    agency = Agency.objects.get(name="Wyre Community Health Services")
    for path in [
        "/admin/",
        "/admin/accounts/user/",
        "/admin/accounts/user/?groups__id__exact=1",
        f"/admin/accounts/user/{contributor.pk}/change/",
        "/admin/accounts/user/add/",
        "/admin/accounts/agency/",
        "/admin/accounts/agency/?contributors=none",
        f"/admin/accounts/agency/{agency.pk}/change/",
        "/admin/audit/accesslog/",
        "/admin/deadlines/closureday/",
    ]:
        response = page.goto(path)
        assert response.status == 200, path
        expect(p.locator("#content")).to_be_visible()
        page.axe()
    page.goto("/admin/accounts/user/")
    expect(p.locator("#result_list")).to_contain_text("Agency Contributor")
    expect(p.locator("#result_list")).to_contain_text("Northbridge Education Partnership")
