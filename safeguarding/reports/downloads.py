"""Lists the partnership exports for its own analysis (cases and their clocks, requests,
reminders; actions when they land): each app registers its list, and every list can be had as
CSV or XLSX, made in the background through the one export helper (formulas neutralised), with
references and pseudonyms only, and each download logged."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.http import Http404

from safeguarding.accounts.roles import EXPORT_DATA
from safeguarding.audit.models import AccessLog
from safeguarding.exports import csv_bytes, xlsx_bytes
from safeguarding.files.kinds import Built, FileKind

from .periods import Period

LIST_EXPORT = "list_export"
FORMATS = {"csv": "CSV", "xlsx": "XLSX (Excel)"}


@dataclass(frozen=True)
class ListExport:
    key: str
    title: str
    description: str  # what a row is and which rows are in the period
    header: list[str]
    rows: Callable  # (period) -> iterable of rows
    count: Callable  # (period) -> how many rows (asked before the file is made)
    order: int = 100


_EXPORTS: dict[str, ListExport] = {}


def register_export(export: ListExport):
    _EXPORTS[export.key] = export


def all_exports():
    return sorted(_EXPORTS.values(), key=lambda e: (e.order, e.key))


def export_named(key):
    export = _EXPORTS.get(key)
    if export is None:
        raise Http404("No such export")
    return export


def period_of(params):
    return Period(date.fromisoformat(params["start"]), date.fromisoformat(params["end"]))


def build(subject, params, user, progress):
    export = export_named(params["export"])
    period = period_of(params)
    progress(5, "Reading the records")
    rows = export.rows(period)
    stamp = f"{period.start:%Y%m%d}-{period.end:%Y%m%d}"
    if params["format"] == "xlsx":
        content, count = xlsx_bytes([(export.title, export.header, rows)])
        kind = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        content, count = csv_bytes(export.header, rows)
        kind = "text/csv; charset=utf-8"
    return Built(
        content,
        f"{export.key}-{stamp}.{params['format']}",
        kind,
        f"{export.title} {FORMATS[params['format']]}, {count} rows, {period.label}",
    )


KIND = FileKind(
    name=LIST_EXPORT,
    permission=EXPORT_DATA,
    subject=lambda user, params: None,
    build=build,
    title=lambda subject, params: (
        f"{export_named(params['export']).title}, {period_of(params).label} "
        f"({FORMATS[params['format']]})"
    ),
    action=AccessLog.Action.EXPORT,
)
