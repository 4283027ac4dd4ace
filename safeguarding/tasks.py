"""Shared background work: sending email and housekeeping. Tasks are thin and safe to repeat."""

import logging
import smtplib

from celery import shared_task
from django.conf import settings
from django.core import mail
from django.core.management import call_command

log = logging.getLogger(__name__)


@shared_task(
    autoretry_for=(smtplib.SMTPException, OSError),
    retry_backoff=60,
    retry_backoff_max=60 * 60,
    max_retries=8,
)
def send_email(*, subject, body, to, html_body=None):
    """Send one email through Django's configured backend; retried when delivery fails."""
    message = mail.EmailMultiAlternatives(
        subject=f"{subject}", body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=list(to)
    )
    if html_body:
        message.attach_alternative(html_body, "text/html")
    message.send(fail_silently=False)
    return len(to)


@shared_task
def clear_expired_sessions():
    call_command("clearsessions")
