"""The clocks' lists for the reports' exports: cases with every clock, and reminders sent."""

from safeguarding.reports.downloads import ListExport

from . import caseless
from .models import Deadline, Reminder

S = Deadline.Status
OUTCOME = {S.MET: "Met", S.MISSED: "Missed", S.OPEN: "Open", S.CANCELLED: "Cancelled"}


def _clocks(period):
    """Clocks on a case (clocks without one, such as a Panel action's, are in their owner's
    own list)."""
    return Deadline.objects.filter(
        anchor_date__range=(period.start, period.end), case__isnull=False
    )


def _clock_rows(period):
    for d in (
        _clocks(period)
        .select_related("case")
        .order_by("case_id", "due_date", "id")
        .iterator(chunk_size=2000)
    ):
        yield [
            d.case.reference,
            d.case.pseudonym,
            d.case.get_stage_display(),
            d.case.get_status_display(),
            d.get_kind_display(),
            d.rule,
            d.anchor_date,
            d.due_date,
            d.met_on,
            OUTCOME[d.status],
        ]


CASE_CLOCKS = ListExport(
    key="case-clocks",
    title="Cases and their clocks",
    description="One row for each clock on a case whose anchor date falls in the period: the "
    "case's reference, pseudonym, stage and status; the clock, the rule that set its due date, "
    "its anchor, due and done dates, and whether it was met or missed.",
    header=[
        "Reference",
        "Pseudonym",
        "Stage",
        "Status",
        "Clock",
        "Rule",
        "Anchor date",
        "Due date",
        "Done on",
        "Outcome",
    ],
    rows=_clock_rows,
    count=lambda period: _clocks(period).count(),
    order=10,
)


def _reminders(period):
    return Reminder.objects.filter(day__range=(period.start, period.end))


def _reminder_rows(period):
    chunk = []
    for r in (
        _reminders(period)
        .select_related("deadline__case", "recipient__agency")
        .order_by("day", "id")
        .iterator(chunk_size=2000)
    ):
        chunk.append(r)
        if len(chunk) == 2000:
            yield from _reminder_chunk(chunk)
            chunk = []
    yield from _reminder_chunk(chunk)


def _reminder_chunk(reminders):
    """Rows for a chunk of reminders: what a clock without a case is about is asked of its
    owner once a chunk."""
    about = caseless.describe(
        list({r.deadline_id: r.deadline for r in reminders if r.deadline.case_id is None}.values())
    )
    for r in reminders:
        case = r.deadline.case
        yield [
            r.day,
            case.reference if case else about[r.deadline_id],
            case.pseudonym if case else "",
            r.deadline.get_kind_display(),
            r.deadline.due_date,
            r.rung,
            r.recipient.full_name,
            r.recipient.agency.name if r.recipient.agency else "",
            "By hand" if r.chased_by_id else "The morning chase",
        ]


REMINDERS = ListExport(
    key="reminders",
    title="Reminders sent",
    description="One row for each reminder sent in the period (the day it was sent for): the "
    "case, the clock and its due date, the rung (before, due, overdue, escalation or by hand), "
    "and who was reminded.",
    header=[
        "Day",
        "Reference",
        "Pseudonym",
        "Clock",
        "Due date",
        "Rung",
        "Reminded",
        "Their agency",
        "Sent by",
    ],
    rows=_reminder_rows,
    count=lambda period: _reminders(period).count(),
    order=40,
)
