"""Changes to a case, its children, team, conflicts and escalations. One transaction each;
history is kept by simple-history, deadlines by the deadlines services."""

import string
from datetime import date

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from guardian.shortcuts import assign_perm, remove_perm

from safeguarding.workflow import ConcurrentEdit

from .models import (
    WORK_ON_CASE,
    Case,
    CaseReferenceCounter,
    CaseTeamMember,
    Child,
    ConflictOfInterest,
    Escalation,
    HouseholdMember,
)

# Stage apps register callables here to react to a change of case details (for example, the
# notification's clocks when the nature of the incident is corrected). The core cannot import
# the stages, so they come to it.
CASE_UPDATED_HOOKS = []


def on_case_updated(hook):
    CASE_UPDATED_HOOKS.append(hook)
    return hook


def pseudonym_for(sequence):
    """Child A, Child B, ... Child Z, Child AA ... from the case's number in the year."""
    letters = string.ascii_uppercase
    n, label = sequence, ""
    while n > 0:
        n, rem = divmod(n - 1, 26)
        label = letters[rem] + label
    return f"Child {label}"


def _next_sequence(year):
    for _ in range(3):
        try:
            with transaction.atomic():
                counter, _ = CaseReferenceCounter.objects.select_for_update().get_or_create(
                    year=year
                )
                counter.last += 1
                counter.save()
                return counter.last
        except IntegrityError:  # two first cases of a year at once: the loser tries again
            continue
    raise RuntimeError("could not allocate a case reference")


@transaction.atomic
def create_case(
    *,
    user,
    nature,
    outline,
    incident_date=None,
    incident_time=None,
    place=Case.Place.IN_AREA,
    pseudonym="",
    year=None,
):
    """A new case with the next reference of the year, e.g. NSCP-2026-007."""
    year = year or timezone.localdate().year
    sequence = _next_sequence(year)
    case = Case(
        reference=f"{settings.PARTNERSHIP_CODE}-{year}-{sequence:03d}",
        year=year,
        sequence=sequence,
        pseudonym=pseudonym or pseudonym_for(sequence),
        nature=nature,
        outline=outline,
        incident_date=incident_date,
        incident_time=incident_time,
        place=place,
        created_by=user,
        created_at=timezone.now(),
    )
    case.full_clean()
    case.save()
    add_team_member(case=case, user=user, role=CaseTeamMember.Role.CASE_LEAD, added_by=user)
    return case


def _check_version(model, pk, expected_version):
    current = model.objects.select_for_update().only("version").get(pk=pk).version
    if expected_version is not None and int(expected_version) != current:
        raise ConcurrentEdit


@transaction.atomic
def update_case_details(*, case, user, expected_version, agencies_involved=None, **fields):
    """Save the case's details, refusing if someone else saved it since `expected_version`."""
    _check_version(Case, case.pk, expected_version)
    before = Case.objects.get(pk=case.pk)
    for name, value in fields.items():
        setattr(case, name, value)
    case.version = before.version + 1
    case.full_clean()
    case._change_reason = "details edited"
    case.save()
    if agencies_involved is not None:
        case.agencies_involved.set(agencies_involved)
    for hook in CASE_UPDATED_HOOKS:
        hook(case=case, before=before, user=user)
    return case


@transaction.atomic
def set_stage(*, case, stage, status=None):
    case.stage = stage
    if status:
        case.status = status
    if stage != Case.Stage.REFERRAL and case.before_panel_on is None:
        case.before_panel_on = timezone.localdate()
    case.version += 1
    case.save(update_fields=["stage", "status", "before_panel_on", "version", "updated_at"])
    return case


def next_child_pseudonym(case):
    count = case.children.count()
    if count == 0:
        return case.pseudonym
    base = case.pseudonym
    return f"{base} (sibling {count + 1})"


@transaction.atomic
def add_child(*, case, **fields):
    child = Child(case=case, **fields)
    if not child.pseudonym:
        child.pseudonym = next_child_pseudonym(case)
    child.full_clean()
    child.save()
    return child


@transaction.atomic
def update_child(*, child, expected_version, **fields):
    _check_version(Child, child.pk, expected_version)
    for name, value in fields.items():
        setattr(child, name, value)
    child.version += 1
    child.full_clean()
    child.save()
    return child


@transaction.atomic
def add_household_member(*, case, name, relationship):
    member = HouseholdMember(case=case, name=name, relationship=relationship)
    member.full_clean()
    member.save()
    return member


@transaction.atomic
def remove_household_member(*, member):
    member.delete()


@transaction.atomic
def add_team_member(*, case, user, role, added_by):
    member, created = CaseTeamMember.objects.get_or_create(
        case=case, user=user, role=role, defaults={"added_by": added_by}
    )
    assign_perm(f"cases.{WORK_ON_CASE}", user, case)
    return member


@transaction.atomic
def remove_team_member(*, member):
    case, user = member.case, member.user
    member.delete()
    if not CaseTeamMember.objects.filter(case=case, user=user).exists():
        remove_perm(f"cases.{WORK_ON_CASE}", user, case)


@transaction.atomic
def declare_conflict(*, case, user, nature):
    """The person loses access to the case at once (the gate excludes it)."""
    conflict, _ = ConflictOfInterest.objects.get_or_create(
        case=case, user=user, defaults={"nature": nature}
    )
    return conflict


@transaction.atomic
def record_escalation(*, case, user, issue, escalated_to, escalated_on: date, response=""):
    escalation = Escalation(
        case=case,
        issue=issue,
        escalated_to=escalated_to,
        escalated_on=escalated_on,
        response=response,
        recorded_by=user,
    )
    escalation.full_clean()
    escalation.save()
    return escalation
