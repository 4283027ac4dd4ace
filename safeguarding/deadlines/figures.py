"""Figures about the clocks, for the reports registry: how often a clock was met (each stage app
registers one for its own clocks, in its own words), and what is due now."""

from django.db.models import Count, Q
from django.utils import timezone

from safeguarding.page_memo import for_this_page, reading_a_page
from safeguarding.reports.figures import Figure, Result, percent

from .calendar import current_calendar
from .models import Deadline
from .rules import Kind

S = Deadline.Status


# Every kind of clock a timeliness figure counts (each stage app registers its own).
TIMELINESS_KINDS: list[str] = []
_NONE = {"met": 0, "late": 0, "open": 0}


def _outcomes(kinds, period):
    """{kind: {met, late, open}} for the clocks of `kinds` anchored in the period, cancelled
    ones left out: one query. Counting the status (never empty), not the id: then the
    kind-and-anchor index, which carries the status, answers alone (docs/performance.md,
    "Sixth round")."""
    rows = (
        Deadline.objects.filter(kind__in=kinds, anchor_date__range=(period.start, period.end))
        .exclude(status=S.CANCELLED)
        .values("kind")
        .annotate(
            met=Count("status", filter=Q(status=S.MET)),
            late=Count("status", filter=Q(status=S.MISSED)),
            open=Count("status", filter=Q(status=S.OPEN)),
        )
        .order_by()
    )
    return {row["kind"]: row for row in rows}


def outcomes_of(kind, period):
    """One kind's outcomes. A page that shows them all (the dashboard) reads every timeliness
    kind in one query, kept for the page, rather than a query a figure (docs/performance.md,
    "Eighteenth round"); a task (the yearly pack, the highlight report) asks for each kind."""
    if reading_a_page():
        every_kind = for_this_page(
            ("timeliness", period.start, period.end),
            lambda: _outcomes(TIMELINESS_KINDS, period),
        )
        return every_kind.get(kind, _NONE)
    return _outcomes([kind], period).get(kind, _NONE)


def timeliness(*, kind, key, title, on_time, anchor, order=100):
    """A figure: of the clocks of `kind` whose anchor date falls in the period, how many were
    met on time. `on_time` names what happened in time ("Notified within 5 working days");
    `anchor` names the anchor date ("the local authority became aware")."""
    TIMELINESS_KINDS.append(kind)

    def compute(period):
        counts = outcomes_of(kind, period)
        decided = counts["met"] + counts["late"]
        return Result(
            columns=["Outcome", "Number"],
            rows=[
                [on_time, counts["met"]],
                ["Late", counts["late"]],
                ["Not yet due", counts["open"]],
            ],
            headline=f"{percent(counts['met'], decided)} on time ({counts['met']} of {decided})",
        )

    definition = (
        f"Clocks whose anchor date ({anchor}) falls in the period, cancelled ones left out. "
        "On time: the event was recorded on or before the due date. Late: it was recorded after "
        "the due date, or the due date has passed with nothing recorded. Clocks not yet due are "
        "counted apart and left out of the percentage, which is on time ÷ (on time + late)."
    )
    return Figure(key, title, "timeliness", definition, compute, order)


def _clocks_now(period):
    today = timezone.localdate()
    soon = current_calendar().add_working_days(today, 10)
    # Only clocks due by `soon` count in either column: reading no further than that lets the
    # unmet clocks' due-date index find them, rather than scanning every clock not yet met.
    unmet = Deadline.objects.unmet().filter(due_date__lte=soon)
    by_kind = dict.fromkeys(Kind.values)
    rows = {
        kind: {"due": due, "overdue": overdue}
        for kind, due, overdue in unmet.values("kind")
        .annotate(
            due=Count("id", filter=Q(due_date__gte=today, due_date__lte=soon)),
            overdue=Count("id", filter=Q(due_date__lt=today)),
        )
        .values_list("kind", "due", "overdue")
    }
    table = [
        [Kind(kind).label, rows[kind]["due"], rows[kind]["overdue"]]
        for kind in by_kind
        if kind in rows and (rows[kind]["due"] or rows[kind]["overdue"])
    ]
    due = sum(r[1] for r in table)
    overdue = sum(r[2] for r in table)
    return Result(
        columns=["Clock", "Due in the next 10 working days", "Overdue"],
        rows=table,
        headline=f"{due} due in the next 10 working days, {overdue} overdue",
    )


CLOCKS_NOW = Figure(
    "clocks_now",
    "Clocks due soon and overdue",
    "clocks",
    "Every clock not yet met, whatever the period: due from today to the 10th working day from "
    "today (weekends, bank holidays in England and closure days left out), or overdue (its due "
    "date has passed with nothing recorded). This figure is as things stand today.",
    _clocks_now,
)
