"""Actions: the partnership's one action model. Every action, from a local review's
recommendation, the CSPR Panel's action log or elsewhere, with or without a case, is set,
tracked, chased (its D15 clock), reported and closed on evidence of impact the same way.

A stage app attaches its own source (a recommendation, an action log entry) through
`source_type` / `source_id` without the core importing it; `source_label` says what it is in
words ("Recommendation 3"), so the core can show it without asking the stage.
"""

import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from safeguarding.accounts.models import Agency
from safeguarding.accounts.roles import OVERSEE_ACTIONS, UPDATE_ACTION
from safeguarding.cases.models import (
    Case,
    ConflictOfInterest,
    case_ids_visible_to,
    may_be_conflicted,
)


class ActionQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The actions gate. The partnership team who oversee actions (PDEO, Chair, Deputy
        Chair, Business Manager) see every action without a case and those on the cases the
        case gate lets them see. The owner agency's people (its contributors and Panel member,
        who sit on review panels for it) see that agency's actions, across every review and the
        Panel, by reference and pseudonym. Nobody sees an action on a case they declared a
        conflict of interest on."""
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        if user.has_perm(OVERSEE_ACTIONS) and Case.objects.sees_every_case(user):
            return self.all()  # every case, no conflict declared: nothing to ask
        allowed = Q(pk__in=[])
        if user.has_perm(OVERSEE_ACTIONS):
            allowed |= Q(case__isnull=True) | Q(case__in=case_ids_visible_to(user))
        if user.agency_id and user.has_perm(UPDATE_ACTION):
            allowed |= Q(owner_agency_id=user.agency_id)
        actions = self.filter(allowed)
        if not may_be_conflicted(user):
            return actions
        conflicted = Exists(ConflictOfInterest.objects.filter(case=OuterRef("case"), user=user))
        return actions.exclude(conflicted)

    def unfinished(self):
        return self.filter(status__in=Action.UNFINISHED)

    def overdue(self, today=None):
        return self.unfinished().filter(due_date__lt=today or timezone.localdate())


class Action(models.Model):
    """A SMART action: what, who owns it (agency and person), by when, how success is measured;
    its RAG status and progress updates with evidence; closed only on evidence of impact."""

    class Source(models.TextChoices):
        RECOMMENDATION = "recommendation", "A local review's recommendation"
        ACTION_LOG = "action_log", "The CSPR Panel's action log"
        OTHER = "other", "Other"

    class Rag(models.TextChoices):
        RED = "red", "Red: off track"
        AMBER = "amber", "Amber: at risk"
        GREEN = "green", "Green: on track"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSURE_PROPOSED = "closure_proposed", "Closure proposed"
        CLOSED = "closed", "Closed"
        CARRIED = "carried", "Carried into other work"

    UNFINISHED = (Status.OPEN, Status.CLOSURE_PROPOSED)

    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, null=True, blank=True, related_name="actions"
    )
    source = models.CharField(max_length=20, choices=Source.choices, default=Source.OTHER)
    # The stage's own record this action came from (a recommendation, an action log entry).
    source_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    source_id = models.PositiveBigIntegerField(null=True, blank=True)
    source_object = GenericForeignKey("source_type", "source_id")
    source_label = models.CharField(
        max_length=200, blank=True, help_text='What the source is, in words: "Recommendation 3".'
    )
    description = models.TextField(max_length=5000)
    owner_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="actions")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="actions_owned",
        help_text="The person in the owner agency who answers for it.",
    )
    set_on = models.DateField(help_text="When the action was set: its clock's anchor.")
    due_date = models.DateField()
    measure_of_success = models.TextField(max_length=5000)
    rag = models.CharField("RAG status", max_length=10, choices=Rag.choices, default=Rag.GREEN)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    closure_evidence = models.TextField(blank=True, help_text="The evidence of impact proposed.")
    completed_on = models.DateField(
        null=True, blank=True, help_text="When the owner agency proposed the closure accepted."
    )
    closed_on = models.DateField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    carried_into = models.TextField(
        blank=True, help_text="Where the action was carried, and why (when carried)."
    )
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    objects = ActionQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "id"]
        indexes = [
            models.Index(fields=["owner_agency", "status", "due_date"]),
            models.Index(fields=["status", "due_date"]),
            models.Index(fields=["source_type", "source_id"]),
            # The action log's order (soonest due first): a page of 50 read in index order.
            models.Index(fields=["due_date", "id"], name="action_list_order"),
            # An agency's actions in that order (its page, and its contributors' home page): read
            # through action_list_order, the agency's were a few among every agency's.
            models.Index(fields=["owner_agency", "due_date", "id"], name="action_agency_order"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(due_date__gte=models.F("set_on")), name="action_due_after_set"
            ),
        ]
        permissions = [
            ("oversee_actions", "Can see every action the case gate allows"),
            ("update_action", "Can see and update its agency's actions"),
            ("decide_closure", "Can accept or return an action's closure, or carry it"),
            ("set_actions", "Can set actions"),
            ("view_actions", "Can see actions"),
        ]

    def __str__(self):
        return f"{self.reference}: {self.description[:60]}"

    @property
    def reference(self):
        return f"Action {self.pk}"

    @property
    def unfinished(self):
        return self.status in self.UNFINISHED

    def is_overdue(self, today=None):
        return self.unfinished and self.due_date < (today or timezone.localdate())


def evidence_path(instance, filename):
    # A random name outside the web root: nothing about the action or the file in the path.
    return f"action-evidence/{instance.action_id}/{uuid.uuid4().hex}"


class ActionUpdate(models.Model):
    """One entry in an action's story: a progress update (with its RAG status and optional
    evidence), a closure proposed with evidence of impact, accepted or returned with a reason,
    or the action carried into other work."""

    class Kind(models.TextChoices):
        PROGRESS = "progress", "Progress update"
        PROPOSED = "proposed", "Closure proposed"
        ACCEPTED = "accepted", "Closure accepted"
        RETURNED = "returned", "Closure returned"
        CARRIED = "carried", "Carried into other work"

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    text = models.TextField(max_length=10000)
    rag = models.CharField(max_length=10, choices=Action.Rag.choices, blank=True)
    file = models.FileField(upload_to=evidence_path, max_length=300, blank=True)
    original_name = models.CharField(max_length=255, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveBigIntegerField(null=True, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.get_kind_display()} on {self.action.reference}"
