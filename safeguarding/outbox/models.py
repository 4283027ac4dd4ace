"""The outbox: every email the service sends, written in the same transaction as what it
reports and sent by the worker, at most once."""

from django.conf import settings
from django.db import models
from django.utils import timezone

# The permission to resend an email (granted to roles in accounts/roles.py).
RESEND_EMAIL = "outbox.resend_email"


class OutboundEmail(models.Model):
    """One email to one person.

    pending --(worker takes it)--> sending --(mail server accepted)--> sent
    sending --(refused before acceptance)--> pending again (back-off) or failed
    sending --(no outcome recorded: the worker or database failed mid-send)--> unknown

    An unknown email is never sent again by itself: the partnership team sees it listed and
    chooses to resend. Sign-in emails (password reset) keep no body here: it is written at the
    moment of sending, so no link that signs someone in is ever stored.
    """

    class Kind(models.TextChoices):
        DIGEST = "digest", "Daily digest"
        IMMEDIATE = "immediate", "Single reminder"
        ESCALATION = "escalation", "Escalation"
        MANUAL = "manual", "Chased by hand"
        NOTICE = "notice", "Notice (e.g. a new request)"
        SIGN_IN = "sign_in", "Sign-in link (password reset)"

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to send"
        SENDING = "sending", "Being sent"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"
        UNKNOWN = "unknown", "Not known if sent"

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="outbound_emails"
    )
    to_address = models.EmailField()
    kind = models.CharField(max_length=12, choices=Kind.choices)
    day = models.DateField()
    subject = models.CharField(max_length=250)
    body_text = models.TextField()
    body_html = models.TextField(blank=True)
    # Sign-in emails: the name of the renderer that writes the body when it is sent.
    renderer = models.CharField(max_length=40, blank=True)
    # One small text attachment, e.g. a calendar invitation (.ics), kept with the email.
    attachment_name = models.CharField(max_length=100, blank=True)
    attachment_type = models.CharField(max_length=100, blank=True)
    attachment = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    sending_since = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    resent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Who asked for an email of unknown outcome to be sent again.",
    )

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="outbox_status_next_idx"),
        ]
        permissions = [("resend_email", "Can resend an email whose delivery is not known")]

    def __str__(self):
        return f"{self.get_kind_display()} to {self.to_address} ({self.get_status_display()})"

    @property
    def is_sign_in(self):
        return self.kind == self.Kind.SIGN_IN
