"""Workflows: an explicit status field and a small table of allowed transitions, each guarded
by a condition and a permission, each recorded (who, when, from, to, why) in the audit."""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from safeguarding.audit.models import StatusChange


@dataclass(frozen=True)
class Transition:
    name: str
    sources: tuple
    target: str
    permission: str
    # guard(obj, user) -> error message, or None when the step is allowed.
    guard: Callable | None = None


class NotAllowed(ValidationError):
    """The step is not open from the current status, or its condition is not met."""


class ConcurrentEdit(Exception):
    """Someone else saved the same record since this form was opened."""


def check(transitions, name, obj, user, *, status_field="status"):
    transition = transitions[name]
    if not user.has_perm(transition.permission):
        raise PermissionDenied(transition.permission)
    current = getattr(obj, status_field)
    # The guard's own words say what is missing better than the status does.
    problem = transition.guard(obj, user) if transition.guard is not None else None
    if problem:
        raise NotAllowed(problem)
    if current not in transition.sources:
        raise NotAllowed(f"This cannot be done now: it is {obj_status_label(obj, current)}.")
    return transition


def obj_status_label(obj, value):
    field = obj._meta.get_field("status")
    return dict(field.choices).get(value, value).lower()


def apply(transitions, name, obj, user, *, reason="", status_field="status"):
    """Move `obj` along `name` (call inside the service's transaction, after its own checks)."""
    transition = check(transitions, name, obj, user, status_field=status_field)
    before = getattr(obj, status_field)
    setattr(obj, status_field, transition.target)
    obj.save()
    StatusChange.objects.create(
        content_type=ContentType.objects.get_for_model(obj),
        object_id=str(obj.pk),
        from_status=before,
        to_status=transition.target,
        transition=name,
        reason=reason,
        by=user,
        at=timezone.now(),
    )
    return obj
