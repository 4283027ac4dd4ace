"""An action's D15 clock in the deadlines app's hooks: whom the chase reminds (the owner, else
the owner agency's people who update actions; the partnership team who decide closures while
one waits for a decision), whom it waits on in words, where it is done (the action's page),
and, for an action without a case, who sees its clock and what it is about."""

from collections import defaultdict

from django.contrib.auth import get_user_model

from safeguarding.accounts.roles import DECIDE_CLOSURE, ROLE_PERMISSIONS, UPDATE_ACTION
from safeguarding.deadlines.recipients import object_ids
from safeguarding.page_memo import for_this_page
from safeguarding.paths import path_for

from .models import Action


def _roles_with(permission):
    return [role for role, perms in ROLE_PERMISSIONS.items() if permission in perms]


# Each clock keeps the action it was read with, so a page that labels a batch and then
# describes the same clocks (What's due: whom it waits on, and, off a case, what it is about)
# reads the actions once, whichever of the two asks first.
_ACTION = "_action_of_clock"


# What's due asks the labeller and the describer even when their batches are empty
# (`recipients.waits_on(every_kind=True)`): the page reads the actions once whichever clocks
# it shows. An empty batch reads (and finds nothing) only when nothing was read on the page.
_READ_ON_THIS_PAGE = "actions-of-clocks-read"


# What the labeller, the describer and the chase's recipients read of a clock's action: whom
# it waits on, never the action's text or evidence, nor the owner's account beyond their name.
_READ = (
    "status",
    "owner",
    "owner_agency",
    "owner__full_name",
    "owner__is_active",
    "owner_agency__name",
)


def _read(object_ids):
    found = Action.objects.filter(pk__in=object_ids).select_related("owner", "owner_agency")
    return {a.pk: a for a in found.only(*_READ)}


def _actions_of(deadlines):
    """The clocks' actions, in one query for any batch (an empty one included)."""
    if not deadlines:
        for_this_page(_READ_ON_THIS_PAGE, lambda: _read(object_ids([])))
        return {}
    unread = [d for d in deadlines if _ACTION not in d.__dict__]
    if unread:
        found = _read(object_ids(unread))
        for_this_page(_READ_ON_THIS_PAGE, dict)
        for deadline in unread:
            deadline.__dict__[_ACTION] = found.get(deadline.object_id)
    return {d.object_id: d.__dict__[_ACTION] for d in deadlines if d.__dict__[_ACTION] is not None}


def recipients(deadlines):
    """{deadline_id: user ids}: three queries for any batch."""
    actions = _actions_of(deadlines)
    users = get_user_model().objects.filter(is_active=True)
    agency_people = defaultdict(set)
    for agency_id, user_id in (
        users.filter(
            agency_id__in={a.owner_agency_id for a in actions.values()},
            groups__name__in=_roles_with(UPDATE_ACTION),
        )
        .values_list("agency_id", "id")
        .distinct()
    ):
        agency_people[agency_id].add(user_id)
    deciders = None
    result = {}
    for deadline in deadlines:
        action = actions.get(deadline.object_id)
        if action is None:
            result[deadline.id] = set()
        elif action.status == Action.Status.CLOSURE_PROPOSED:
            if deciders is None:
                deciders = set(
                    users.filter(groups__name__in=_roles_with(DECIDE_CLOSURE)).values_list(
                        "id", flat=True
                    )
                )
            result[deadline.id] = deciders
        elif action.owner_id and action.owner.is_active:
            result[deadline.id] = {action.owner_id}
        else:
            result[deadline.id] = agency_people[action.owner_agency_id]
    return result


def waits_on(deadlines):
    """{deadline_id: whom it waits on}: one query."""
    actions = _actions_of(deadlines)
    labels = {}
    for deadline in deadlines:
        action = actions.get(deadline.object_id)
        if action is None:
            labels[deadline.id] = ""
        elif action.status == Action.Status.CLOSURE_PROPOSED:
            labels[deadline.id] = "The PDEO or Chair (closure to decide)"
        elif action.owner_id:
            labels[deadline.id] = f"{action.owner.full_name} ({action.owner_agency.name})"
        else:
            labels[deadline.id] = action.owner_agency.name
    return labels


def link(deadline):
    return path_for("actions:detail", deadline.object_id)


def visible_ids(user):
    """Actions without a case the person may see (the actions gate): a subquery."""
    return Action.objects.visible_to(user).filter(case__isnull=True).values("pk")


def describe(deadlines):
    """{deadline_id: "Action 12 (Northbridge Police)"}: one query."""
    actions = _actions_of(deadlines)
    return {
        d.id: (
            f"{actions[d.object_id].reference} ({actions[d.object_id].owner_agency.name})"
            if d.object_id in actions
            else "An action"
        )
        for d in deadlines
    }
