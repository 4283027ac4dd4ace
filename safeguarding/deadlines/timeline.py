"""How a deadline's history reads on the case's timeline (registered in apps.py)."""

from safeguarding.cases.timeline import changed_fields
from safeguarding.history import history_of

from .models import Deadline


def history(case):
    return history_of(Deadline).filter(case_id=case.id)


def describe(record, previous):
    if record.history_type == "+":
        return (
            f"Deadline started: {record.get_kind_display()}",
            f"Due {record.due_date:%-d %B %Y} ({record.rule})",
        )
    if record.history_type == "-":
        return "Deadline removed", ""
    if previous is not None and (
        previous.status != record.status or previous.met_on != record.met_on
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
    if previous is not None and previous.due_date != record.due_date:
        return (
            f"Deadline recomputed: {record.get_kind_display()}",
            f"Now due {record.due_date:%-d %B %Y} (anchor {record.anchor_date:%-d %B %Y})",
        )
    changed = changed_fields(record, previous)
    if not changed:
        return None
    return "Deadline changed", ", ".join(changed)
