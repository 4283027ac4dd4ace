"""A session ends 30 minutes idle, and a working day after sign-in however busy it has been."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from safeguarding.accounts.roles import Role
from safeguarding.audit.models import SecurityEvent

from ..helpers import sign_in

pytestmark = pytest.mark.django_db

MORNING = datetime(2026, 11, 24, 8, 0, tzinfo=ZoneInfo("Europe/London"))
LOGIN = reverse("accounts:login")


def test_a_busy_session_ends_a_working_day_after_sign_in(client, make_user, settings):
    assert settings.SESSION_ABSOLUTE_SECONDS == 9 * 60 * 60  # the default: a working day
    user = make_user(Role.PDEO)
    with time_machine.travel(MORNING, tick=False) as clock:
        sign_in(client, user)  # through the real pages: password, then the code
        # Busy all day: a page every 20 minutes, so the idle limit never ends the session.
        for _ in range(26):  # up to 8h40
            clock.shift(timedelta(minutes=20))
            assert client.get(reverse("home")).status_code == 200
        clock.shift(timedelta(minutes=19))  # 8h59
        assert client.get(reverse("home")).status_code == 200

        clock.shift(timedelta(minutes=1))  # 9h after sign-in
        response = client.get(reverse("whats_due"))
        assert response.status_code == 302
        assert response["Location"] == f"{LOGIN}?next={reverse('whats_due')}"
        page = client.get(response["Location"]).content.decode()
        assert "You have been signed out because you signed in more than 9 hours ago" in page
        assert "Sign in again to carry on" in page

        # Signed out for real: the session is gone, not just this one page refused.
        assert "_auth_user_id" not in client.session
        assert client.get(reverse("home"))["Location"].startswith(LOGIN)
        assert SecurityEvent.objects.filter(user=user, kind=SecurityEvent.Kind.LOGOUT).exists()

        # Signing in again starts a new day.
        sign_in(client, user)
        clock.shift(timedelta(minutes=20))
        assert client.get(reverse("home")).status_code == 200


def test_the_limit_comes_from_the_setting(client, make_user, settings):
    settings.SESSION_ABSOLUTE_SECONDS = 45 * 60
    user = make_user(Role.PDEO)
    with time_machine.travel(MORNING, tick=False) as clock:
        sign_in(client, user)
        clock.shift(timedelta(minutes=25))
        assert client.get(reverse("home")).status_code == 200
        clock.shift(timedelta(minutes=20))
        response = client.get(reverse("home"), follow=True)
        assert "signed in more than 45 minutes ago" in response.content.decode()


def test_the_idle_limit_still_ends_a_quiet_session_first(client, make_user):
    user = make_user(Role.PDEO)
    with time_machine.travel(MORNING, tick=False) as clock:
        sign_in(client, user)
        clock.shift(timedelta(minutes=31))
        response = client.get(reverse("home"))
        assert response["Location"].startswith(LOGIN)


def _expiry(client):
    from django.contrib.sessions.models import Session

    return Session.objects.get(session_key=client.session.session_key).expire_date


def test_the_idle_clock_is_wound_back_at_most_once_a_minute(client, make_user):
    """Not a write on every page: within a minute of the last wind-back the session is not
    saved again; after it, the expiry moves on from that page."""
    user = make_user(Role.PDEO)
    with time_machine.travel(MORNING, tick=False) as clock:
        sign_in(client, user)
        clock.shift(timedelta(minutes=2))
        assert client.get(reverse("home")).status_code == 200
        wound_back = _expiry(client)
        assert wound_back == MORNING + timedelta(minutes=2 + 30)

        clock.shift(timedelta(seconds=50))
        assert client.get(reverse("home")).status_code == 200
        assert _expiry(client) == wound_back  # not saved

        clock.shift(timedelta(seconds=20))  # 70 s since the last wind-back
        assert client.get(reverse("home")).status_code == 200
        assert _expiry(client) == MORNING + timedelta(minutes=2 + 30, seconds=70)


def test_pages_every_fifty_seconds_keep_a_session_past_the_idle_limit(client, make_user):
    user = make_user(Role.PDEO)
    with time_machine.travel(MORNING, tick=False) as clock:
        sign_in(client, user)
        for _ in range(48):  # 40 minutes, never more than 50 s between pages
            clock.shift(timedelta(seconds=50))
            assert client.get(reverse("whats_due")).status_code == 200
        # Then quiet: ended by the idle limit within a minute of 30 minutes after the last.
        clock.shift(timedelta(minutes=29))
        assert client.get(reverse("home")).status_code == 200
        clock.shift(timedelta(minutes=31))
        assert client.get(reverse("home"))["Location"].startswith(LOGIN)
