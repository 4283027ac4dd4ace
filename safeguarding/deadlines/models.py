from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
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

    @property
    def is_open(self):
        return self.status == self.Status.OPEN
