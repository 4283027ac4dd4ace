"""A case's timeline: everything that happened to it, from the change history of the case and
everything hanging on it. One query per kind of record and one for who made the changes,
however long the history. Other apps add their records (and how they read) through
panels.register_timeline_source."""

from dataclasses import dataclass
from datetime import datetime

from safeguarding.accounts.models import User
from safeguarding.history import history_of

from . import panels
from .models import Case, CaseTeamMember, Child, ConflictOfInterest, Escalation, HouseholdMember

# Never shown in the timeline, even as "changed": they would say too much or nothing useful.
# A child's identifying details are named as changed, never shown.
HIDDEN_FIELDS = {"version", "updated_at", "created_at", "id", "case"}


@dataclass
class Entry:
    when: datetime
    who: str
    title: str
    detail: str = ""


def _core_sources(case):
    return [
        history_of(Case).filter(id=case.id),
        history_of(Child).filter(case_id=case.id),
        history_of(HouseholdMember).filter(case_id=case.id),
        history_of(CaseTeamMember).filter(case_id=case.id).select_related("user"),
        history_of(Escalation).filter(case_id=case.id).select_related("escalated_to"),
        history_of(ConflictOfInterest).filter(case_id=case.id).select_related("user"),
    ]


def changed_fields(record, previous):
    """The names of the fields that changed between two history records of one object."""
    if previous is None:
        return []
    return [
        str(field.verbose_name)
        for field in record.instance_type._meta.concrete_fields
        if field.name not in HIDDEN_FIELDS
        and field.attname != "id"
        and getattr(previous, field.attname, None) != getattr(record, field.attname, None)
    ]


def _describe(record, previous):
    model = record.instance_type
    describe = panels.describer_for(model)
    if describe is not None:
        return describe(record, previous)
    name = model._meta.verbose_name.capitalize()
    if record.history_type == "+":
        if model is Case:
            return "Case created", f"{record.reference}, {record.get_nature_display()}"
        if model is CaseTeamMember:
            return "Added to the case team", f"{record.user} – {record.get_role_display()}"
        if model is ConflictOfInterest:
            return "Conflict of interest declared", str(record.user)
        if model is Escalation:
            return "Immediate escalation recorded", f"To {record.escalated_to}"
        if model is Child:
            return "Child added", record.pseudonym
        # Only the record's own fields: a related object here would cost a query per entry.
        return f"{name} added", ""
    if record.history_type == "-":
        if model is CaseTeamMember:
            return "Removed from the case team", f"{record.user} – {record.get_role_display()}"
        return f"{name} removed", ""
    changed = changed_fields(record, previous)
    return f"{name} changed", ", ".join(changed) if changed else ""


def case_timeline(case):
    """Everything that happened to the case, newest first (the page shows it in pages)."""
    records = []
    for queryset in _core_sources(case) + [source(case) for source in panels.timeline_sources()]:
        records.extend(queryset.order_by("history_date"))
    records.sort(key=lambda r: (r.history_date, r.history_id))
    # Who made each change, read once for all the sources: joined to the users in each of
    # the thirteen queries instead, PostgreSQL read every user for each one.
    names = dict(
        User.objects.filter(pk__in={r.history_user_id for r in records} - {None}).values_list(
            "pk", "full_name"
        )
    )
    previous_by_object = {}
    entries = []
    for record in records:
        key = (record.instance_type, record.id)
        described = _describe(record, previous_by_object.get(key))
        previous_by_object[key] = record
        if described is None:
            continue
        title, detail = described
        who = names.get(record.history_user_id, "The system")
        entries.append(Entry(record.history_date, who, title, detail))
    entries.reverse()  # newest first
    return entries
