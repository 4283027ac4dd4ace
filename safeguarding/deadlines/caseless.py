"""Clocks without a case: an action from the Panel's action log, a Panel meeting's papers
(D16). Such a clock is seen, chased and described only through a rule the app that owns its
object registers here; with no rule registered, nobody sees it and nobody is chased about it.

A clock on a case is never reached through these rules: the case's visibility gate decides who
sees it, as always (`DeadlineQuerySet.visible_to`).

An owner registers, in its `apps.py`, for the model its clocks hang on:

* `visible_ids(user)` -> the ids of the objects of that model the person may see (a queryset
  of ids, used as a subquery, so the gate stays one query), or None when they see none;
* `recipients(deadlines)` -> {deadline_id: set of user ids}: whom the chase reminds;
* `describe(deadlines)` -> {deadline_id: what it is about, in words}: shown where a clock on a
  case shows its reference and pseudonym (What's due, emails, the home page, exports).

Each of the last two works on a batch in a fixed number of queries, the same for an empty
batch (What's due asks every owner, so that it costs the same whichever clocks it shows).
"""

from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType


@dataclass(frozen=True)
class Owner:
    model: Any
    visible_ids: Any
    recipients: Any
    describe: Any


_OWNERS = {}

# What a clock without a case says about itself when its owner has not described it.
UNDESCRIBED = "Not on a case"


def register(model, *, visible_ids, recipients, describe):
    _OWNERS[model._meta.label_lower] = Owner(model, visible_ids, recipients, describe)


def owners():
    """(content type, owner) for every registered owner."""
    return [(ContentType.objects.get_for_model(owner.model), owner) for owner in _OWNERS.values()]


def _by_owner(deadlines, *, every_owner=False):
    """Caseless deadlines grouped by their registered owner; unregistered ones left out. With
    `every_owner`, each owner is there, with an empty batch when none of its clocks is."""
    by_type = {ct.id: owner for ct, owner in owners()}
    groups = {}
    if every_owner:
        for owner in by_type.values():
            groups[owner.model._meta.label_lower] = (owner, [])
    for deadline in deadlines:
        owner = by_type.get(deadline.content_type_id)
        if owner is not None and deadline.case_id is None:
            groups.setdefault(owner.model._meta.label_lower, (owner, []))[1].append(deadline)
    return groups.values()


def recipients(deadlines):
    """{deadline_id: user ids} for clocks without a case, from their owners' rules. A clock
    whose owner registered nothing reminds nobody."""
    result = {d.id: set() for d in deadlines}
    for owner, batch in _by_owner(deadlines):
        result.update(owner.recipients(batch))
    return result


def describe(deadlines, *, every_owner=False):
    """{deadline_id: what it is about}, for clocks without a case. With `every_owner`, each
    owner's describer is asked, whichever of its clocks are there (see
    `recipients.waits_on(every_kind=True)`)."""
    result = {d.id: UNDESCRIBED for d in deadlines}
    for owner, batch in _by_owner(deadlines, every_owner=every_owner):
        result.update(owner.describe(batch))
    return result
