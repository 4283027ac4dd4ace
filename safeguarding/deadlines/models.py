from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from .rules import Kind, Unit


class ClosureDay(models.Model):
    """A day the partnership's offices are closed, on top of bank holidays in England."""

    date = models.DateField(unique=True)
    reason = models.CharField(max_length=200)
    history = HistoricalRecords()

    class Meta:
        ordering = ["date"]

    def __str__(self):
        return f"{self.date:%d %B %Y}: {self.reason}"


class Deadline(models.Model):
    """One statutory or local clock on one thing. Made, recomputed and closed by services only."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        MET = "met", "Met"
        MISSED = "missed", "Missed"
        CANCELLED = "cancelled", "Cancelled"

    kind = models.CharField(max_length=40, choices=Kind.choices)
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="deadlines")
    # The thing the clock belongs to: a notification, a rapid review, a request...
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    content_object = GenericForeignKey("content_type", "object_id")

    anchor_date = models.DateField()
    rule = models.CharField(max_length=300, help_text="The rule that produced the due date.")
    limit = models.IntegerField()
    unit = models.CharField(max_length=30, choices=Unit.choices)
    due_date = models.DateField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)
    met_on = models.DateField(null=True, blank=True, help_text="When the event was recorded.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_date", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "content_type", "object_id"], name="one_deadline_per_clock"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "due_date"]),
            models.Index(fields=["case", "status"]),
        ]
        permissions = [("view_whats_due", "Can see what is due")]

    def __str__(self):
        return f"{self.get_kind_display()} – due {self.due_date:%d %b %Y}"


class OutboundEmail(models.Model):
    """An email the service owes someone: written in the same transaction as what it reports,
    sent by the worker, retried when delivery fails, and never sent twice."""

    class Kind(models.TextChoices):
        DIGEST = "digest", "Daily digest"
        IMMEDIATE = "immediate", "Single reminder"
        ESCALATION = "escalation", "Escalation"
        MANUAL = "manual", "Chased by hand"
        NOTICE = "notice", "Notice (e.g. a new request)"

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to send"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="outbound_emails"
    )
    to_address = models.EmailField()
    kind = models.CharField(max_length=12, choices=Kind.choices)
    day = models.DateField()
    subject = models.CharField(max_length=250)
    body_text = models.TextField()
    body_html = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self):
        return f"{self.get_kind_display()} to {self.to_address} ({self.get_status_display()})"


class Reminder(models.Model):
    """One rung of a deadline's ladder for one person. The unique constraint is what makes a
    chase that runs twice, or twice at once, send nothing twice."""

    deadline = models.ForeignKey(Deadline, on_delete=models.CASCADE, related_name="reminders")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders"
    )
    rung = models.CharField(max_length=30)
    day = models.DateField(help_text="The day it was sent for.")
    run_id = models.UUIDField(db_index=True)
    email = models.ForeignKey(
        OutboundEmail, on_delete=models.SET_NULL, null=True, blank=True, related_name="reminders"
    )
    chased_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Set when the PDEO chased by hand.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-day", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["deadline", "recipient", "rung"], name="one_reminder_per_rung"
            ),
        ]
        indexes = [models.Index(fields=["recipient", "day"])]

    def __str__(self):
        return f"{self.rung} for {self.deadline} to {self.recipient}"


class ChaseLock(models.Model):
    """A single row the chase locks, so two chases at once run one after the other."""

    name = models.CharField(max_length=20, primary_key=True)
    last_run_on = models.DateField(null=True, blank=True)

    def __str__(self):
        return self.name
