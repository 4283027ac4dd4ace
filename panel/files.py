"""A meeting's minutes as a PDF made in the background (registered in apps.py): tagged, the
marking on every page, cases by reference and pseudonym only."""

from django.utils import timezone

from safeguarding.accounts.roles import VIEW_PANEL
from safeguarding.audit.models import AccessLog
from safeguarding.documents import render_pdf
from safeguarding.files.kinds import Built, FileKind

from . import selectors

MINUTES_PDF = "panel_minutes_pdf"


def _meeting(user, params):
    return selectors.meeting_for(params["meeting"])


def build_pdf(meeting, params, user, progress):
    progress(5, "Reading the minutes")
    agenda, attendance = selectors.agenda(meeting)
    pdf = render_pdf(
        "panel/minutes_pdf.html",
        {
            "meeting": meeting,
            "agenda": [(item, q, list(selectors.decisions_of(item))) for item, q in agenda],
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
