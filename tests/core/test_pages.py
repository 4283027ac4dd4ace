import re

import pytest
from django.test import override_settings
from django.urls import reverse

from safeguarding.accounts.roles import Role

from ..helpers import verified_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client, make_user):
    return verified_client(client, make_user(Role.PDEO))


def pages(client):
    return {
        "sign in": client.get(reverse("accounts:login")),
        "accessibility": client.get(reverse("pages:accessibility")),
        "privacy": client.get(reverse("pages:privacy")),
        "cookies": client.get(reverse("pages:cookies")),
        "not found": client.get("/no-such-page/"),
    }


def test_public_pages_carry_the_shell(client, settings):
    for name, response in pages(client).items():
        html = response.content.decode()
        assert "OFFICIAL-SENSITIVE" in html, name
        assert settings.PARTNERSHIP_NAME in html, name
        assert 'class="govuk-skip-link"' in html, name
        assert "govuk-phase-banner" in html, name
        assert reverse("pages:accessibility") in html, name
        assert reverse("pages:privacy") in html, name
        assert reverse("pages:cookies") in html, name


def test_titles_follow_the_pattern(client, settings):
    html = client.get(reverse("accounts:login")).content.decode()
    assert f"<title>Sign in – Case reviews – {settings.PARTNERSHIP_NAME}</title>" in html


def test_404_is_a_govuk_page(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_home_shows_the_signed_in_person_and_their_work(signed_in):
    response = signed_in.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Your work" in html
    assert "Cases in progress" in html
    assert "Sign out" in html
    assert 'aria-current="page"' in html


def test_each_role_has_a_home_page(client, make_user):
    expected = {
        Role.BUSINESS_MANAGER: "Cases in progress",
        Role.PDEO: "Cases in progress",
        Role.PANEL_CHAIR: "Before the CSPR Panel",
        Role.DEPUTY_CHAIR: "Before the CSPR Panel",
        Role.PANEL_MEMBER: "Before the CSPR Panel",
        Role.EXECUTIVE_MEMBER: "Highlight reports from the CSPR Panel",
        Role.AGENCY_CONTRIBUTOR: "Information requests for",
        Role.LEAD_REVIEWER: "Your reviews",
    }
    for role, heading in expected.items():
        client.logout()
        verified_client(client, make_user(role))
        response = client.get("/")
        assert response.status_code == 200, role
        assert heading in response.content.decode(), role


def test_agency_contributor_home_does_not_show_partnership_sections(client, make_user):
    verified_client(client, make_user(Role.AGENCY_CONTRIBUTOR))
    html = client.get("/").content.decode()
    assert "Cases in progress" not in html
    assert "Before the CSPR Panel" not in html


def test_security_headers(client):
    response = client.get(reverse("accounts:login"))
    csp = response["Content-Security-Policy"]
    assert "'unsafe-inline'" not in csp
    assert re.search(r"script-src 'self' 'nonce-[\w+/=]+'", csp)
    assert "style-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_no_inline_script_or_style_on_any_page(client, signed_in):
    """The CSP forbids inline code; a page that relied on it would silently break."""
    responses = list(pages(client).values()) + [signed_in.get("/")]
    for response in responses:
        html = response.content.decode()
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), response.request["PATH_INFO"]
        assert "<style" not in html
        assert not re.search(r"\sstyle=", html), response.request["PATH_INFO"]
        nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)
        for tag in re.findall(r"<script[^>]*>", html):
            assert f'nonce="{nonce}"' in tag


@override_settings(DEBUG=False)
def test_500_page_is_a_govuk_page_that_needs_no_database(rf):
    from safeguarding.views import server_error

    request = rf.get("/")
    response = server_error(request)
    html = response.content.decode()
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in html
    assert "OFFICIAL-SENSITIVE" in html


def test_403_page(client, make_user):
    verified_client(client, make_user())  # no role
    response = client.get("/")
    assert response.status_code == 403
    assert "You cannot see this page" in response.content.decode()
    assert "OFFICIAL-SENSITIVE" in response.content.decode()


def test_health_check(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"
