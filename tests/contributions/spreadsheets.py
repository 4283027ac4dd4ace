"""Spreadsheets made the way agencies make them, for the upload tests: with openpyxl (as Excel
would save them: date cells, time cells, text that starts with "=" typed with Excel's
apostrophe, blank rows at the end), as CSV from Excel (UTF-8 with a byte-order mark, or
Windows-1252), and hand-made zips for the files that are not what they claim."""

import csv
import io
import zipfile
from datetime import date, datetime, time

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

HEADINGS = [
    "Date",
    "Time (if known)",
    "What happened",
    "Who in the agency (role, not name)",
    "Significance",
]


class Formula(str):
    """A cell holding a real formula (what Excel saves when someone types =A1&B1)."""


def _put(sheet, row, column, value):
    cell = sheet.cell(row=row, column=column, value=value)
    if isinstance(value, Formula):
        return cell  # openpyxl writes a string starting with "=" as a formula
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"  # typed as '=... in Excel: text
        cell.quotePrefix = True
    elif isinstance(value, datetime | date):
        cell.number_format = "DD/MM/YYYY" if not isinstance(value, datetime) else "DD/MM/YYYY"
    elif isinstance(value, time):
        cell.number_format = "HH:MM"
    return cell


def workbook(rows, *, headings=HEADINGS, above=(), title="Chronology", blank_rows_after=0):
    """An .xlsx: optional note rows, the headings, the rows; then blank formatted rows, as
    Excel leaves them when someone has cleared the last rows."""
    book = Workbook()
    sheet = book.active
    sheet.title = title
    number = 1
    for line in above:
        _put(sheet, number, 1, line)
        number += 1
    if headings:
        for column, heading in enumerate(headings, start=1):
            _put(sheet, number, column, heading)
        number += 1
    for values in rows:
        for column, value in enumerate(values, start=1):
            if value is not None:
                _put(sheet, number, column, value)
        number += 1
    for _ in range(blank_rows_after):
        sheet.cell(row=number, column=1).number_format = "DD/MM/YYYY"  # formatted, empty
        number += 1
    return book


def xlsx_bytes(book):
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def xlsx(rows, **kwargs):
    return xlsx_bytes(workbook(rows, **kwargs))


def filled_template(template_bytes, rows):
    """The service's own template, downloaded and filled in below its headings."""
    book = load_workbook(io.BytesIO(template_bytes))
    sheet = book.active
    heading_row = next(
        cell.row for cell in sheet["A"] if cell.value == "Date"
    )  # the headings, below the note
    for offset, values in enumerate(rows, start=1):
        for column, value in enumerate(values, start=1):
            if value is not None:
                _put(sheet, heading_row + offset, column, value)
    return xlsx_bytes(book)


def csv_bytes(rows, *, headings=HEADINGS, encoding="utf-8-sig"):
    """As Excel saves "CSV UTF-8" (with a byte-order mark) or plain "CSV" (cp1252)."""
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    if headings:
        writer.writerow(headings)
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    return out.getvalue().encode(encoding)


def upload(name, data):
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def with_macros(xlsx_data):
    """A workbook saved with its VBA project (an .xlsm renamed .xlsx)."""
    source = zipfile.ZipFile(io.BytesIO(xlsx_data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "[Content_Types].xml":
                data = data.replace(
                    b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                    b"application/vnd.ms-excel.sheet.macroEnabled.main+xml",
                ).replace(
                    b"</Types>",
                    b'<Default Extension="bin" '
                    b'ContentType="application/vnd.ms-office.vbaProject"/></Types>',
                )
            target.writestr(item, data)
        target.writestr("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0" + b"\x00" * 512)
    return out.getvalue()


def only_vba_part(xlsx_data):
    """The VBA project added, the content types left alone: caught by the part's name."""
    source = zipfile.ZipFile(io.BytesIO(xlsx_data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(item, source.read(item.filename))
        target.writestr("xl/vbaProject.bin", b"\x00" * 64)
    return out.getvalue()


def word_document():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("_rels/.rels", "<Relationships/>")
        z.writestr("word/document.xml", "<w:document/>")
    return out.getvalue()


def entity_bomb(xlsx_data):
    """A workbook whose sheet declares an XML entity that expands a billion times ("billion
    laughs"), used in a cell."""
    source = zipfile.ZipFile(io.BytesIO(xlsx_data))
    entities = '<!ENTITY lol0 "lol">' + "".join(
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = f"<!DOCTYPE worksheet [{entities}]>".encode() + data.replace(
                    b"<t>BOOM</t>", b"<t>&lol9;</t>"
                )
                assert b"&lol9;" in data
            target.writestr(item, data)
    return out.getvalue()
