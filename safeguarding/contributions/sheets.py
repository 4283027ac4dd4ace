"""The chronology spreadsheet: its columns, and the template an agency fills in (XLSX or CSV).

The columns are the integrated chronology's. An agency may also use its own spreadsheet: the
headings are recognised by name in any order (a few other names agencies use are accepted:
"Event date", "Details", "Role"...), and the note rows above them are skipped. Reading and
checking a filled-in file is `sheet_reader.py`.
"""

import re
from dataclasses import dataclass
from datetime import date

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel
from openpyxl.worksheet.datavalidation import DataValidation

from safeguarding.exports import csv_bytes, workbook_bytes, xlsx_put

from .models import ChronologyEntry

# The most entries one upload may hold. A chronology longer than this is not one a review
# panel can read; the agency is asked to keep to the period and the events that matter.
MAX_ROWS = 20_000
MARKING = "OFFICIAL-SENSITIVE"


@dataclass(frozen=True)
class Column:
    field: str  # the ChronologyEntry field it fills
    heading: str  # as the template writes it
    short: str  # in messages: "Row 12, column C (What happened): ..."
    other_names: tuple = ()
    required: bool = False
    max_length: int | None = None
    width: int = 20


COLUMNS = (
    Column(
        "date",
        "Date",
        "Date",
        ("date of event", "event date", "date of contact", "date of involvement"),
        required=True,
        width=14,
    ),
    Column("time", "Time (if known)", "Time", ("time of event", "time of contact"), width=10),
    Column(
        "what_happened",
        "What happened",
        "What happened",
        ("event", "events", "details", "description", "event details", "summary", "contact"),
        required=True,
        max_length=ChronologyEntry.TEXT_MAX_LENGTH,
        width=70,
    ),
    Column(
        "who",
        "Who in the agency (role, not name)",
        "Who in the agency",
        ("who", "role", "practitioner", "practitioner role", "professional", "staff role"),
        max_length=ChronologyEntry._meta.get_field("who").max_length,
        width=28,
    ),
    Column(
        "significance",
        "Significance",
        "Significance",
        ("why it matters", "analysis", "comment", "comments"),
        max_length=ChronologyEntry.TEXT_MAX_LENGTH,
        width=50,
    ),
)


def normalise_heading(text):
    """ "Who in the agency (role, not name)" -> "who in the agency": what a heading is matched on
    (brackets, punctuation, case and spacing do not matter)."""
    text = re.sub(r"\([^)]*\)", " ", str(text or "")).lower()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


HEADING_NAMES = {
    name: column
    for column in COLUMNS
    for name in {normalise_heading(column.heading), *column.other_names}
}


def column_for(heading):
    """The column a heading names, or None."""
    return HEADING_NAMES.get(normalise_heading(heading))


def long_date(day):
    return f"{day.day} {day:%B %Y}"


def period_text(request):
    if request.period_from and request.period_to:
        return f"{long_date(request.period_from)} to {long_date(request.period_to)}"
    if request.period_from:
        return f"from {long_date(request.period_from)}"
    if request.period_to:
        return f"up to {long_date(request.period_to)}"
    return "not set: include your agency's involvement that the request asks about"


def notes(request):
    """The header note: which request, the period under review, how to fill it in."""
    case = request.case
    return [
        f"{MARKING} once filled in. Keep it as securely as the records it comes from.",
        f"Chronology for {case.reference} ({case.pseudonym}): information request to "
        f"{request.agency.name}.",
        f"Period under review: {period_text(request)}.",
        "How to fill it in: one row for each event, below the headings, with no empty rows "
        "between. Date: day, month, year, like 12/03/2025. Time: like 14:30, or leave it blank. "
        "Who: the person's role, not their name. What happened and Significance: up to "
        f"{ChronologyEntry.TEXT_MAX_LENGTH:,} characters each.",
        "Keep to this sheet and these headings: no formulas, merged cells, macros or other "
        f"sheets. Up to {MAX_ROWS:,} rows. Upload the file on the request's page; uploading "
        "again replaces the entries of your previous upload.",
    ]


def template_name(request, extension):
    agency = re.sub(r"[^A-Za-z0-9]+", "-", request.agency.name).strip("-")
    return f"{request.case.reference}-{agency}-chronology-template.{extension}"


def template_csv(request):
    """The template as CSV: the note on its own rows, then the headings."""
    rows = [[line] for line in notes(request)] + [[]]
    content, _ = csv_bytes(rows[0], [*rows[1:], [c.heading for c in COLUMNS]])
    return content


def _validation(kind, cells, *, title, message, **rule):
    check = DataValidation(
        type=kind,
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=title,
        error=message,
        showInputMessage=True,
        promptTitle=title,
        prompt=message,
        **rule,
    )
    check.add(cells)
    return check


def template_xlsx(request):
    """The template as an Excel workbook: one sheet, the note, the headings, and validation
    on each column (dates within the period under review, times, lengths). No formulas: the
    validation limits are plain numbers."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Chronology"
    workbook.properties.creator = "Case reviews"
    workbook.properties.title = f"Chronology template – {request.case.reference}"
    lines = notes(request)
    for row, line in enumerate(lines, start=1):
        cell = xlsx_put(sheet, row, 1, line)
        cell.font = Font(bold=row == 1)
    heading_row = len(lines) + 2
    first, last = heading_row + 1, heading_row + MAX_ROWS
    for index, column in enumerate(COLUMNS, start=1):
        letter = get_column_letter(index)
        cell = xlsx_put(sheet, heading_row, index, column.heading)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDDDDD")
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        dimension = sheet.column_dimensions[letter]
        dimension.width = column.width
        # The format of new cells in the column: dates as dates, times as times, and text as
        # text (so that a typed "=..." stays words, not a formula).
        dimension.number_format = {"date": "DD/MM/YYYY", "time": "HH:MM"}.get(column.field, "@")
        dimension.alignment = Alignment(wrap_text=column.field not in ("date", "time"))
        cells = f"{letter}{first}:{letter}{last}"
        if column.field == "date":
            start = request.period_from or date(1900, 1, 1)
            end = request.period_to or date(9999, 12, 31)
            within = (
                f"between {long_date(start)} and {long_date(end)}"
                if request.period_from and request.period_to
                else "in the period under review"
            )
            sheet.add_data_validation(
                _validation(
                    "date",
                    cells,
                    title="Date",
                    message=f"Enter a date {within}, like 12/03/2025.",
                    operator="between",
                    formula1=str(int(to_excel(start))),
                    formula2=str(int(to_excel(end))),
                )
            )
        elif column.field == "time":
            sheet.add_data_validation(
                _validation(
                    "time",
                    cells,
                    title="Time",
                    message="Enter the time like 14:30, or leave it blank.",
                    operator="between",
                    formula1="0",
                    formula2="0.999988426",  # 23:59:59
                )
            )
        elif column.max_length:
            sheet.add_data_validation(
                _validation(
                    "textLength",
                    cells,
                    title=column.short,
                    message=f"Up to {column.max_length:,} characters.",
                    operator="lessThanOrEqual",
                    formula1=str(column.max_length),
                )
            )
    sheet.freeze_panes = f"A{first}"
    sheet.print_title_rows = f"{heading_row}:{heading_row}"
    sheet.oddHeader.center.text = MARKING
    sheet.oddFooter.center.text = MARKING
    return workbook_bytes(workbook)
