"""What agencies are asked for and what they answer: information requests, responses,
chronology entries and documents. Used by rapid reviews and by local reviews."""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from safeguarding.accounts.models import Agency
from safeguarding.accounts.roles import Role
from safeguarding.cases.models import (
    Case,
    ConflictOfInterest,
    case_ids_readable_by,
    may_be_conflicted,
)


class RequestQuerySet(models.QuerySet):
    def _gate_parts(self, user):
        """The gate as the parts whose union the person may see: None for every request, [] for
        none. Kept apart so that `count_visible_to` can count each part with its own index."""
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return []
        if Case.objects.sees_every_case(user):
            return None  # every case readable: no subquery of every case's id
        parts = []
        if Role.AGENCY_CONTRIBUTOR in user.role_names and user.agency_id:
            own = Q(agency_id=user.agency_id) & ~Q(status=InformationRequest.Status.WITHDRAWN)
            # Someone who declared a conflict on the case does not answer for it either.
            if may_be_conflicted(user):
                own &= ~Q(
                    Exists(ConflictOfInterest.objects.filter(case=OuterRef("case"), user=user))
                )
            parts.append(own)
        parts.append(Q(case__in=case_ids_readable_by(user)))
        return parts

    def visible_to(self, user):
        """The gate for requests and everything hanging on them (responses, chronology entries,
        documents: free text and files).

        An agency contributor sees the requests sent to their own agency (whatever the case
        gate says: that is how they reach a case at all). Everyone, contributors included,
        sees the requests on the cases they may read (Case.objects.readable_by): seeing a
        case's reference is not enough to read what an agency wrote about it.
        """
        parts = self._gate_parts(user)
        if parts is None:
            return self.all()
        if not parts:
            return self.none()
        allowed = parts[0]
        for part in parts[1:]:
            allowed |= part
        return self.filter(allowed)

    def count_visible_to(self, user):
        """`visible_to(user).count()`, in one query that counts each part of the gate apart
        and adds them up, each part leaving out what an earlier one counted. An agency's
        requests are a tenth of a decade's; asked as one condition with an OR, PostgreSQL
        read every request to count them (docs/performance.md, "Sixth round")."""
        parts = self._gate_parts(user)
        if not parts or len(parts) == 1:
            return self.visible_to(user).count()
        first, *rest = parts
        queries, counted = [self.filter(first)], first
        for part in rest:
            queries.append(self.filter(part & ~counted))
            counted |= part
        ids = [query.order_by().values("pk") for query in queries]  # no ORDER BY in a UNION
        return ids[0].union(*ids[1:], all=True).count()


class InformationRequest(models.Model):
    """A request to one agency for its information about a case, with its own deadline (D13)."""

    class Purpose(models.TextChoices):
        RAPID_REVIEW = "rapid_review", "Rapid review"
        LOCAL_REVIEW = "local_review", "Local review"

    class Status(models.TextChoices):
        OPEN = "open", "Awaiting answer"
        SUBMITTED = "submitted", "Submitted"
        RETURNED = "returned", "Returned for amendment"
        ACCEPTED = "accepted", "Accepted"
        WITHDRAWN = "withdrawn", "Withdrawn"
        CLOSED = "closed", "Closed: no longer needed"

    # Still waiting on the agency or on the partnership team: what a rapid review would leave
    # open at sending unless someone decides about each one.
    OPEN_STATUSES = (Status.OPEN, Status.RETURNED, Status.SUBMITTED)

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="information_requests")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="requests")
    purpose = models.CharField(max_length=20, choices=Purpose.choices)
    questions = models.TextField(help_text="What the agency is asked for.")
    period_from = models.DateField(null=True, blank=True)
    period_to = models.DateField(null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_on = models.DateField(default=timezone.localdate)
    due_date = models.DateField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)
    return_reason = models.TextField(blank=True)
    # The response, inline: one per request.
    involvement_from = models.DateField("involvement from", null=True, blank=True)
    involvement_to = models.DateField("involvement to", null=True, blank=True)
    nature_of_involvement = models.TextField(blank=True)
    summary = models.TextField("summary of involvement", blank=True)
    went_well = models.TextField("what went well", blank=True)
    could_be_better = models.TextField("what could have been better", blank=True)
    immediate_actions = models.TextField("immediate actions taken", blank=True)
    # A nil return: the agency has had no involvement with the child or family.
    nil_return = models.BooleanField(default=False)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    submitted_on = models.DateField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    accepted_on = models.DateField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    objects = RequestQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "agency", "purpose"], name="one_request_per_agency_and_purpose"
            )
        ]
        indexes = [
            models.Index(fields=["agency", "status"]),
            # The request list, in its order (status, due date): an agency's, and everyone's.
            models.Index(fields=["agency", "status", "due_date", "id"], name="request_agency_list"),
            models.Index(fields=["status", "due_date", "id"], name="request_list"),
            # An agency contributor's home page: their agency's latest requests.
            models.Index(fields=["agency", "-requested_on", "-id"], name="request_agency_recent"),
        ]
        permissions = [
            ("respond_to_request", "Can answer information requests for their agency"),
            ("review_response", "Can send requests and accept or return responses"),
        ]

    def __str__(self):
        return f"Request to {self.agency} on {self.case.reference}"

    @property
    def is_editable_by_agency(self):
        return self.status in (self.Status.OPEN, self.Status.RETURNED)

    def clean(self):
        if self.period_from and self.period_to and self.period_from > self.period_to:
            raise ValidationError({"period_to": "The end of the period must be after its start"})
        if (
            self.involvement_from
            and self.involvement_to
            and self.involvement_from > self.involvement_to
        ):
            raise ValidationError(
                {"involvement_to": "The end of the involvement must be after its start"}
            )


class ChronologyEntry(models.Model):
    """One event in an agency's chronology. Case and agency are copied from the request so
    the integrated chronology is one indexed query. An entry added from an uploaded
    spreadsheet remembers its upload (and row), so that uploading again replaces it; one typed
    in has none."""

    # The longest "what happened" and "significance" the service takes, typed or uploaded.
    TEXT_MAX_LENGTH = 10_000

    request = models.ForeignKey(
        InformationRequest, on_delete=models.CASCADE, related_name="entries"
    )
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="chronology_entries")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    date = models.DateField()
    time = models.TimeField(null=True, blank=True)
    what_happened = models.TextField()
    who = models.CharField("who in the agency", max_length=200, blank=True)
    significance = models.TextField(blank=True)
    upload = models.ForeignKey(
        "ChronologyUpload",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="entries",
    )
    upload_row = models.PositiveIntegerField("row in the uploaded file", null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["date", "time", "id"]
        verbose_name_plural = "chronology entries"
        indexes = [models.Index(fields=["case", "date"])]

    def __str__(self):
        return f"{self.date:%d %b %Y} – {self.agency}"


def pending_upload_path(instance, filename):
    # A random name outside the web root, like documents: nothing about the child or the file.
    return f"chronology-uploads/{instance.case_id}/{uuid.uuid4().hex}"


def document_path(instance, filename):
    # A random name outside the web root: nothing about the child or the file in the path.
    return f"documents/{instance.case_id}/{uuid.uuid4().hex}"


class Document(models.Model):
    request = models.ForeignKey(
        InformationRequest, on_delete=models.CASCADE, related_name="documents"
    )
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="documents")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    file = models.FileField(upload_to=document_path, max_length=300)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    description = models.CharField(max_length=300, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["uploaded_at", "id"]

    def __str__(self):
        return self.original_name


class ChronologyUpload(models.Model):
    """A spreadsheet of chronology entries uploaded into a response: who, when, which file
    (its checksum, not the file: see docs/architecture.md), how many rows, and how far it has
    got. Its entries wait as PendingEntry rows until the contributor has seen them and adds
    them; adding replaces the entries of the request's previous upload.

    queued -> checking -> refused | checked          (checked in the worker, or at once)
    checked -> adding -> added -> replaced           (added in the worker, or at once)
    queued | checking | checked -> cancelled         (or a newer upload, or the response sent)
    queued | checking | adding -> failed             (something broke: nothing was added)
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to be checked"
        CHECKING = "checking", "Being checked"
        REFUSED = "refused", "Has problems"
        CHECKED = "checked", "Checked: not added yet"
        ADDING = "adding", "Being added"
        ADDED = "added", "Added"
        REPLACED = "replaced", "Replaced by a later upload"
        CANCELLED = "cancelled", "Cancelled"
        FAILED = "failed", "Could not be checked"

    class Format(models.TextChoices):
        XLSX = "xlsx", "Excel workbook"
        CSV = "csv", "CSV"

    WORKING = (Status.QUEUED, Status.CHECKING, Status.ADDING)
    OPEN = (Status.QUEUED, Status.CHECKING, Status.CHECKED, Status.ADDING)

    request = models.ForeignKey(
        InformationRequest, on_delete=models.CASCADE, related_name="uploads"
    )
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)
    original_name = models.CharField(max_length=255)
    file_format = models.CharField(max_length=4, choices=Format.choices)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    # Entries read from the file (known once it has been checked).
    row_count = models.PositiveIntegerField(null=True, blank=True)
    first_date = models.DateField(null=True, blank=True)
    last_date = models.DateField(null=True, blank=True)
    # Row-by-row problems of a refused file: [{"row", "column", "heading", "message"}], the
    # first MAX_PROBLEMS of `problem_count`. Never a cell's free text.
    problems = models.JSONField(default=list, blank=True)
    problem_count = models.PositiveIntegerField(default=0)
    error = models.CharField(max_length=300, blank=True)
    progress = models.PositiveSmallIntegerField(default=0, help_text="Per cent done.")
    progress_note = models.CharField(max_length=200, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    added_at = models.DateTimeField(null=True, blank=True)
    replaced_count = models.PositiveIntegerField(
        default=0, help_text="Entries of the earlier upload that adding this one replaced."
    )
    # The file itself only while it waits for the worker to check it; deleted once checked.
    pending_file = models.FileField(upload_to=pending_upload_path, max_length=300, blank=True)
    history = HistoricalRecords(excluded_fields=["progress", "progress_note"])

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        indexes = [models.Index(fields=["request", "status"])]

    def __str__(self):
        return f"{self.original_name} ({self.get_status_display().lower()})"

    @property
    def is_working(self):
        return self.status in self.WORKING


class PendingEntry(models.Model):
    """An entry read from a checked upload, waiting for the contributor to look at it and add
    it. Not part of the response (nothing reads these but the upload's own pages); deleted
    when the upload is added, cancelled or replaced."""

    upload = models.ForeignKey(ChronologyUpload, on_delete=models.CASCADE, related_name="pending")
    row = models.PositiveIntegerField("row in the file")
    date = models.DateField()
    time = models.TimeField(null=True, blank=True)
    what_happened = models.TextField()
    who = models.CharField(max_length=200, blank=True)
    significance = models.TextField(blank=True)

    class Meta:
        ordering = ["upload", "row"]
        constraints = [
            models.UniqueConstraint(fields=["upload", "row"], name="one_pending_entry_per_row")
        ]

    def __str__(self):
        return f"Row {self.row} of {self.upload}"
