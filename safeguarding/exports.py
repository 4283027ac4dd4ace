"""The one way the service writes spreadsheets (CSV now; XLSX with the reports). Every value
that a spreadsheet would read as a formula is neutralised: a cell starting with =, +, -, @, a tab
or a carriage return gets a leading apostrophe, so it shows as text and never runs (OWASP's
advice on CSV injection). Dates and numbers are written as themselves."""

import csv
import io
from datetime import date, datetime, time

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
