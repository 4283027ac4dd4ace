"""The one way the service writes spreadsheets, CSV and XLSX. Every value that a spreadsheet
would read as a formula is neutralised, so that nothing the service exports can run:

* CSV: a cell starting with =, +, -, @, a tab or a carriage return gets a leading apostrophe, so
  it shows as text and never runs (OWASP's advice on CSV injection).
* XLSX: text is always written as a text cell, never as a formula (openpyxl, left to itself,
  writes any string starting with "=" as one), and text that looks like a formula carries
  Excel's quote prefix, so that editing the cell later does not turn it into one either.

Dates and numbers are written as themselves."""

import csv
import io
from datetime import date, datetime, time

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

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


def _fill(cell, value):
    """The one rule for an XLSX cell: dates and numbers as themselves; anything else as a text
    cell (never a formula), with Excel's quote prefix where it looks like one."""
    if value is None or isinstance(value, bool | int | float | date | datetime | time):
        cell.value = value
        return cell
    # Characters XML cannot hold (control characters) would make openpyxl refuse the value.
    text = ILLEGAL_CHARACTERS_RE.sub("", str(value))
    cell.value = text
    cell.data_type = "s"  # text, whatever it starts with: never a formula
    if text.startswith(FORMULA_STARTS):
        cell.quotePrefix = True
    return cell


def xlsx_put(sheet, row, column, value):
    """Write one value into a cell of an ordinary openpyxl worksheet (one built in memory, for
    styles and data validation: the chronology template). Returns the cell."""
    return _fill(sheet.cell(row=row, column=column), value)


def workbook_bytes(workbook):
    """The workbook as the bytes of an .xlsx file."""
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


# A worksheet holds 1,048,576 rows; one is the header.
XLSX_MAX_ROWS = 1_048_575
# Excel's limit on a sheet's name.
SHEET_NAME_MAX = 31


class TooLarge(Exception):
    """The rows would not fit in one spreadsheet: ask for a shorter period."""


def xlsx_bytes(sheets):
    """An XLSX workbook streamed row by row (openpyxl's write-only mode: a long export is never
    held in memory) from [(sheet name, header, rows)], each cell written by the one rule above.
    Returns (bytes, data rows written)."""
    workbook = Workbook(write_only=True)
    written = 0
    for name, header, rows in sheets:
        sheet = workbook.create_sheet(title=_sheet_name(name))
        sheet.append([_fill(WriteOnlyCell(sheet), h) for h in header])
        for count, row in enumerate(rows, start=1):
            if count > XLSX_MAX_ROWS:
                raise TooLarge(
                    f"{name} has more than {XLSX_MAX_ROWS:,} rows, too many for one "
                    "spreadsheet. Choose a shorter period."
                )
            sheet.append([_fill(WriteOnlyCell(sheet), value) for value in row])
            written += 1
    return workbook_bytes(workbook), written


def _sheet_name(name):
    for bad in "[]:*?/\\":
        name = name.replace(bad, " ")
    return name[:SHEET_NAME_MAX] or "Sheet"
