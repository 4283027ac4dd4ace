"""The yearly report pack: every registered figure for one reporting year (April to March),
as a tagged PDF with the marking and as an XLSX workbook with one sheet per table. The
partnership's yearly report is due by 30 September after the year (D17)."""

from django.utils import timezone

from safeguarding.accounts.roles import VIEW_REPORTS
from safeguarding.audit.models import AccessLog
from safeguarding.documents import render_pdf
from safeguarding.exports import xlsx_bytes
from safeguarding.files.kinds import Built, FileKind

from . import figures
from .periods import reporting_year_starting

YEARLY_PACK = "yearly_pack"


def sheet_name(figure):
    """A short, unique name for a figure's sheet (Excel allows 31 characters)."""
    return figure.key.replace("_", " ").capitalize()[:31]


def _sheets(period, groups):
    members = [(figure, result) for _, group in groups for figure, result in group]
    contents = [
        [sheet_name(figure), figure.title, result.headline, figure.definition]
        for figure, result in members
    ]
    yield (
        "Contents",
        [f"Sheet ({period.label})", "Figure", "Headline", "How it is counted"],
        contents,
    )
    for figure, result in members:
        yield sheet_name(figure), result.columns, result.rows


def build(subject, params, user, progress):
    period = reporting_year_starting(int(params["year"]))
    progress(10, "Counting the figures")
    groups = figures.grouped(period)
    stamp = f"{period.start.year}-{period.end.year}"
    if params["format"] == "xlsx":
        content, _ = xlsx_bytes(_sheets(period, groups))
        return Built(
            content,
            f"yearly-report-pack-{stamp}.xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            f"Yearly report pack XLSX, {period.label}",
        )
    content = render_pdf(
        "reports/pack_pdf.html",
        {
            "title": f"Yearly report pack – {period.label}",
            "period": period,
            "groups": groups,
            "generated": timezone.now(),
        },
        progress=progress,
    )
    return Built(
        content,
        f"yearly-report-pack-{stamp}.pdf",
        "application/pdf",
        f"Yearly report pack PDF, {period.label}",
    )


KIND = FileKind(
    name=YEARLY_PACK,
    permission=VIEW_REPORTS,
    subject=lambda user, params: None,
    build=build,
    title=lambda subject, params: (
        f"Yearly report pack, {reporting_year_starting(int(params['year'])).label} "
        f"({'PDF' if params['format'] == 'pdf' else 'XLSX'})"
    ),
    action=AccessLog.Action.EXPORT,
)
