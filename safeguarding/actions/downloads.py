"""The actions list for the reports' exports (CSV or XLSX through the one export helper)."""

from django.utils import timezone

from safeguarding.reports.downloads import ListExport

from .models import Action


def _actions(period):
    return Action.objects.filter(set_on__range=(period.start, period.end))


def _rows(period):
    today = timezone.localdate()
    for a in (
        _actions(period)
        .select_related("case", "owner_agency", "owner")
        .order_by("set_on", "id")
        .iterator(chunk_size=2000)
    ):
        yield [
            a.reference,
            a.case.reference if a.case_id else "",
            a.case.pseudonym if a.case_id else "",
            a.get_source_display(),
            a.source_label,
            a.owner_agency.name,
            a.owner.full_name if a.owner_id else "",
            a.description,
            a.measure_of_success,
            a.set_on,
            a.due_date,
            a.get_rag_display(),
            a.get_status_display(),
            "Yes" if a.is_overdue(today) else "No",
            a.closed_on,
            a.carried_into,
        ]


ACTIONS = ListExport(
    key="actions",
    title="Actions",
    description="One row for each action set in the period, with or without a case: the case's "
    "reference and pseudonym (never a child's details), where it came from, the owner agency "
    "and owner, the action and its measure of success, when it was set and is due, its RAG "
    "status and status, whether it is overdue today, and when it was closed or carried (and "
    "where).",
    header=[
        "Action",
        "Case reference",
        "Pseudonym",
        "Source",
        "From",
        "Owner agency",
        "Owner",
        "Action text",
        "Measure of success",
        "Set on",
        "Due date",
        "RAG status",
        "Status",
        "Overdue",
        "Closed or carried on",
        "Carried into",
    ],
    rows=_rows,
    count=lambda period: _actions(period).count(),
    order=35,
)
