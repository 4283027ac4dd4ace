"""Housekeeping for sign-in."""

from celery import shared_task
from django.core.management import call_command

from safeguarding.audit.services import forget_old_form_submissions


@shared_task
def clear_expired_sessions():
    """Expired sessions, and the one-time tokens of forms saved more than a day ago."""
    call_command("clearsessions")
    forget_old_form_submissions()
