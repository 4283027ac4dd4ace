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


def test_worker_runs_the_chase_and_sends_the_reminder(celery_worker_process, make_user):
    """Beat's task on a real worker: the chase, then the email task it queues, end to end."""
    from datetime import timedelta

    from django.utils import timezone

    from safeguarding.deadlines import services
    from safeguarding.deadlines.models import Reminder
    from safeguarding.deadlines.rules import Kind
    from safeguarding.deadlines.tasks import chase_deadlines

    from ..factories import CaseFactory

    pdeo = make_user(Role.PDEO, email="chase.worker@agency.example")
    case = CaseFactory(user=pdeo)
    services.open_deadline(
        kind=Kind.NOTIFY_NATIONAL_PANEL,
        obj=case,
        case=case,
        anchor_date=timezone.localdate() - timedelta(days=30),  # long overdue, any weekday
    )
    chase_deadlines.delay(force=True)

    def sent():
        for path in celery_worker_process.mail_path.iterdir():
            text = path.read_text()
            if "chase.worker@agency.example" in text:
                return text

    raw = celery_worker_process.wait_for(sent).split("\n" + "-" * 79)[0]
    message = email.message_from_string(raw, policy=email.policy.default)
    body = message.get_body(preferencelist=("plain",)).get_content()
    assert case.reference in body
    assert "Notify the national Panel" in body
    assert "overdue" in body
    assert Reminder.objects.filter(recipient=pdeo).exists()
    assert case.children.get().name not in raw
