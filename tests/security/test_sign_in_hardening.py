"""Sign-in and sessions: the lockout cannot be dodged by respelling the address, the session
key changes when the second factor passes, and nothing shown to a signed-in person is cached."""

import pytest
from django.test import Client
from django.urls import reverse

from safeguarding.accounts.roles import Role

from ..factories import PASSWORD
from ..helpers import current_code, verified_client

pytestmark = pytest.mark.django_db


def respellings(email):
    local, domain = email.split("@")
    return [
        email.upper(),
        f"  {email}",
        f"{email}\t",
        f"{local.capitalize()}@{domain.upper()}",
        f" {email.upper()} ",
        email,
    ]


def test_every_respelling_of_an_address_counts_towards_one_lockout(client, make_user):
    user = make_user(Role.PDEO, email="pat.deo@northbridge.example")
    spellings = respellings(user.email)
    for spelling in spellings[:4]:  # four failures, each spelt differently
        response = client.post(
            reverse("accounts:login"), {"username": spelling, "password": "wrong"}
        )
        assert response.status_code == 200, spelling
    # The fifth failure locks the account, whatever the spelling...
    response = client.post(
        reverse("accounts:login"), {"username": spellings[4], "password": "wrong"}
    )
    assert response.status_code == 429
    # ...and then the right password is refused under every spelling.
    for spelling in spellings:
        response = client.post(
            reverse("accounts:login"), {"username": spelling, "password": PASSWORD}
        )
        assert response.status_code == 429, spelling


def test_a_respelt_address_still_signs_in(client, make_user):
    user = make_user(Role.PDEO, email="pat.deo@northbridge.example")
    response = client.post(
        reverse("accounts:login"),
        {"username": "  PAT.Deo@Northbridge.EXAMPLE ", "password": PASSWORD},
    )
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:two_factor"))
    assert client.session["_auth_user_id"] == str(user.pk)


def test_the_session_key_changes_when_the_second_factor_passes(client, make_user):
    user = make_user(Role.PDEO)
    client.post(reverse("accounts:login"), {"username": user.email, "password": PASSWORD})
    before = client.session.session_key
    response = client.post(reverse("accounts:two_factor"), {"code": current_code(user)})
    assert response.status_code == 302
    after = client.session.session_key
    assert after and after != before
    assert client.get("/").status_code == 200  # still signed in, under the new key
    # The key from before the second factor is worth nothing now.
    stale = Client()
    stale.cookies["sessionid"] = before
    assert stale.get("/").status_code == 302


def test_every_authenticated_response_is_no_store(make_user, notified_case, partners):
    client = verified_client(Client(), partners["pdeo"])
    urls = [
        "/",
        reverse("cases:list"),
        reverse("cases:detail", kwargs={"reference": notified_case.reference}),
        reverse("requests:list"),
        reverse("requests:chronology", kwargs={"reference": notified_case.reference}),
        reverse("whats_due"),
        reverse("files:list"),
        reverse("accounts:preferences"),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"], url
    # Also between the password and the second factor.
    half = Client()
    half.post(
        reverse("accounts:login"), {"username": partners["la_signer"].email, "password": PASSWORD}
    )
    assert "no-store" in half.get(reverse("accounts:two_factor"))["Cache-Control"]
