"""The one outbox every sender uses: queue, render, send, retry.

Queue: an email is a row written in the caller's transaction, so it exists exactly when what it
reports does; the worker is woken once that transaction commits.

Send: at most once. The worker claims a row and commits "being sent" before it calls the mail
server, then records the outcome. A row left "being sent" (the worker died, or the database
failed after the server accepted the message) becomes "not known if sent" and is listed for the
partnership team to resend by hand: it is never sent again by itself.

Sign-in emails (password reset) share all of this but keep no body: a renderer registered under
a name writes the body at the moment of sending, so a link that signs someone in is never stored,
and such an email is never offered for resending (the person asks again).
"""

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from .models import OutboundEmail
from .sending import has_renderer
from .tasks import send_pending_emails

S = OutboundEmail.Status


def absolute_url(path):
    """A link in an email: the service's address (SERVICE_URL) and a path."""
    return settings.SERVICE_URL.rstrip("/") + path


def render(template, context):
    """Text and HTML bodies from the pair email/<template>.txt and email/<template>.html."""
    context = {
        "partnership": settings.PARTNERSHIP_NAME,
        "service": settings.SERVICE_NAME,
        **context,
    }
    return (
        render_to_string(f"email/{template}.txt", context),
        render_to_string(f"email/{template}.html", context),
    )


def new_email(*, recipient, kind, subject, body_text, body_html="", day=None, attachment=None):
    """An unsaved email, for senders that write many at once (see `queue_all`). `attachment`:
    (file name, text, content type), e.g. a calendar invitation."""
    name, content, content_type = attachment or ("", "", "")
    return OutboundEmail(
        recipient=recipient,
        to_address=recipient.email,
        kind=kind,
        day=day or timezone.localdate(),
        subject=f"{subject} – {settings.SERVICE_NAME}",
        body_text=body_text,
        body_html=body_html,
        attachment_name=name,
        attachment=content,
        attachment_type=content_type,
    )


def queue_all(emails):
    """Write emails made by `new_email` in one go; the worker sends them after commit."""
    created = OutboundEmail.objects.bulk_create(emails, batch_size=500)
    if created:
        transaction.on_commit(send_soon)
    return created


def queue_email(*, recipient, kind, subject, template, context, attachment=None):
    """Write one email from a template pair (in the caller's transaction)."""
    text, html = render(template, {"recipient": recipient, **context})
    (email,) = queue_all(
        [
            new_email(
                recipient=recipient,
                kind=kind,
                subject=subject,
                body_text=text,
                body_html=html,
                attachment=attachment,
            )
        ]
    )
    return email


def queue_sign_in_email(*, recipient, renderer):
    """An email carrying a sign-in link: its body is written by `renderer` only when sent."""
    if not has_renderer(renderer):
        raise ValueError(f"no email renderer called {renderer!r}")
    email = OutboundEmail.objects.create(
        recipient=recipient,
        to_address=recipient.email,
        kind=OutboundEmail.Kind.SIGN_IN,
        day=timezone.localdate(),
        subject="",
        body_text="",
        renderer=renderer,
    )
    transaction.on_commit(send_soon)
    return email


def send_soon():
    """Wake the worker (after the sender's transaction has committed)."""
    send_pending_emails.delay()


@transaction.atomic
def resend(*, email, user):
    """Someone checked and chose to send it again (once more, from the queue)."""
    email = OutboundEmail.objects.select_for_update().get(pk=email.pk)
    if email.is_sign_in or email.status not in (S.UNKNOWN, S.FAILED):
        raise ValueError("only an unknown or failed email can be resent")
    email.status = S.PENDING
    email.next_attempt_at = timezone.now()
    email.resent_by = user
    email.attempts = 0
    email.save(update_fields=["status", "next_attempt_at", "resent_by", "attempts"])
    transaction.on_commit(send_soon)
    return email
