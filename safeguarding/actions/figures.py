"""The actions' figures, for the reports registry (the dashboard, the yearly pack and the
Panel's highlight report): by RAG status and by owner agency, with overdue ones."""

from django.db.models import Count, Q
from django.utils import timezone

from safeguarding.reports.figures import Figure, Result

from .models import Action

S = Action.Status
UNFINISHED = Q(status__in=Action.UNFINISHED)

SET_IN_PERIOD = (
    "Actions set in the period (the day each was set falls in it), whatever their source (a "
    "local review's recommendation, the CSPR Panel's action log, other), with or without a "
    "case. Status and RAG are as they stand today. Overdue: not closed or carried, and the due "
    "date is before today. "
)


def _set_in(period):
    return Action.objects.filter(set_on__range=(period.start, period.end))


def _by_rag(period):
    today = timezone.localdate()
    counts = _set_in(period).aggregate(
        total=Count("id"),
        **{f"{rag}_open": Count("id", filter=UNFINISHED & Q(rag=rag)) for rag in Action.Rag.values},
        **{
            f"{rag}_overdue": Count("id", filter=UNFINISHED & Q(rag=rag, due_date__lt=today))
            for rag in Action.Rag.values
        },
        closed=Count("id", filter=Q(status=S.CLOSED)),
        carried=Count("id", filter=Q(status=S.CARRIED)),
    )
    rows = [
        [f"Open: {label.split(':')[0]}", counts[f"{rag}_open"], counts[f"{rag}_overdue"]]
        for rag, label in Action.Rag.choices
    ]
    rows.append(["Closed on evidence of impact", counts["closed"], 0])
    rows.append(["Carried into other work", counts["carried"], 0])
    still_open = sum(counts[f"{rag}_open"] for rag in Action.Rag.values)
    overdue = sum(counts[f"{rag}_overdue"] for rag in Action.Rag.values)
    return Result(
        columns=["Status", "Actions", "Of which overdue"],
        rows=rows,
        headline=f"{counts['total']} set, {still_open} open, {overdue} overdue, "
        f"{counts['closed']} closed",
    )


BY_RAG = Figure(
    "actions_by_rag",
    "Actions by RAG status",
    "actions",
    SET_IN_PERIOD + "Open actions are counted by RAG status (red: off track, amber: at risk, "
    "green: on track); closed and carried ones apart.",
    _by_rag,
    order=10,
)


def _by_agency(period):
    today = timezone.localdate()
    table = [
        [name, total, still_open, overdue, closed]
        for name, total, still_open, overdue, closed in _set_in(period)
        .values("owner_agency__name")
        .annotate(
            total=Count("id"),
            still_open=Count("id", filter=UNFINISHED),
            overdue=Count("id", filter=UNFINISHED & Q(due_date__lt=today)),
            closed=Count("id", filter=Q(status=S.CLOSED)),
        )
        .order_by("owner_agency__name")
        .values_list("owner_agency__name", "total", "still_open", "overdue", "closed")
    ]
    overdue = sum(row[3] for row in table)
    agencies = sum(1 for row in table if row[3])
    return Result(
        columns=["Owner agency", "Actions", "Open", "Overdue", "Closed"],
        rows=table,
        headline=f"{overdue} overdue, across {agencies} agenc{'ies' if agencies != 1 else 'y'}",
    )


BY_AGENCY = Figure(
    "actions_by_agency",
    "Actions by owner agency",
    "actions",
    SET_IN_PERIOD + "Each agency's actions, how many are open (not closed or carried), "
    "overdue, and closed on evidence of impact.",
    _by_agency,
    order=20,
)
