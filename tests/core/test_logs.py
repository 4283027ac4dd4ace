"""No personal data in the logs: sign-in lockouts and gunicorn's access log."""

import logging

import pytest
from django.urls import reverse

from .production import gunicorn, request


@pytest.mark.django_db
def test_axes_log_lines_do_not_carry_the_email_address(client, make_user, caplog, settings):
    user = make_user(email="jo.bloggs@agency.example")
    with caplog.at_level(logging.INFO, logger="axes"):
        for _ in range(settings.AXES_FAILURE_LIMIT):
            client.post(
                reverse("accounts:login"), {"username": user.email, "password": "wrong password"}
            )
    messages = [record.getMessage() for record in caplog.records if record.name.startswith("axes")]
    assert any("Locking out" in m for m in messages), messages  # the lockout is still logged
    assert any('ip_address: "127.0.0.1"' in m for m in messages), messages
    for message in messages:
        assert "jo.bloggs" not in message.lower(), message
        assert "agency.example" not in message.lower(), message


def test_gunicorn_access_log_has_the_path_but_not_the_search(tmp_path):
    with gunicorn(tmp_path) as (port, log):
        request(
            port,
            "/cases/?q=Casey+Realname",
            host="cases.example.org",
            headers={
                "Referer": "https://cases.example.org/cases/?q=Casey+Realname",
                "User-Agent": "Mozilla/5.0 (Casey's laptop)",
            },
        )
    lines = [line for line in log.read_text().splitlines() if '"GET /cases/ HTTP/1.1"' in line]
    assert len(lines) == 1, log.read_text()  # the request is in the access log, by its path
    assert "Casey" not in log.read_text()
    assert "q=" not in log.read_text()
