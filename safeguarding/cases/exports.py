"""The case list as a CSV file made in the background (registered in apps.py): references
and pseudonyms only, with the filters it was asked with."""

from django.http import QueryDict
from django.utils import timezone

from safeguarding.accounts.roles import EXPORT_CASES
from safeguarding.audit.models import AccessLog
from safeguarding.exports import csv_bytes
from safeguarding.files.kinds import Built, FileKind

from . import selectors
from .filters import case_filter

CASE_LIST_CSV = "case_list_csv"
HEADER = [
    "Reference",
    "Pseudonym",
    "Stage",
    "Status",
    "Nature",
    "Incident date",
    "Children",
    "Next deadline",
    "Overdue deadlines",
]


def filtered(user, query, *, annotated=True):
    """The case list as `query` (a QueryDict of the list's filters) filters it, for `user`;
    filter values that make no sense are ignored, as on the page. Not `annotated`: without
    what each row shows (the page annotates only the rows it shows)."""
    queryset = (
        selectors.case_list(user)
        if annotated
        else selectors.visible_cases(user).order_by("-year", "-sequence")
    )
    filters = case_filter(query or None, queryset=queryset)
    rows = filters.qs if filters.is_bound and filters.is_valid() else queryset
    return filters, rows


def describe(filters):
    """The filters in force, in words, for the page that asks for the file."""
    if not (filters.is_bound and filters.is_valid()):
        return ["Every case you can see"]
    lines = []
    for name, value in filters.form.cleaned_data.items():
        if value in (None, "", []):
            continue
        field = filters.form.fields[name]
        choices = dict(getattr(field, "choices", []) or [])
        lines.append(f"{field.label}: {choices.get(value, value)}")
    return lines or ["Every case you can see"]


def query_of(params):
    query = QueryDict(mutable=True)
    for key, values in params.get("query", {}).items():
        query.setlist(key, values)
    return query


def build_csv(subject, params, user, progress):
    progress(5, "Reading the cases")
    query = query_of(params)
    _, rows = filtered(user, query)
    content, count = csv_bytes(
        HEADER,
        (
            [
                case.reference,
                case.pseudonym,
                case.get_stage_display(),
                case.get_status_display(),
                case.get_nature_display(),
                case.incident_date or "",
                case.child_count,
                getattr(case, "next_due", None) or "",
                getattr(case, "overdue_count", ""),
            ]
            for case in rows
        ),
    )
    return Built(
        content,
        f"cases-{timezone.localdate().isoformat()}.csv",
        "text/csv; charset=utf-8",
        f"Case list CSV, {count} cases ({query.urlencode() or 'all'})",
    )


CSV = FileKind(
    name=CASE_LIST_CSV,
    permission=EXPORT_CASES,
    subject=lambda user, params: None,
    build=build_csv,
    title=lambda subject, params: "Case list CSV",
    action=AccessLog.Action.EXPORT,
)
