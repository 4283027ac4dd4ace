"""Celery tasks for the clocks: thin, idempotent, safe to run twice or at once."""

from celery import shared_task
from django.utils import timezone

from . import chasing
from .calendar import is_working_day


@shared_task
def chase_deadlines(force=False):
    """Each working morning (beat). Weekends and bank holidays are skipped unless forced."""
    today = timezone.localdate()
    if not force and not is_working_day(today):
        return {"skipped": str(today)}
    return chasing.summary(chasing.chase(today=today))
