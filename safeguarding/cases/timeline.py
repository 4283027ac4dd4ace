"""A case's timeline: everything that happened to it, from the change history of the case and
everything hanging on it. One query per kind of record, however long the history."""

from dataclasses import dataclass
from datetime import datetime

from safeguarding.deadlines.models import Deadline

from . import panels
from .models import Case, CaseTeamMember, Child, ConflictOfInterest, Escalation

# Never shown in the timeline, even as "changed": they would say too much or nothing useful.
HIDDEN_FIELDS = {
    "version",
    "updated_at",
    "created_at",
    "id",
    "case",
    "name",
    "date_of_birth",
    "address",
    "nhs_number",
}
IDENTIFYING = {"name", "date_of_birth", "address", "nhs_number"}


@dataclass
class Entry:
    when: datetime
    who: str
    title: str
    detail: str = ""


def _core_sources(case):
    return [
        Case.history.filter(id=case.id),
        Child.history.filter(case_id=case.id),
        CaseTeamMember.history.filter(case_id=case.id).select_related("user"),
        Escalation.history.filter(case_id=case.id).select_related("escalated_to"),
        ConflictOfInterest.history.filter(case_id=case.id).select_related("user"),
        Deadline.history.filter(case_id=case.id),
    ]


def _label(record):
    model = record.instance_type
    return model._meta.verbose_name.capitalize()


def _describe(record, previous):
    model = record.instance_type
    name = _label(record)
    if record.history_type == "+":
        if model is Case:
            return "Case created", f"{record.reference}, {record.get_nature_display()}"
        if model is Deadline:
            return (
                f"Deadline started: {record.get_kind_display()}",
                f"Due {record.due_date:%-d %B %Y} ({record.rule})",
            )
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
    if (
        model is Deadline
        and previous is not None
        and (previous.status != record.status or previous.met_on != record.met_on)
    ):
        if record.met_on:
            outcome = "met" if record.status == Deadline.Status.MET else "missed"
            return (
                f"Deadline {outcome}: {record.get_kind_display()}",
                f"Done {record.met_on:%-d %B %Y}, due {record.due_date:%-d %B %Y}",
            )
        return (
            f"Deadline {record.get_status_display().lower()}: {record.get_kind_display()}",
            f"Due {record.due_date:%-d %B %Y}",
        )
    changed = []
    if previous is not None:
        for field in model._meta.concrete_fields:
            if field.name in HIDDEN_FIELDS - IDENTIFYING or field.attname == "id":
                continue
            if getattr(previous, field.attname, None) != getattr(record, field.attname, None):
                changed.append(str(field.verbose_name))
    if model is Deadline and previous is not None and previous.due_date != record.due_date:
        return (
            f"Deadline recomputed: {record.get_kind_display()}",
            f"Now due {record.due_date:%-d %B %Y} (anchor {record.anchor_date:%-d %B %Y})",
        )
    if model is Deadline and not changed:
        return None
    return f"{name} changed", ", ".join(changed) if changed else ""


def case_timeline(case, *, limit=200):
    records = []
    for queryset in _core_sources(case) + [source(case) for source in panels.timeline_sources()]:
        records.extend(queryset.select_related("history_user").order_by("history_date"))
    records.sort(key=lambda r: (r.history_date, r.history_id))
    previous_by_object = {}
    entries = []
    for record in records:
        key = (record.instance_type, record.id)
        described = _describe(record, previous_by_object.get(key))
        previous_by_object[key] = record
        if described is None:
            continue
        title, detail = described
        who = record.history_user.full_name if record.history_user else "The system"
        entries.append(Entry(record.history_date, who, title, detail))
    entries.reverse()  # newest first
    return entries[:limit]
