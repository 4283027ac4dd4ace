"""Reads of actions for the person asking, always through the actions gate
(`Action.objects.visible_to`). Lists cost a fixed number of queries however many rows."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404
from django.utils import timezone

from safeguarding.accounts.models import Agency

from .models import Action, ActionUpdate


def _listed(queryset):
    return queryset.select_related("case", "owner_agency", "owner").order_by("due_date", "id")


def action_for(user, pk):
    """One action through the gate: outside it, a 404."""
    return get_object_or_404(_listed(Action.objects.visible_to(user)), pk=pk)


def updates_of(action):
    return action.updates.select_related("by").order_by("-at", "-id")


def evidence_for(action, update_id):
    return get_object_or_404(
        ActionUpdate.objects.filter(action=action).exclude(file=""), pk=update_id
    )


def agency_actions(user):
    """The person's agency's actions, across every review and the Panel: unfinished first
    (soonest due first), then the finished ones."""
    return _listed(Action.objects.visible_to(user).filter(owner_agency_id=user.agency_id))


FILTERS = ("agency", "rag", "overdue", "status")


def all_actions(user, *, agency=None, rag="", overdue=False, status=""):
    """Every action the person may oversee, filtered."""
    actions = Action.objects.visible_to(user)
    if agency is not None:
        actions = actions.filter(owner_agency=agency)
    if rag:
        actions = actions.filter(rag=rag)
    if overdue:
        actions = actions.overdue()
    if status:
        actions = actions.filter(status=status)
    return _listed(actions)


def agencies_with_actions():
    return Agency.objects.filter(actions__isnull=False).distinct().order_by("name")


# What a row of an actions table shows (actions/templatetags/action_table.py): not the
# measure of success, the evidence of impact, the owner's account or the case's outline.
TABLE_COLUMNS = (
    "case",
    "owner_agency",
    "owner",
    "source",
    "source_label",
    "description",
    "due_date",
    "rag",
    "status",
    "case__reference",
    "case__pseudonym",
    "owner_agency__name",
    "owner__full_name",
)


def as_table(actions):
    """The actions, reading only what a row of the table shows."""
    return actions.only(*TABLE_COLUMNS)


def counts(actions, today=None):
    """How many of these actions are unfinished and overdue: one query."""
    today = today or timezone.localdate()
    return actions.aggregate(
        unfinished=Count("id", filter=Q(status__in=Action.UNFINISHED)),
        overdue=Count("id", filter=Q(status__in=Action.UNFINISHED, due_date__lt=today)),
    )


def from_source(source_object):
    """The actions set from one stage record (a recommendation, an action log entry), for the
    stage's own pages: one query. The caller has already passed that record's gate."""
    return _listed(
        Action.objects.filter(
            source_type=ContentType.objects.get_for_model(source_object),
            source_id=source_object.pk,
        )
    )


def all_finished(case):
    """Whether every action on the case is closed or carried into other work (and there is at
    least one): what a review needs before the case can close."""
    counts = case.actions.aggregate(
        total=Count("id"), unfinished=Count("id", filter=Q(status__in=Action.UNFINISHED))
    )
    return counts["total"] > 0 and counts["unfinished"] == 0
