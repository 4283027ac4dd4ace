"""The one way the service writes spreadsheets, CSV and XLSX. Every value
that a spreadsheet would read as a formula is neutralised: a cell starting with =, +, -, @, a tab
or a carriage return gets a leading apostrophe, so it shows as text and never runs (OWASP's
advice on CSV injection). Dates and numbers are written as themselves."""

import csv
import io
from datetime import date, datetime, time

from openpyxl import Workbook

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """A cell's value as a spreadsheet should hold it: formulas made inert, None as blank."""
    if value is None:
        return ""
    if isinstance(value, bool | int | float | date | datetime | time):
        return value
    text = str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def csv_bytes(header, rows):
    """A UTF-8 CSV file (no byte-order mark, as GOV.UK's guidance on CSV asks) from a header and
    rows of values. Returns (bytes, how many rows)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([neutralise(h) for h in header])
    count = 0
    for row in rows:
        writer.writerow([neutralise(v) for v in row])
        count += 1
    return out.getvalue().encode("utf-8"), count


# A worksheet holds 1,048,576 rows; one is the header.
XLSX_MAX_ROWS = 1_048_575
# Excel's limit on a sheet's name.
SHEET_NAME_MAX = 31


class TooLarge(Exception):
    """The rows would not fit in one spreadsheet: ask for a shorter period."""


def xlsx_bytes(sheets):
    """An XLSX workbook (openpyxl in write-only mode: rows are streamed, not held) from
    [(sheet name, header, rows)], every text cell neutralised. Returns (bytes, rows written)."""
    workbook = Workbook(write_only=True)
    written = 0
    for name, header, rows in sheets:
        sheet = workbook.create_sheet(title=_sheet_name(name))
        sheet.append([neutralise(h) for h in header])
        for count, row in enumerate(rows, start=1):
            if count > XLSX_MAX_ROWS:
                raise TooLarge(
                    f"{name} has more than {XLSX_MAX_ROWS:,} rows, too many for one "
                    "spreadsheet. Choose a shorter period."
                )
            sheet.append([_cell(v) for v in row])
            written += 1
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue(), written


def _cell(value):
    value = neutralise(value)
    if isinstance(value, str):
        # A text cell, typed as text: Excel never re-reads it as a formula or a number.
        return value.replace("\x00", "")
    return value


def _sheet_name(name):
    for bad in "[]:*?/\\":
        name = name.replace(bad, " ")
    return name[:SHEET_NAME_MAX] or "Sheet"
