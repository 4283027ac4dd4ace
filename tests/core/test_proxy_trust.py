"""Whose address is recorded: the peer's, unless the peer is a trusted proxy, and then the
right-most forwarded address that is not a trusted proxy. One place decides, for the audit log
and for django-axes; gunicorn believes forwarded headers only from the configured proxy."""

import pytest
from axes.helpers import get_client_ip_address
from axes.models import AccessAttempt
from django.test import RequestFactory
from django.urls import reverse

from safeguarding.audit.models import SecurityEvent
from safeguarding.audit.services import client_ip

from .production import collected_static, gunicorn, request

PROXY = "10.0.0.2"


def ip(remote_addr, forwarded=None):
    meta = {"REMOTE_ADDR": remote_addr}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_ip(RequestFactory().get("/", **meta))


def test_with_no_trusted_proxy_the_peer_is_the_client(settings):
    settings.TRUSTED_PROXIES = []
    assert ip("203.0.113.9") == "203.0.113.9"
    assert ip("203.0.113.9", "198.51.100.1") == "203.0.113.9"


def test_a_spoofed_forwarded_for_from_an_untrusted_peer_is_ignored(settings):
    settings.TRUSTED_PROXIES = [PROXY]
    assert ip("203.0.113.9", "198.51.100.1") == "203.0.113.9"
    assert ip("203.0.113.9", "198.51.100.1, 10.0.0.2") == "203.0.113.9"


def test_the_trusted_proxy_gives_the_client_it_saw(settings):
    settings.TRUSTED_PROXIES = [PROXY]
    assert ip(PROXY, "198.51.100.7") == "198.51.100.7"
    # The client wrote a false first entry; the proxy appended the address it really saw.
    assert ip(PROXY, "1.2.3.4, 198.51.100.7") == "198.51.100.7"
    assert ip(PROXY, "not-an-address, 198.51.100.7") == "198.51.100.7"


def test_a_chain_of_trusted_proxies_is_walked_from_the_right(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/24", "192.0.2.10"]
    assert ip("10.0.0.3", "1.2.3.4, 198.51.100.7, 192.0.2.10, 10.0.0.9") == "198.51.100.7"
    # Every hop trusted: the furthest the proxies vouch for.
    assert ip("10.0.0.3", "10.0.0.5") == "10.0.0.5"


def test_the_trusted_proxy_alone_or_with_garbage_is_recorded_as_itself(settings):
    settings.TRUSTED_PROXIES = [PROXY]
    assert ip(PROXY) == PROXY
    assert ip(PROXY, "") == PROXY
    assert ip(PROXY, "198.51.100.7, garbage") == PROXY


def test_ipv6_and_mapped_addresses(settings):
    settings.TRUSTED_PROXIES = ["::1", "127.0.0.1"]
    assert ip("::1", "2001:db8::5") == "2001:db8::5"
    assert ip("::ffff:127.0.0.1", "198.51.100.7") == "198.51.100.7"


def test_axes_uses_the_same_address(settings):
    settings.TRUSTED_PROXIES = [PROXY]
    spoofed = RequestFactory().get("/", REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="1.1.1.1")
    proxied = RequestFactory().get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="1.1.1.1, 8.8.8.8")
    assert get_client_ip_address(spoofed) == "203.0.113.9"
    assert get_client_ip_address(proxied) == "8.8.8.8"


@pytest.mark.django_db
def test_a_failed_sign_in_records_the_real_client_in_the_audit_and_the_throttle(
    client, make_user, settings
):
    settings.TRUSTED_PROXIES = [PROXY]
    user = make_user()
    login = reverse("accounts:login")
    form = {"username": user.email, "password": "wrong password"}

    # Through the proxy: the address the proxy saw, not the one the client claimed.
    client.post(login, form, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.7")
    # Straight to the server with a forged header: the peer.
    client.post(login, form, REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="198.51.100.7")

    events = SecurityEvent.objects.filter(kind=SecurityEvent.Kind.LOGIN_FAILED).order_by("pk")
    assert [e.ip_address for e in events] == ["198.51.100.7", "203.0.113.9"]
    attempts = set(AccessAttempt.objects.values_list("ip_address", flat=True))
    assert attempts == {"198.51.100.7", "203.0.113.9"}


def https_claimed(port):
    """A plain-HTTP request claiming (X-Forwarded-Proto) to have come over HTTPS."""
    status, headers, _ = request(
        port, "/account/sign-in/", host="cases.example.org", headers={"X-Forwarded-Proto": "https"}
    )
    return status


def test_gunicorn_believes_forwarded_proto_only_from_the_configured_proxy(
    tmp_path, tmp_path_factory
):
    """Django left to trust gunicorn's scheme (BEHIND_TLS_PROXY off), with the HTTPS redirect
    on: the claim is believed (the page, 200) only when it comes from FORWARDED_ALLOW_IPS."""
    static = collected_static(tmp_path_factory)
    env = {"BEHIND_TLS_PROXY": "false"}
    # The default proxy address is 127.0.0.1, where this test's requests come from.
    with gunicorn(tmp_path / "trusted", env=env, static_root=static) as (port, _):
        assert https_claimed(port) == 200
    untrusted = {**env, "FORWARDED_ALLOW_IPS": "192.0.2.1"}
    with gunicorn(tmp_path / "untrusted", env=untrusted, static_root=static) as (port, _):
        assert https_claimed(port) == 301
