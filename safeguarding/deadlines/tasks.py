"""Celery tasks for the clocks: thin, idempotent, safe to run twice or at once."""

import logging
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.core import mail
from django.db import transaction
from django.utils import timezone

from . import chasing
from .calendar import is_working_day
from .models import OutboundEmail

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 8


@shared_task
def chase_deadlines(force=False):
    """Each working morning (beat). Weekends and bank holidays are skipped unless forced."""
    today = timezone.localdate()
    if not force and not is_working_day(today):
        return {"skipped": str(today)}
    result = chasing.chase(today=today)
    return {k: (str(v) if k == "today" else v) for k, v in result.items() if k != "planned"}


def _backoff(attempts):
    return timedelta(minutes=min(5 * 2 ** (attempts - 1), 6 * 60))


def _send_one():
    """Send the next email that is due, under a row lock. False when none is left."""
    with transaction.atomic():
        email = (
            OutboundEmail.objects.select_for_update(skip_locked=True)
            .filter(status=OutboundEmail.Status.PENDING, next_attempt_at__lte=timezone.now())
            .order_by("next_attempt_at", "id")
            .first()
        )
        if email is None:
            return False
        email.attempts += 1
        try:
            message = mail.EmailMultiAlternatives(
                subject=email.subject,
                body=email.body_text,
                from_email=settings.DEFAULT_FROM_EMAIL,
                to=[email.to_address],
            )
            if email.body_html:
                message.attach_alternative(email.body_html, "text/html")
            message.send(fail_silently=False)
        except Exception as error:  # any delivery failure is recorded and retried
            log.warning("email %s failed (attempt %s): %s", email.pk, email.attempts, error)
            email.last_error = f"{type(error).__name__}: {error}"[:2000]
            if email.attempts >= MAX_ATTEMPTS:
                email.status = OutboundEmail.Status.FAILED
            else:
                email.next_attempt_at = timezone.now() + _backoff(email.attempts)
            email.save(update_fields=["attempts", "last_error", "status", "next_attempt_at"])
            return True
        email.status = OutboundEmail.Status.SENT
        email.sent_at = timezone.now()
        email.last_error = ""
        email.save(update_fields=["attempts", "last_error", "status", "sent_at"])
        return True


@shared_task
def send_pending_emails(limit=1000):
    """Send what is waiting. Also runs every few minutes, so a crash or a failed delivery is
    picked up again; the row lock means two workers never send the same email."""
    sent = 0
    while sent < limit and _send_one():
        sent += 1
    return sent
