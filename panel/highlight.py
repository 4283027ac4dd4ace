"""What a highlight report to the Executive Group says, counted on the day: the partnership's
figures since the last issued report, from the reports registry (safeguarding/reports/figures.py:
the same figure reads the same on the dashboard, in the yearly pack and here), the local reviews
against their 6-month clock, the Panel's own decisions, overdue actions and the Panel's
escalations, and the Business Manager's text. Cases by reference and pseudonym only.

`content(...)` returns plain data (kept as JSON on an issued version), so an issued report is
shown and printed from what it said that day, never counted again."""

from django.db.models import Count
from django.utils import timezone

from safeguarding.actions.models import Action
from safeguarding.deadlines.models import Deadline
from safeguarding.deadlines.rules import Kind
from safeguarding.reports import figures
from safeguarding.reports.periods import Period, reporting_year

from .models import HighlightReport, IssuedHighlightReport, PanelDecision
from .selectors import escalations_listed

# The report's sections, each the registered figures it shows (by key), in order.
SECTIONS = [
    ("Referrals and notifications", ["referrals", "notifications_on_time"]),
    ("Rapid reviews and decisions", ["rapid_reviews_on_time", "rapid_review_decisions"]),
    (
        "Local reviews and publications",
        ["local_reviews", "local_reviews_in_time", "final_reports_sent_in_time"],
    ),
    ("Actions", ["actions_by_rag"]),
]


def period_for(report, today=None):
    """Activity since the last issued report: from the day after the last version of another
    report ends (a new version of this report keeps its first version's start), else from the
    start of the reporting year; to today."""
    today = today or timezone.localdate()
    first = report.issues.order_by("number").first() if report.pk else None
    if first is not None:
        start = first.period_start
    else:
        last = (
            IssuedHighlightReport.objects.exclude(report=report.pk)
            .order_by("-period_end", "-id")
            .first()
        )
        start = last.period_end.fromordinal(last.period_end.toordinal() + 1) if last else None
        start = start or reporting_year(today).start
    return Period(min(start, today), today)


def _figure(key, period):
    try:
        figure = figures.figure(key)
    except KeyError:
        return None  # an app that is not installed: its figures are left out
    result = figure.compute(period)
    return {
        "key": figure.key,
        "title": figure.title,
        "definition": figure.definition,
        "headline": result.headline,
        "columns": list(result.columns),
        "rows": [list(row) for row in result.rows],
    }


def _day(day):
    """Dates as the report prints them (an issued version keeps them as text)."""
    return f"{day:%-d %B %Y}"


def _case(case):
    return f"{case.reference} – {case.pseudonym}" if case is not None else ""


def _local_reviews_on_the_clock(today):
    """Each local review still waiting to be published, against its 6-month clock (D8)."""
    clocks = (
        Deadline.objects.unmet()
        .filter(kind=Kind.LCSPR_PUBLISHED, case__isnull=False)
        .select_related("case")
        .order_by("due_date", "id")
    )
    return [
        {
            "case": _case(d.case),
            "decided_on": _day(d.anchor_date),
            "due_date": _day(d.due_date),
            "overdue": d.due_date < today,
        }
        for d in clocks
    ]


def _panel_decisions(period):
    counts = dict(
        PanelDecision.objects.filter(decided_on__range=(period.start, period.end))
        .values("kind")
        .annotate(n=Count("id"))
        .values_list("kind", "n")
    )
    return [[label, counts.get(kind, 0)] for kind, label in PanelDecision.Kind.choices]


# The Executive reads a summary: every overdue action counted by its owner agency, and the
# longest overdue listed one by one (the action log has them all). At scale 1 there are
# about 300 overdue actions, too many for a report to a meeting.
OVERDUE_LISTED = 25


def _overdue_by_agency(today):
    return [
        [name, n]
        for name, n in Action.objects.overdue(today)
        .values_list("owner_agency__name")
        .annotate(n=Count("id"))
        .order_by("-n", "owner_agency__name")
    ]


def _overdue_actions(today):
    """The OVERDUE_LISTED longest overdue actions."""
    escalated = set(escalations_listed().values_list("action_id", flat=True))
    actions = Action.objects.overdue(today).select_related("case", "owner_agency")
    return [
        {
            "reference": a.reference,
            "description": a.description[:300],
            "owner_agency": a.owner_agency.name,
            "due_date": _day(a.due_date),
            "days_overdue": (today - a.due_date).days,
            "rag": a.get_rag_display(),
            "case": _case(a.case),
            "source": a.source_label or a.get_source_display(),
            "escalated": a.pk in escalated,
        }
        for a in actions.order_by("due_date", "id")[:OVERDUE_LISTED]
    ]


def _escalations(today):
    return [
        {
            "reference": e.action.reference,
            "description": e.action.description[:300],
            "owner_agency": e.action.owner_agency.name,
            "due_date": _day(e.action.due_date),
            "overdue": e.action.due_date < today,
            "case": _case(e.action.case),
            "escalated_on": _day(e.escalated_on),
            "meeting": f"Panel {e.meeting.date:%-d %B %Y}" if e.meeting_id else "",
            "reason": e.reason,
        }
        for e in escalations_listed()
    ]


def content(report: HighlightReport, period: Period, today=None):
    """Everything the report says, as plain data (dates already in words), as it is kept."""
    today = today or timezone.localdate()
    sections = []
    for title, keys in SECTIONS:
        found = [f for f in (_figure(key, period) for key in keys) if f is not None]
        if found:
            sections.append({"title": title, "figures": found})
    overdue = _overdue_actions(today)
    overdue_by_agency = _overdue_by_agency(today)
    escalations = _escalations(today)
    local_reviews = _local_reviews_on_the_clock(today)
    return {
        "title": f"Highlight report to the {report.executive_meeting}, "
        f"{report.executive_meeting_on:%-d %B %Y}",
        "executive_meeting": report.executive_meeting,
        "executive_meeting_on": _day(report.executive_meeting_on),
        "period": {"start": _day(period.start), "end": _day(period.end), "label": period.label},
        "sections": sections,
        "local_reviews": local_reviews,
        "panel_decisions": _panel_decisions(period),
        "commissioning": report.commissioning,
        "learning": report.learning,
        "key_messages": report.key_messages,
        "overdue_actions": overdue,
        "overdue_by_agency": overdue_by_agency,
        "escalations": escalations,
        "counts": {
            "overdue_actions": sum(n for _, n in overdue_by_agency),
            "escalations": len(escalations),
            "local_reviews_open": len(local_reviews),
            "local_reviews_overdue": sum(1 for r in local_reviews if r["overdue"]),
        },
    }
