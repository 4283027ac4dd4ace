"""Deadlines are created, recomputed and closed here, never by hand."""

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from .calendar import current_calendar
from .models import Deadline
from .rules import Unit, rule_for


def _key(kind, obj):
    return {
        "kind": kind,
        "content_type": ContentType.objects.get_for_model(obj),
        "object_id": obj.pk,
    }


def _status_for(due_date, met_on, current):
    if current == Deadline.Status.CANCELLED:
        return current
    if met_on is not None:
        return Deadline.Status.MET if met_on <= due_date else Deadline.Status.MISSED
    # Not yet recorded: open until its date passes, then missed.
    return Deadline.Status.MISSED if due_date < timezone.localdate() else Deadline.Status.OPEN


@transaction.atomic
def open_deadline(*, kind, obj, case, anchor_date, due_date=None, calendar=None):
    """Start (or, if it exists, recompute) the clock `kind` on `obj`. A clock that was
    cancelled and applies again (a rapid review follows after all) opens again.

    `due_date` is only for clocks whose date is set per item (an action's due date, a request
    given its own date); every other date comes from the rule.
    """
    return _set_clock(kind, obj, case, anchor_date, due_date, calendar, reopen=True)


def _set_clock(kind, obj, case, anchor_date, due_date, calendar, *, reopen):
    rule = rule_for(kind)
    if due_date is None:
        due_date = rule.due_date(anchor_date, calendar or current_calendar())
    limit = rule.limit if rule.unit != Unit.SET_PER_ITEM else 0
    deadline = Deadline.objects.select_for_update().filter(**_key(kind, obj)).first()
    if deadline is None:
        return Deadline.objects.create(
            **_key(kind, obj),
            case=case,
            anchor_date=anchor_date,
            rule=rule.describe(),
            limit=limit,
            unit=rule.unit,
            due_date=due_date,
            status=_status_for(due_date, None, Deadline.Status.OPEN),
        )
    changes = {
        "anchor_date": anchor_date,
        "rule": rule.describe(),
        "limit": limit,
        "unit": rule.unit,
        "due_date": due_date,
        "status": _status_for(
            due_date, deadline.met_on, Deadline.Status.OPEN if reopen else deadline.status
        ),
    }
    if any(getattr(deadline, k) != v for k, v in changes.items()):  # no empty history rows
        for name, value in changes.items():
            setattr(deadline, name, value)
        deadline.save()
    return deadline


@transaction.atomic
def recompute_deadline(*, kind, obj, anchor_date, due_date=None, calendar=None):
    """An anchor date was corrected: the due date (and met/missed) follow it. A cancelled
    clock stays cancelled."""
    deadline = Deadline.objects.filter(**_key(kind, obj)).first()
    if deadline is None:
        return None
    return _set_clock(kind, obj, deadline.case, anchor_date, due_date, calendar, reopen=False)


@transaction.atomic
def record_event(*, kind, obj, on):
    """The thing the clock waits for happened on `on` (None: the record was removed)."""
    deadline = Deadline.objects.select_for_update().filter(**_key(kind, obj)).first()
    if deadline is None or deadline.status == Deadline.Status.CANCELLED:
        return deadline
    status = _status_for(deadline.due_date, on, deadline.status)
    if (deadline.met_on, deadline.status) != (on, status):
        deadline.met_on, deadline.status = on, status
        deadline.save()
    return deadline


@transaction.atomic
def cancel_deadline(*, kind, obj):
    """The clock no longer applies (e.g. the nature of the incident was corrected)."""
    deadline = Deadline.objects.select_for_update().filter(**_key(kind, obj)).first()
    if deadline is not None and deadline.status != Deadline.Status.CANCELLED:
        deadline.status = Deadline.Status.CANCELLED
        deadline.save()
    return deadline


def mark_missed(*, today=None):
    """Open deadlines whose date has passed become missed. One set-based update."""
    today = today or timezone.localdate()
    return Deadline.objects.filter(status=Deadline.Status.OPEN, due_date__lt=today).update(
        status=Deadline.Status.MISSED, updated_at=timezone.now()
    )


def deadline_for(*, kind, obj):
    return Deadline.objects.filter(**_key(kind, obj)).first()
