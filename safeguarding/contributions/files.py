"""The integrated chronology as files made in the background: a PDF and a CSV, each with the
filters it was asked with (registered in apps.py)."""

from datetime import date

from django.utils import timezone

from safeguarding.accounts.models import Agency
from safeguarding.accounts.roles import VIEW_CASE
from safeguarding.audit.models import AccessLog
from safeguarding.cases.selectors import case_for
from safeguarding.documents import render_pdf
from safeguarding.exports import csv_bytes
from safeguarding.files.kinds import Built, FileKind

from . import selectors

CHRONOLOGY_PDF = "chronology_pdf"
CHRONOLOGY_CSV = "chronology_csv"
CSV_HEADER = ["Date", "Time", "Agency", "What happened", "Who", "Significance"]


def params_for(case, filters):
    """What a chronology file is asked with: the case and the page's filters."""
    agency = filters.get("agency")
    return {
        "reference": case.reference,
        "agency": agency.pk if agency else None,
        "date_from": filters["date_from"].isoformat() if filters.get("date_from") else None,
        "date_to": filters["date_to"].isoformat() if filters.get("date_to") else None,
    }


def describe(params):
    """The filters, in words, for the page that asks for the file."""
    lines = []
    if params.get("agency"):
        agency = Agency.objects.filter(pk=params["agency"]).first()
        lines.append(f"Only {agency}" if agency else "Only one agency")
    if params.get("date_from"):
        lines.append(f"From {date.fromisoformat(params['date_from']):%-d %B %Y}")
    if params.get("date_to"):
        lines.append(f"To {date.fromisoformat(params['date_to']):%-d %B %Y}")
    return lines or ["Every accepted entry from every agency"]


def _case(user, params):
    return case_for(user, params["reference"])


def _entries(case, params):
    return selectors.integrated_chronology(
        case,
        agency=Agency.objects.filter(pk=params["agency"]).first() if params.get("agency") else None,
        date_from=date.fromisoformat(params["date_from"]) if params.get("date_from") else None,
        date_to=date.fromisoformat(params["date_to"]) if params.get("date_to") else None,
    )


def build_pdf(case, params, user, progress):
    progress(5, "Reading the entries")
    entries = list(_entries(case, params))
    pdf = render_pdf(
        "contributions/chronology_pdf.html",
        {
            "case": case,
            "days": selectors.by_day(entries),
            "generated": timezone.now(),
            "title": f"Integrated chronology – {case.reference}",
        },
        progress=progress,
    )
    return Built(
        pdf,
        f"{case.reference}-chronology.pdf",
        "application/pdf",
        f"{case} integrated chronology PDF, {len(entries)} entries",
    )


def build_csv(case, params, user, progress):
    progress(5, "Reading the entries")
    rows = (
        [e.date.isoformat(), e.time or "", e.agency.name, e.what_happened, e.who, e.significance]
        for e in _entries(case, params).iterator(chunk_size=2000)
    )
    content, count = csv_bytes(CSV_HEADER, rows)
    return Built(
        content,
        f"{case.reference}-chronology.csv",
        "text/csv; charset=utf-8",
        f"{case} integrated chronology CSV, {count} entries",
    )


PDF = FileKind(
    name=CHRONOLOGY_PDF,
    permission=VIEW_CASE,
    subject=_case,
    build=build_pdf,
    title=lambda case, params: f"Integrated chronology PDF – {case.reference}",
    action=AccessLog.Action.PDF,
)
CSV = FileKind(
    name=CHRONOLOGY_CSV,
    permission=VIEW_CASE,
    subject=_case,
    build=build_csv,
    title=lambda case, params: f"Integrated chronology CSV – {case.reference}",
    action=AccessLog.Action.EXPORT,
)
