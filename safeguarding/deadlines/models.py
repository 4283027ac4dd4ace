from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from safeguarding.accounts.models import kept_for
from safeguarding.cases.models import Case, case_gate, may_be_conflicted, written_sql

from . import caseless
from .rules import KIND_LABELS, Kind, Unit


class ClosureDay(models.Model):
    """A day the partnership's offices are closed, on top of bank holidays in England."""

    date = models.DateField(unique=True)
    reason = models.CharField(max_length=200)
    history = HistoricalRecords()

    class Meta:
        ordering = ["date"]

    def __str__(self):
        return f"{self.date:%d %B %Y}: {self.reason}"


# Still waited for: open, or missed with nothing recorded yet (DeadlineQuerySet.unmet).
UNMET_STATUSES = ("open", "missed")
UNMET = models.Q(status__in=UNMET_STATUSES, met_on=None)


def _seen_by(user, every_case):
    # The case gate on each clock's case (`case_gate`): a Panel member's, as a list of ids,
    # was every case before the Panel, built in full before the first clock was read.
    seen = Q(case__isnull=False) if every_case else case_gate(user, read=False, to_case="case__")
    if seen is None:
        seen = Q(pk__in=[])  # no case at all
    for content_type, owner in caseless.owners():
        ids = owner.visible_ids(user)
        if ids is not None:
            # Its SQL written once, with the gate (`visible_to` keeps it for the person), not
            # built and compiled again in each of a page's queries of clocks.
            ids = written_sql(ids)
            seen |= Q(case__isnull=True, content_type=content_type, object_id__in=ids)
    return seen


class DeadlineQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A clock on a case is seen by whoever the case's visibility gate lets see its case,
        and by nobody else. A clock without a case is seen only through the rule the app
        owning its object registered (`caseless.py`); with no rule, by nobody."""
        # Built once per person object (`kept_for`): a home page passes five querysets
        # through this gate, and building the case gate and each owner's rule was most of the
        # Python time of a section that found nothing.
        # Kept under a name of its own for each form of the case gate: one built on a page
        # where the person declared no conflict must never serve a POST or a task.
        every_case = Case.objects.sees_every_case(user)
        form = "every-case" if every_case else ("" if may_be_conflicted(user) else "no-conflict")
        seen = kept_for(user, f"_deadline_gate:{form}", lambda: _seen_by(user, every_case))
        return self.filter(seen)

    def unmet(self):
        """Still waited for: open, or missed with nothing recorded yet."""
        return self.filter(UNMET)


class Deadline(models.Model):
    """One statutory or local clock on one thing. Made, recomputed and closed by services only."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        MET = "met", "Met"
        MISSED = "missed", "Missed"
        CANCELLED = "cancelled", "Cancelled"

    kind = models.CharField(max_length=40, choices=Kind.choices)
    # None for a clock that belongs to no case (a Panel action, a meeting's papers): see
    # caseless.py for who sees and is chased about those.
    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="deadlines", null=True, blank=True
    )
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

    objects = DeadlineQuerySet.as_manager()

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
            # Partial indexes: the clocks still waited for are a third of a decade's rows, and
            # every page that counts what is owed, What's due and the chase read only those
            # (docs/performance.md). Each carries the columns its counts filter on (the kind;
            # the case and a caseless clock's object, for the visibility gate), so a count reads
            # the index alone (PostgreSQL; others ignore `include`).
            models.Index(
                fields=["case", "due_date"],
                include=["kind"],
                condition=UNMET,
                name="deadline_unmet_by_case",
            ),
            models.Index(
                fields=["due_date", "id"],
                include=["case", "content_type", "object_id", "kind"],
                condition=UNMET,
                name="deadline_unmet_by_due",
            ),
            models.Index(
                fields=["due_date"],
                condition=models.Q(status="open"),
                name="deadline_open_by_due",
            ),
            # The reports' timeliness figures: one kind's clocks anchored in a period, counted
            # by status. Carrying the status lets the count read the index alone, not the
            # 12,000 rows a year of one kind is at scale 1 (docs/performance.md).
            models.Index(
                fields=["kind", "anchor_date"], include=["status"], name="deadline_kind_anchor"
            ),
        ]
        permissions = [("view_whats_due", "Can see what is due")]

    def __str__(self):
        return f"{self.get_kind_display()} – due {self.due_date:%d %b %Y}"

    def get_kind_display(self):
        """What Django's would say, from the dict made once (`rules.KIND_LABELS`)."""
        return KIND_LABELS.get(self.kind, self.kind)

    @property
    def is_unmet(self):
        """UNMET asked of a clock already read: still waited for."""
        return self.status in UNMET_STATUSES and self.met_on is None


class Reminder(models.Model):
    """One rung of a deadline's ladder for one person. The unique constraint is what makes a
    chase that runs twice, or twice at once, send nothing twice."""

    # No index of their own on the deadline, the recipient or the run: the unique constraint
    # leads with the deadline, the (recipient, day) index with the recipient, and a run is
    # only looked up with its deadline. Each index added to the time the chase takes to
    # insert its 60,000 reminders (docs/performance.md, "Eighth round").
    deadline = models.ForeignKey(
        Deadline, on_delete=models.CASCADE, related_name="reminders", db_index=False
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders", db_index=False
    )
    rung = models.CharField(max_length=30)
    day = models.DateField(help_text="The day it was sent for.")
    run_id = models.UUIDField()
    email = models.ForeignKey(
        "outbox.OutboundEmail",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reminders",
    )
    chased_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Set when the PDEO chased by hand.",
        db_index=False,  # indexed where set (Meta): the morning chase never sets it
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-day", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["deadline", "recipient", "rung"], name="one_reminder_per_rung"
            ),
        ]
        indexes = [
            models.Index(fields=["recipient", "day"]),
            models.Index(
                fields=["chased_by"],
                condition=models.Q(chased_by__isnull=False),
                name="reminder_chased_by_idx",
            ),
        ]

    def __str__(self):
        return f"{self.rung} for {self.deadline} to {self.recipient}"


class ChaseLock(models.Model):
    """A single row the chase locks, so two chases at once run one after the other."""

    name = models.CharField(max_length=20, primary_key=True)
    last_run_on = models.DateField(null=True, blank=True)

    def __str__(self):
        return self.name
