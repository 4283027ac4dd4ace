"""Sending the outbox, at most once (see services.py for the whole story).

The worker claims a row and commits "being sent" before it calls the mail server, then records
the outcome. A row left "being sent" becomes "not known if sent": never sent again by itself.
"""

import logging
import re
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.core import mail
from django.db import transaction
from django.utils import timezone

from .models import OutboundEmail

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
# A send that has not recorded its outcome after this long never will: its outcome is unknown.
SENDING_TIMEOUT = timedelta(minutes=10)

S = OutboundEmail.Status
_RENDERERS: dict[str, Callable] = {}


def register_renderer(name, renderer):
    """`renderer(email)` -> (subject, text body, html body or ""), called when `email` is sent."""
    _RENDERERS[name] = renderer


def has_renderer(name):
    return name in _RENDERERS


_ADDRESS = re.compile(r"[\w.+'-]+@[\w-]+(\.[\w-]+)+")


def scrub(text):
    """What a mail server said, without the addresses it often repeats."""
    return _ADDRESS.sub("[address]", text)[:2000]


def _backoff(attempts):
    return timedelta(minutes=min(5 * 2 ** (attempts - 1), 6 * 60))


def _message(email):
    if email.is_sign_in:
        subject, text, html = _RENDERERS[email.renderer](email)
    else:
        subject, text, html = email.subject, email.body_text, email.body_html
    message = mail.EmailMultiAlternatives(
        subject=subject, body=text, from_email=settings.DEFAULT_FROM_EMAIL, to=[email.to_address]
    )
    if html:
        message.attach_alternative(html, "text/html")
    if email.attachment_name:
        message.attach(email.attachment_name, email.attachment, email.attachment_type)
    return message


def _claim(now):
    """Take the next email due, committing "being sent" first. None when nothing is due.

    The conditional update is the claim: of two workers that pick the same row, one updates it
    and the other moves on (SQLite has no row locks; PostgreSQL skips locked rows as well)."""
    while True:
        with transaction.atomic():
            email = (
                OutboundEmail.objects.select_for_update(skip_locked=True)
                .filter(status=S.PENDING, next_attempt_at__lte=now)
                .order_by("next_attempt_at", "id")
                .first()
            )
            if email is None:
                return None
            claimed = OutboundEmail.objects.filter(pk=email.pk, status=S.PENDING).update(
                status=S.SENDING, sending_since=now, attempts=email.attempts + 1
            )
        if claimed:
            email.status, email.sending_since, email.attempts = S.SENDING, now, email.attempts + 1
            return email


def send_next(*, now=None):
    """Send one email that is due. Returns it (with its outcome), or None when none is due."""
    now = now or timezone.now()
    email = _claim(now)
    if email is None:
        return None
    try:
        _message(email).send(fail_silently=False)
    except Exception as error:  # refused before the server accepted it: safe to try again
        log.warning(
            "email %s not sent (attempt %s): %s", email.pk, email.attempts, type(error).__name__
        )
        email.last_error = scrub(f"{type(error).__name__}: {error}")
        if email.attempts >= MAX_ATTEMPTS:
            email.status = S.FAILED
        else:
            email.status = S.PENDING
            email.next_attempt_at = now + _backoff(email.attempts)
        OutboundEmail.objects.filter(pk=email.pk, status=S.SENDING).update(
            status=email.status, last_error=email.last_error, next_attempt_at=email.next_attempt_at
        )
        return email
    # Accepted. Should this update fail, the row stays "being sent" and becomes "unknown":
    # listed for a person to decide, never sent twice by itself.
    email.status, email.sent_at, email.last_error = S.SENT, timezone.now(), ""
    OutboundEmail.objects.filter(pk=email.pk, status=S.SENDING).update(
        status=S.SENT, sent_at=email.sent_at, last_error=""
    )
    return email


def mark_unknown(*, now=None):
    """Sends that never recorded an outcome: their outcome is unknown."""
    now = now or timezone.now()
    return OutboundEmail.objects.filter(
        status=S.SENDING, sending_since__lt=now - SENDING_TIMEOUT
    ).update(status=S.UNKNOWN)


def send_pending(*, limit=1000):
    """Everything due, one at a time. Returns how many were tried (sent or not)."""
    mark_unknown()
    tried = 0
    while tried < limit and send_next() is not None:
        tried += 1
    return tried
