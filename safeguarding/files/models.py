"""Files the service makes (PDFs, CSV and XLSX exports): built by the worker, kept with who
asked and when, and downloaded only through the gate and the access log."""

import uuid

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone


def generated_path(instance, filename):
    # A random name: nothing about the case or the file in the path.
    return f"generated/{timezone.now():%Y/%m}/{uuid.uuid4().hex}"


class GeneratedFile(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        BUILDING = "building", "Being made"
        READY = "ready", "Ready"
        FAILED = "failed", "Could not be made"

    kind = models.CharField(max_length=60)
    title = models.CharField(max_length=200)
    # What the file was asked for with (filters, the case's reference...): its kind rebuilds
    # the subject from these through the gate, at building and at every download.
    params = models.JSONField(default=dict, blank=True)
    # What it is about (a case, usually), for the access log and admin.
    subject_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    subject_id = models.CharField(max_length=64, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="generated_files"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0, help_text="Per cent done.")
    progress_note = models.CharField(max_length=200, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    file = models.FileField(upload_to=generated_path, max_length=300, blank=True)
    filename = models.CharField(max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveBigIntegerField(null=True, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    # What the access log says is read when it is downloaded ("Case list CSV, 12 cases").
    description = models.CharField(max_length=200, blank=True)
    error = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        indexes = [
            models.Index(fields=["requested_by", "-requested_at"]),
            models.Index(fields=["status", "requested_at"]),
        ]

    def __str__(self):
        return f"{self.title} ({self.get_status_display().lower()})"

    @property
    def is_finished(self):
        return self.status in (self.Status.READY, self.Status.FAILED)
