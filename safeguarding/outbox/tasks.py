"""The outbox's background work: thin, safe to run twice or at once."""

from celery import shared_task

from . import sending


@shared_task
def send_pending_emails(limit=1000):
    """Send what is waiting. Beat also runs it every few minutes, so a failed delivery is tried
    again after its back-off and a lost send is marked as unknown."""
    return sending.send_pending(limit=limit)
