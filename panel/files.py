"""PDFs made in the background (registered in apps.py), tagged, the marking on every page,
cases by reference and pseudonym only: a meeting's minutes, and an issued highlight report
(made once from the version's kept content, then kept with it and given from there)."""

import hashlib

from django.core.files.base import ContentFile
from django.utils import timezone

from safeguarding.accounts.roles import READ_HIGHLIGHT_REPORTS, VIEW_PANEL
from safeguarding.audit.models import AccessLog
from safeguarding.documents import render_pdf
from safeguarding.files.kinds import Built, FileKind

from . import selectors
from .models import IssuedHighlightReport

MINUTES_PDF = "panel_minutes_pdf"


def _meeting(user, params):
    return selectors.meeting_for(params["meeting"])


def build_pdf(meeting, params, user, progress):
    progress(5, "Reading the minutes")
    agenda, attendance = selectors.agenda(meeting)
    withheld = selectors.withheld_from(user)
    pdf = render_pdf(
        "panel/minutes_pdf.html",
        {
            "meeting": meeting,
            "agenda": [
                (item, q, list(selectors.decisions_of(item)))
                for item, q in agenda
                if item.case_id not in withheld
            ],
            "withheld_items": [item for item, _ in agenda if item.case_id in withheld],
            "attendance": attendance,
            "generated": timezone.now(),
            "title": f"Minutes – {meeting}",
        },
        progress=progress,
    )
    return Built(
        pdf,
        f"cspr-panel-minutes-{meeting.date:%Y-%m-%d}.pdf",
        "application/pdf",
        f"Minutes of the {meeting} (PDF)",
    )


PDF = FileKind(
    name=MINUTES_PDF,
    permission=VIEW_PANEL,
    subject=_meeting,
    build=build_pdf,
    title=lambda meeting, params: f"Minutes PDF – {meeting}",
    action=AccessLog.Action.PDF,
)


HIGHLIGHT_PDF = "panel_highlight_pdf"


def _issued(user, params):
    return selectors.issued_report_for(params["issued"])


def _filename(issued):
    return f"cspr-panel-highlight-report-{issued.issued_on:%Y-%m-%d}-version-{issued.number}.pdf"


def build_highlight_pdf(issued, params, user, progress):
    """The issued version's PDF: the one kept with it, or made now from its kept content and
    kept (the first build wins; a later one gives the kept file)."""
    described = f"{issued.title}, version {issued.number} (PDF)"
    if not issued.pdf:
        progress(5, "Laying out the report")
        pdf = render_pdf(
            "panel/highlight_pdf.html",
            {"issued": issued, "report": issued.content, "title": issued.title},
            progress=progress,
        )
        stored = ContentFile(pdf)
        issued.pdf.save("report.pdf", stored, save=False)
        kept = IssuedHighlightReport.objects.filter(pk=issued.pk, pdf="").update(
            pdf=issued.pdf.name, pdf_sha256=hashlib.sha256(pdf).hexdigest()
        )
        if kept:
            return Built(pdf, _filename(issued), "application/pdf", described)
        issued.pdf.delete(save=False)  # another build kept its file first: give that one
        issued.refresh_from_db()
    with issued.pdf.open("rb") as kept_file:
        content = kept_file.read()
    return Built(content, _filename(issued), "application/pdf", described)


HIGHLIGHT = FileKind(
    name=HIGHLIGHT_PDF,
    permission=READ_HIGHLIGHT_REPORTS,
    subject=_issued,
    build=build_highlight_pdf,
    title=lambda issued, params: f"{issued.title}, version {issued.number} (PDF)",
    action=AccessLog.Action.PDF,
)
