"""The outbox sends each email at most once: "being sent" is committed before the mail server is
called, so a crash or a database failure after sending never sends it again by itself; such an
email is listed for a person to decide. Sign-in emails never keep their link."""

import smtplib
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.db import DatabaseError
from django.db.models import QuerySet
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from safeguarding.accounts.emails import PASSWORD_RESET
from safeguarding.accounts.roles import Role
from safeguarding.outbox import selectors, sending, services
from safeguarding.outbox.models import OutboundEmail

from ..factories import UserFactory
from ..helpers import verified_client

pytestmark = pytest.mark.django_db
S = OutboundEmail.Status


@pytest.fixture
def person(db):
    return UserFactory(roles=[Role.PDEO], email="pat.deo@northbridge.example")


def queue(person, subject="Reminders"):
    return services.queue_email(
        recipient=person,
        kind=OutboundEmail.Kind.DIGEST,
        subject=subject,
        template="reminders",
        context={"items": [], "count": 0, "more": 0, "kind": "digest"},
    )


class CrashingBackend:
    """The worker dies while talking to the mail server (not an ordinary refusal)."""

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise SystemExit("worker killed")


class RefusingBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise smtplib.SMTPRecipientsRefused(
            {"pat.deo@northbridge.example": (550, b"No such user pat.deo@northbridge.example")}
        )


def test_a_sent_email_is_sent_once(person):
    email = queue(person)
    assert sending.send_pending() == 1
    email.refresh_from_db()
    assert email.status == S.SENT and email.attempts == 1 and email.sent_at
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [person.email]
    assert sending.send_pending() == 0 and len(mail.outbox) == 1


def test_a_database_failure_after_sending_never_sends_again(person, monkeypatch):
    email = queue(person)
    real_update = QuerySet.update

    def update(self, **kwargs):
        if kwargs.get("status") == S.SENT:
            raise DatabaseError("connection lost after the server accepted the message")
        return real_update(self, **kwargs)

    monkeypatch.setattr(QuerySet, "update", update)
    with pytest.raises(DatabaseError):
        sending.send_pending()
    monkeypatch.setattr(QuerySet, "update", real_update)
    assert len(mail.outbox) == 1
    email.refresh_from_db()
    assert email.status == S.SENDING  # committed before the server was called
    # Every later run, however many, sends nothing more.
    for minutes in (1, 5, 60, 600):
        with time_machine.travel(timezone.now() + timedelta(minutes=minutes)):
            sending.send_pending()
    assert len(mail.outbox) == 1
    email.refresh_from_db()
    assert email.status == S.UNKNOWN
    assert email in selectors.needing_attention()


def test_a_worker_killed_while_sending_leaves_an_unknown_email_a_person_can_resend(
    person, settings
):
    email = queue(person)
    settings.EMAIL_BACKEND = "tests.outbox.test_sending.CrashingBackend"
    with pytest.raises(SystemExit):
        sending.send_pending()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    later = timezone.now() + sending.SENDING_TIMEOUT + timedelta(seconds=1)
    with time_machine.travel(later):
        assert sending.send_pending() == 0
    email.refresh_from_db()
    assert email.status == S.UNKNOWN and len(mail.outbox) == 0

    pdeo = UserFactory(roles=[Role.PDEO])
    client = verified_client(Client(), pdeo)
    page = client.get(reverse("emails_needing_attention")).content.decode()
    assert "Reminders" in page and "Not known if sent" in page
    with time_machine.travel(later):
        response = client.post(reverse("resend_email", kwargs={"pk": email.pk}))
        assert response.status_code == 302
        sending.send_pending()
    email.refresh_from_db()
    assert email.status == S.SENT and email.resent_by == pdeo
    assert len(mail.outbox) == 1
    assert email not in selectors.needing_attention()


def test_a_refusal_is_retried_without_the_address_in_the_error_or_the_log(person, settings, caplog):
    email = queue(person)
    settings.EMAIL_BACKEND = "tests.outbox.test_sending.RefusingBackend"
    for attempt in range(1, sending.MAX_ATTEMPTS + 1):
        with time_machine.travel(timezone.now() + timedelta(days=attempt)):
            assert sending.send_pending() == 1
        email.refresh_from_db()
        assert email.attempts == attempt
    assert email.status == S.FAILED
    assert "SMTPRecipientsRefused" in email.last_error
    assert person.email not in email.last_error and "[address]" in email.last_error
    assert person.email not in caplog.text
    assert email in selectors.needing_attention()


def test_two_workers_never_claim_the_same_email(person):
    queue(person)
    now = timezone.now()
    first = sending._claim(now)
    assert first is not None
    assert sending._claim(now) is None  # the second finds nothing left to take


def test_sign_in_emails_keep_no_link_and_are_never_offered_for_resending(person, settings):
    email = services.queue_sign_in_email(recipient=person, renderer=PASSWORD_RESET)
    settings.EMAIL_BACKEND = "tests.outbox.test_sending.CrashingBackend"
    with pytest.raises(SystemExit):
        sending.send_pending()
    with time_machine.travel(timezone.now() + timedelta(hours=1)):
        sending.send_pending()
    email.refresh_from_db()
    assert email.status == S.UNKNOWN
    assert email.body_text == "" and email.body_html == "" and email.subject == ""
    assert email not in selectors.needing_attention()
    with pytest.raises(ValueError):
        services.resend(email=email, user=person)
