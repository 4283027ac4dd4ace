"""The real thing: a Celery worker process on Redis sends the email a page asked for."""

import email
import email.policy

import pytest
from django.urls import reverse

from safeguarding.accounts.roles import Role

pytestmark = [pytest.mark.real_services, pytest.mark.django_db(transaction=True)]


def test_worker_sends_the_password_reset_email(client, make_user, celery_worker_process):
    user = make_user(Role.PDEO, email="worker.test@agency.example")
    response = client.post(reverse("accounts:password_reset"), {"email": user.email})
    assert response.status_code == 302

    def sent():
        for path in celery_worker_process.mail_path.iterdir():
            text = path.read_text()
            if "worker.test@agency.example" in text:
                return text

    raw = celery_worker_process.wait_for(sent).split("\n" + "-" * 79)[0]
    message = email.message_from_string(raw, policy=email.policy.default)
    assert message["To"] == "worker.test@agency.example"
    assert message["Subject"].startswith("Reset your password")
    assert "/account/password-reset/" in message.get_content()


def test_eager_mode_is_the_default_for_unit_tests(settings):
    """Unit tests run tasks in-process (set in the test settings, not here)."""
    from safeguarding.celery import app

    assert settings.CELERY_TASK_ALWAYS_EAGER is True
    assert app.conf.task_always_eager is True
