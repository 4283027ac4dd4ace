"""Reading a chronology spreadsheet an agency uploaded, and checking every row.

The file is untrusted. It is recognised by its content (an Excel workbook is a zip with a
workbook inside, a CSV file is text) and the name's extension must agree. A workbook is opened
as a zip first, to refuse macros (VBA, Excel 4 macro sheets, ActiveX), encryption and
anything too big once unpacked, and then read with openpyxl in read-only mode (streamed,
formulas kept as formulas so that they can be refused, never calculated). CSV is read with
the csv module, as UTF-8 (what Excel's "CSV UTF-8" saves) or Windows-1252 (its plain "CSV").

Every row is checked; every problem is reported by row and column, in words a contributor can
act on, and never quoting free text from the file (it may name people). Dates are read day
first (12/03/2025 is 12 March), as ISO (2025-03-12), as "12 March 2025", or from Excel date
cells.
"""

import csv
import io
import logging
import re
import warnings
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from itertools import chain, islice
from pathlib import PurePath

import filetype
from django.core.exceptions import ValidationError
from openpyxl import load_workbook
from openpyxl.cell.read_only import ReadOnlyCell
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._reader import WorkSheetParser

from .sheets import COLUMNS, MAX_ROWS, column_for, long_date
from .uploads import max_bytes

log = logging.getLogger(__name__)

MAX_PROBLEMS = 500  # reported; more are counted
HEADING_SEARCH_ROWS = 30  # the headings are looked for in the first rows (notes may precede them)
MAX_SCANNED_ROWS = 100_000  # rows read, empty or not, before the file is refused as too long
MAX_UNPACKED_BYTES = 300 * 1024 * 1024  # a workbook's parts, unpacked
MAX_PARTS = 2_000
EXAMPLE_DATE = "12/03/2025"
NOT_KNOWN = {"", "-", "n/a", "na", "n/k", "nk", "not known", "unknown", "not recorded"}
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
NUMERIC_DATE = re.compile(r"(\d{1,2})\s*([/.-])\s*(\d{1,2})\s*\2\s*(\d{1,4})")
ISO_DATE = re.compile(r"(\d{4})([-/.])(\d{1,2})\2(\d{1,2})")
WORDS_DATE = re.compile(
    r"(?:[a-z]+day,?\s+)?(\d{1,2})(?:st|nd|rd|th)?[\s-]+([a-z]+)\.?,?[\s-]+(\d{4})"
)
CLOCK = re.compile(
    r"(\d{1,2})(?:[:.](\d{2})(?:[:.](\d{2})(?:\.\d+)?)?)?\s*(am|pm|a\.m\.|p\.m\.)?\s*(?:hrs|hours|h)?"
)
HHMM = re.compile(r"([01]\d|2[0-3])([0-5]\d)\s*(?:hrs|hours|h)?")


@dataclass
class Problem:
    message: str
    row: int | None = None
    column: str | None = None  # the letter, "C"
    heading: str | None = None  # as the file names it

    @property
    def sentence(self):
        return self.message[:1].upper() + self.message[1:]

    @property
    def text(self):
        """ "Row 12, column A (Date): 31/02/2025 is not a real date..." """
        where = []
        if self.row:
            where.append(f"Row {self.row:,}")
        if self.column:
            where.append(f"column {self.column}" + (f" ({self.heading})" if self.heading else ""))
        return f"{', '.join(where)}: {self.sentence}" if where else self.sentence

    def as_dict(self):
        return {
            "row": self.row,
            "column": self.column,
            "heading": self.heading,
            "message": self.message,
        }

    @classmethod
    def from_dict(cls, data):
        return cls(data["message"], data.get("row"), data.get("column"), data.get("heading"))


class SheetRefused(ValidationError):
    """The file cannot be taken: every problem found (the first MAX_PROBLEMS), and how many."""

    def __init__(self, problems, total=None):
        self.problems = list(problems)[:MAX_PROBLEMS]
        self.total = total if total is not None else len(problems)
        super().__init__([p.text for p in self.problems])


def refuse(message, **where):
    return SheetRefused([Problem(message, **where)])


@dataclass
class Row:
    row: int
    date: date
    time: time | None
    what_happened: str
    who: str
    significance: str


@dataclass
class Sheet:
    file_format: str
    rows: list = field(default_factory=list)

    @property
    def first_date(self):
        return min((r.date for r in self.rows), default=None)

    @property
    def last_date(self):
        return max((r.date for r in self.rows), default=None)


# --- What the file is ---------------------------------------------------------------------

WRONG_KIND = "The selected file must be an Excel workbook (.xlsx) or a CSV file (.csv)"
SAVE_AS = {
    "xls": "The selected file is an older Excel file (.xls). Save it as an Excel Workbook "
    "(.xlsx) or as CSV, then upload it again",
    "xlsm": "The selected file is a macro-enabled workbook (.xlsm). Save it as an Excel "
    "Workbook (.xlsx), which leaves the macros out, then upload it again",
    "xlsb": "The selected file is an Excel binary workbook (.xlsb). Save it as an Excel "
    "Workbook (.xlsx), then upload it again",
    "ods": "The selected file is an OpenDocument spreadsheet (.ods). Save it as an Excel "
    "Workbook (.xlsx) or as CSV, then upload it again",
    "numbers": "The selected file is a Numbers spreadsheet. Export it as an Excel Workbook "
    "(.xlsx) or as CSV, then upload it again",
}
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old Office files, and password-protected new ones
ZIP = b"PK\x03\x04"


def file_format(upload):
    """'xlsx' or 'csv' from the name, once the content agrees; otherwise refused."""
    if not upload.size:
        raise refuse("The selected file is empty")
    if upload.size > max_bytes():
        raise refuse(f"The selected file must be smaller than {max_bytes() // (1024 * 1024)} MB")
    extension = PurePath(upload.name or "").suffix.lower().lstrip(".")
    if extension in SAVE_AS:
        raise refuse(SAVE_AS[extension])
    if extension not in ("xlsx", "csv"):
        raise refuse(WRONG_KIND)
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    if head.startswith(OLE):
        raise refuse(
            f"The selected file is named .{extension} but it is an older Excel file (.xls) or "
            "a workbook protected with a password. Save it as an Excel Workbook (.xlsx) "
            "without a password, then upload it again"
        )
    if extension == "xlsx" and not head.startswith(ZIP):
        found = f" It is a {kind.extension.upper()} file." if kind else ""
        if not kind and _looks_like_text(head):
            found = " If it is a CSV file, name it .csv."
        raise refuse(f"The selected file is named .xlsx but it is not an Excel workbook.{found}")
    if extension == "csv" and (head.startswith(ZIP) or kind is not None):
        if kind is not None and kind.extension == "xlsx":
            found = "an Excel workbook: name it .xlsx"
        elif kind is not None:
            found = f"not a CSV file. It is a {kind.extension.upper()} file"
        else:
            found = "not a CSV file"
        raise refuse(f"The selected file is named .csv but it is {found}")
    return extension


def _looks_like_text(head):
    return b"\x00" not in head


# --- Excel workbooks -----------------------------------------------------------------------


def _check_zip(upload):
    """An .xlsx is a zip of parts: look at the parts before openpyxl reads any of them."""
    upload.seek(0)
    try:
        archive = zipfile.ZipFile(upload)
        parts = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as error:
        raise refuse(
            "The selected file is named .xlsx but it is not an Excel workbook (it cannot be "
            "opened). Save it again as an Excel Workbook (.xlsx)"
        ) from error
    names = {p.filename.lower().lstrip("/") for p in parts}
    if len(parts) > MAX_PARTS or sum(p.file_size for p in parts) > MAX_UNPACKED_BYTES:
        raise refuse(
            "The selected file is too big once unpacked to be a chronology. Save it again as "
            "an Excel Workbook (.xlsx) with only the chronology in it"
        )
    if any(p.flag_bits & 0x1 for p in parts):
        raise refuse(
            "The selected workbook is protected with a password. Save it without a password, "
            "then upload it again"
        )
    if "xl/workbook.xml" not in names:
        if "word/document.xml" in names:
            found = " It is a Word document."
        elif any(n.startswith("ppt/") for n in names):
            found = " It is a PowerPoint presentation."
        elif "xl/workbook.bin" in names:
            found = " It is an Excel binary workbook (.xlsb): save it as an Excel Workbook."
        elif "mimetype" in names:
            found = " It is an OpenDocument file: save it as an Excel Workbook."
        else:
            found = ""
        raise refuse(f"The selected file is named .xlsx but it is not an Excel workbook.{found}")
    types = b""
    if "[content_types].xml" in names:
        info = next(p for p in parts if p.filename.lower() == "[content_types].xml")
        if info.file_size < 1024 * 1024:
            try:
                types = archive.read(info).lower()
            except Exception as error:  # a corrupt part: zlib, CRC, an unknown compression...
                raise _unreadable() from error
    macros = (
        any(
            n.endswith("vbaproject.bin")
            or n.startswith(("xl/macrosheets/", "xl/activex/", "xl/dialogsheets/"))
            for n in names
        )
        or b"macroenabled" in types
        or b"vbaproject" in types
    )
    if macros:
        raise refuse(
            "The selected workbook contains macros. Save it as an Excel Workbook (.xlsx), "
            "which leaves the macros out, then upload it again"
        )
    upload.seek(0)


class _NoText:
    """Shared strings for a pass that only wants the merged ranges."""

    def __getitem__(self, index):
        return ""


def _merged_ranges(sheet):
    """The merged cells of a read-only sheet. openpyxl's read-only mode streams the cells and
    drops the merged ranges, which come after them; its own sheet parser (the one read-only
    mode runs) collects them, so a second streamed pass asks it."""
    with sheet._get_source() as source:
        parser = WorkSheetParser(source, _NoText())
        for _ in _guarded(parser.parse()):
            pass
    if not parser.merged_cells:
        return []
    return [cell_range.ref for cell_range in parser.merged_cells.mergeCell]


def _unreadable():
    return refuse(
        "The selected file could not be read as an Excel workbook. Open it in Excel, save "
        "it again as an Excel Workbook (.xlsx), then upload it again"
    )


def _open_workbook(upload):
    """The workbook, read-only (streamed), once its parts have been looked at."""
    _check_zip(upload)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # unsupported extensions, missing styles...
            return load_workbook(upload, read_only=True, data_only=False, keep_links=False)
    except Exception as error:  # whatever openpyxl makes of a broken file: it is refused
        log.info("workbook could not be opened: %s", type(error).__name__)
        raise _unreadable() from error


def _guarded(rows):
    """openpyxl's rows, read as they come: whatever it makes of a broken part (bad XML, an
    entity expansion expat stops, a truncated zip member...) refuses the file. Only
    openpyxl's reading is guarded, not the checks made on what it gives."""
    iterator = iter(rows)
    while True:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                item = next(iterator)
        except StopIteration:
            return
        except Exception as error:
            log.info("workbook could not be read: %s", type(error).__name__)
            raise _unreadable() from error
        yield item


def _other_sheet_problems(workbook):
    problems = []
    first = workbook.worksheets[0]
    for sheet in workbook.worksheets[1:]:
        for row in _guarded(sheet.iter_rows()):
            cell = next((c for c in row if _has_value(c.value)), None)
            if cell is not None:
                problems.append(
                    Problem(
                        f'The workbook has entries on another sheet ("{sheet.title[:40]}", '
                        f"cell {cell.coordinate}). Put every entry on the first sheet "
                        f'("{first.title[:40]}") and delete the other sheets'
                    )
                )
                break
    if workbook.chartsheets:
        problems.append(
            Problem("The workbook has a chart sheet. Delete it, keeping only the chronology")
        )
    return problems


def _has_value(value):
    return value is not None and not (isinstance(value, str) and not value.strip())


# --- CSV -------------------------------------------------------------------------------------


def _csv_rows(upload):
    upload.seek(0)
    data = upload.read()
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise refuse(
            "The CSV file is saved as UTF-16 (Unicode text). Save it as CSV UTF-8 "
            "(comma delimited), then upload it again"
        )
    if b"\x00" in data:
        raise refuse("The selected file is named .csv but it is not a CSV file")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise refuse(
            "The CSV file could not be read. Save it as CSV UTF-8 (comma delimited), then "
            "upload it again"
        )
    reader = csv.reader(io.StringIO(text, newline=""))
    number = 0
    try:
        for number, values in enumerate(reader, start=1):  # noqa: B007 (number is read after)
            yield number, [_CsvCell(v) for v in values]
    except csv.Error as error:
        raise refuse(
            "The file could not be read as CSV here (a cell may be far too long, or a quote "
            "mark not closed)",
            row=number + 1,
        ) from error


@dataclass
class _CsvCell:
    value: str
    data_type: str = "s"


# --- Rows --------------------------------------------------------------------------------------


@dataclass
class _Layout:
    heading_row: int
    columns: dict  # column index (0-based) -> (Column, the file's heading)
    unknown: set = field(default_factory=set)  # headed, but not the chronology's (refused)


def _find_headings(rows):
    """The first row naming at least the date and what happened; rows above are notes."""
    for number, cells in rows:
        found = {}
        for index, cell in enumerate(cells):
            if isinstance(cell.value, str):
                column = column_for(cell.value)
                if column is not None:
                    found[index] = (column, " ".join(cell.value.split())[:40])
        fields = {column.field for column, _ in found.values()}
        if {"date", "what_happened"} <= fields:
            return number, cells, found
        if number >= HEADING_SEARCH_ROWS:
            break
    return None


def _layout(number, cells, found):
    problems = []
    seen = {}
    for index, (column, _heading) in sorted(found.items()):
        if column.field in seen:
            first = get_column_letter(seen[column.field] + 1)
            problems.append(
                Problem(
                    f"Two columns are headed {column.short} ({first} and "
                    f"{get_column_letter(index + 1)}). Keep one",
                    row=number,
                )
            )
        seen.setdefault(column.field, index)
    for index, cell in enumerate(cells):
        if index not in found and _has_value(cell.value):
            heading = " ".join(str(cell.value).split())[:40]
            problems.append(
                Problem(
                    f'"{heading}" is not one of the chronology\'s columns (Date, Time, What '
                    "happened, Who in the agency, Significance). Move what it holds into one "
                    "of them, or delete the column",
                    row=number,
                    column=get_column_letter(index + 1),
                )
            )
    unknown = {index for index, cell in enumerate(cells) if index not in found}
    return _Layout(number, found, unknown), problems


def _text(value):
    """A cell as text: whitespace trimmed, line endings made one kind, control characters out."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.date() if value.time() == time(0) else value
    if isinstance(value, date | datetime):
        return value.strftime("%d/%m/%Y %H:%M" if isinstance(value, datetime) else "%d/%m/%Y")
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).replace("\r\n", "\n").replace("\r", "\n")
    return CONTROL.sub("", text).strip()


def parse_time(value):
    """A time from a cell, or None when blank or "not known"; ValueError when it is not one."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.time().replace(microsecond=0)
    if isinstance(value, time):
        return value.replace(microsecond=0, tzinfo=None)
    if isinstance(value, timedelta):
        if timedelta(0) <= value < timedelta(days=1):
            return (datetime.min + value).time().replace(microsecond=0)
        raise ValueError
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 0 <= value < 1:  # Excel keeps a time as a fraction of a day
            seconds = round(value * 86400)
            return (datetime.min + timedelta(seconds=min(seconds, 86399))).time()
        raise ValueError
    text = str(value).strip().lower()
    if text in NOT_KNOWN:
        return None
    match = HHMM.fullmatch(text)
    if match:
        return time(int(match[1]), int(match[2]))
    match = CLOCK.fullmatch(text)
    if not match or (match[2] is None and match[4] is None):
        raise ValueError
    hour, minute, second = int(match[1]), int(match[2] or 0), int(match[3] or 0)
    if match[4]:
        if not 1 <= hour <= 12:
            raise ValueError
        hour = hour % 12 + (12 if match[4].startswith("p") else 0)
    return time(hour, minute, second)  # ValueError when out of range


class DateProblem(ValueError):
    pass


def _real_date(year, month, day, shown):
    try:
        return date(year, month, day)
    except ValueError:
        hint = "write dates day first, like " + EXAMPLE_DATE
        raise DateProblem(f"{shown} is not a real date: {hint}") from None


def parse_date(value):
    """(date, time or None) from a cell; DateProblem saying what is wrong otherwise."""
    if isinstance(value, datetime):
        moment = value.time().replace(microsecond=0)
        return value.date(), (moment if moment != time(0) else None)
    if isinstance(value, date):
        return value, None
    if isinstance(value, time | timedelta):
        raise DateProblem(f"the cell holds a time, not a date. Enter a date, like {EXAMPLE_DATE}")
    if isinstance(value, int | float) and not isinstance(value, bool):
        raise DateProblem(
            f"the date is a plain number. Format the cell as a date, or write the date like "
            f"{EXAMPLE_DATE}"
        )
    text = " ".join(str(value).split()).lower()
    # A date and a time together: "12/03/2025 14:30", "2025-03-12T14:30:00".
    moment = None
    parts = re.split(r"[ t](?=\d{1,2}[:.]\d{2})", text, maxsplit=1)
    if len(parts) == 2:
        try:
            moment = parse_time(parts[1])
        except ValueError:
            raise DateProblem(
                f"the time after the date is not a time. Write the date like {EXAMPLE_DATE}, "
                "and the time in the Time column"
            ) from None
        text = parts[0].strip()
    shown = " ".join(str(value).split())[:20]
    if match := NUMERIC_DATE.fullmatch(text):
        day, month, year = int(match[1]), int(match[3]), match[4]
        if len(year) != 4:
            raise DateProblem(f"write the year in full, like {EXAMPLE_DATE}")
        return _real_date(int(year), month, day, shown), moment
    if match := ISO_DATE.fullmatch(text):
        return _real_date(int(match[1]), int(match[3]), int(match[4]), shown), moment
    if match := WORDS_DATE.fullmatch(text):
        month = MONTHS.get(match[2])
        if month is None:
            raise DateProblem(f"enter the date as day, month and year, like {EXAMPLE_DATE}")
        return _real_date(int(match[3]), month, int(match[1]), shown), moment
    raise DateProblem(f"enter the date as day, month and year, like {EXAMPLE_DATE}")


class _Checker:
    """Checks rows one by one, collecting problems and good rows."""

    def __init__(self, layout, *, period_from, period_to, today):
        self.layout = layout
        self.period_from = period_from
        self.period_to = period_to
        self.today = today
        self.problems = []
        self.total = 0
        self.rows = []
        self.by_field = {column.field: index for index, (column, _) in layout.columns.items()}

    def add(self, problems):
        for problem in problems:
            self.total += 1
            if len(self.problems) < MAX_PROBLEMS:
                self.problems.append(problem)

    def problem(self, message, row, index=None):
        self.total += 1
        if len(self.problems) < MAX_PROBLEMS:
            column = self.layout.columns.get(index, (None, None))[0] if index is not None else None
            heading = column.short if column is not None else None
            letter = get_column_letter(index + 1) if index is not None else None
            self.problems.append(Problem(message, row=row, column=letter, heading=heading))

    def cell(self, cells, name):
        index = self.by_field.get(name)
        if index is None or index >= len(cells):
            return None
        return cells[index]

    def check_row(self, number, cells):
        for index, cell in enumerate(cells):
            if cell.data_type == "f":
                self.problem(
                    "the cell holds a formula. Replace formulas with their values (copy the "
                    "cells, then paste them as values only)",
                    number,
                    index,
                )
                return
            if cell.data_type == "e":
                self.problem(
                    f"the cell shows a spreadsheet error ({str(cell.value)[:10]}). Correct it",
                    number,
                    index,
                )
                return
            if index not in self.layout.columns and index not in self.layout.unknown:
                if not _has_value(cell.value):
                    continue
                self.problem(
                    "there is something in a column with no heading. Move it into one of the "
                    "chronology's columns, or delete it",
                    number,
                    index,
                )
                return
        values = {}
        for column in COLUMNS:
            cell = self.cell(cells, column.field)
            values[column.field] = cell.value if cell is not None else None
        errors_before = self.total

        day = moment = None
        raw_date = values["date"]
        if not _has_value(raw_date):
            self.problem("enter the date", number, self.by_field["date"])
        else:
            try:
                day, moment = parse_date(raw_date)
            except DateProblem as error:
                self.problem(str(error), number, self.by_field["date"])
            else:
                self.check_period(day, number)

        time_index = self.by_field.get("time")
        if time_index is not None and _has_value(values["time"]):
            try:
                given = parse_time(values["time"])
            except ValueError:
                self.problem("enter the time like 14:30, or leave it blank", number, time_index)
            else:
                moment = given if given is not None else moment

        texts = {}
        for column in COLUMNS[2:]:
            index = self.by_field.get(column.field)
            text = _text(values[column.field])
            if column.required and not text:
                self.problem(f"enter {column.short.lower()}", number, index)
            elif column.max_length and len(text) > column.max_length:
                self.problem(
                    f"must be {column.max_length:,} characters or fewer (it has {len(text):,})",
                    number,
                    index,
                )
            texts[column.field] = text
        if self.total == errors_before:
            self.rows.append(Row(number, day, moment, **texts))

    def check_period(self, day, number):
        index = self.by_field["date"]
        if day.year < 1900:
            self.problem(f"the date must be after 1900 ({long_date(day)} is not)", number, index)
        elif self.period_from and day < self.period_from:
            self.problem(
                f"{long_date(day)} is before the period under review, which starts on "
                f"{long_date(self.period_from)}",
                number,
                index,
            )
        elif self.period_to and day > self.period_to:
            self.problem(
                f"{long_date(day)} is after the period under review, which ends on "
                f"{long_date(self.period_to)}",
                number,
                index,
            )
        elif day > self.today:
            self.problem(f"{long_date(day)} is in the future", number, index)


def _blank(cells):
    return not any(_has_value(c.value) for c in cells)


def read_sheet(upload, *, period_from=None, period_to=None, today, progress=None):
    """Read and check an uploaded chronology (a Django UploadedFile, or any binary file with
    `name` and `size`). Returns a Sheet of good rows, or raises SheetRefused with every
    problem found. `progress(per_cent, note)` is told how far it has got."""
    progress = progress or (lambda per_cent, note="": None)
    kind = file_format(upload)
    workbook = None
    try:
        if kind == "xlsx":
            workbook = _open_workbook(upload)
            if not workbook.worksheets:
                raise refuse("The workbook has no sheet with entries on it")
            sheet = workbook.worksheets[0]
            expected = sheet.max_row or 0  # what the file says: for progress only...
            sheet.reset_dimensions()  # ...and not trusted to limit what is read
            rows = iter(_numbered(_guarded(sheet.iter_rows())))
            problems = _other_sheet_problems(workbook)
        else:
            expected = max(1, upload.size // 100)  # a guess, for progress only
            rows = iter(_csv_rows(upload))
            problems = []

        top = list(islice(rows, HEADING_SEARCH_ROWS))
        headings = _find_headings(top)
        heading_row = headings[0] if headings else top[-1][0] if top else 0
        for number, cells in top:
            if number <= heading_row:
                problems += _formulas(number, cells)  # in the notes or headings
        if headings is None:
            names = ", ".join(c.heading for c in COLUMNS)
            raise SheetRefused(
                [
                    *problems,
                    Problem(
                        "The file has no column headings. Put them in a row above the "
                        f"entries ({names}): download the template to see how"
                    ),
                ]
            )
        layout, heading_problems = _layout(*headings)
        checker = _Checker(layout, period_from=period_from, period_to=period_to, today=today)
        checker.add(problems + heading_problems)

        entries = scanned = 0
        for number, cells in chain((r for r in top if r[0] > heading_row), rows):
            scanned += 1
            if scanned > MAX_SCANNED_ROWS:
                raise refuse(
                    f"The sheet has more than {MAX_SCANNED_ROWS:,} rows, most of them empty. "
                    "Delete the empty rows below your entries, then upload it again"
                )
            if _blank(cells):
                continue
            entries += 1
            if entries > MAX_ROWS:
                raise refuse(_too_many_rows())
            checker.check_row(number, cells)
            if entries % 1000 == 0:
                done = min(90, int(90 * number / expected)) if expected else 0
                progress(done, f"{entries:,} rows checked")

        if kind == "xlsx":
            checker.add(_merge_problems(sheet, heading_row))
        if checker.total:
            ordered = sorted(checker.problems, key=lambda p: (p.row or 0, p.column or ""))
            raise SheetRefused(ordered, checker.total)
        if not checker.rows:
            raise refuse("The file has no entries. Add one row for each event below the headings")
        progress(90, f"{entries:,} rows checked")
        return Sheet(file_format=kind, rows=checker.rows)
    finally:
        if workbook is not None:
            workbook.close()


def _too_many_rows():
    return (
        f"The file has more than {MAX_ROWS:,} entries, the most one upload can hold. Keep to "
        "the period under review and the events that matter, or ask the partnership team."
    )


def _numbered(rows):
    """(row number, cells) for each row of a read-only sheet that has any cell at all."""
    for cells in rows:
        numbered = next((c for c in reversed(cells) if isinstance(c, ReadOnlyCell)), None)
        if numbered is not None:
            yield numbered.row, cells


def _formulas(number, cells):
    return [
        Problem(
            "the cell holds a formula. Replace formulas with their values",
            row=number,
            column=get_column_letter(index + 1),
        )
        for index, cell in enumerate(cells)
        if cell.data_type == "f"
    ]


def _merge_problems(sheet, heading_row):
    problems = []
    for ref in _merged_ranges(sheet):
        first, _, last = ref.partition(":")
        top = int(re.sub(r"[A-Z$]+", "", first))
        bottom = int(re.sub(r"[A-Z$]+", "", last or first))
        if bottom < heading_row:
            continue  # a title above the headings may be merged
        rows = f"rows {top:,} to {bottom:,}" if bottom != top else f"row {top:,}"
        problems.append(
            Problem(
                f"cells {ref} are merged ({rows}). Unmerge them, and fill in the cells of "
                "every row",
                row=top,
                column=re.sub(r"[\d$]+", "", first),
            )
        )
    return problems
