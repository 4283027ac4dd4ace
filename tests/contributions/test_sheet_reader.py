"""Reading an uploaded chronology: good files as agencies make them, and every kind of bad
file, each refused with what is wrong and where."""

import time as clock
from datetime import date, datetime, time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from safeguarding.contributions import sheet_reader
from safeguarding.contributions.sheet_reader import SheetRefused, read_sheet

from . import files
from .spreadsheets import (
    HEADINGS,
    Formula,
    csv_bytes,
    entity_bomb,
    only_vba_part,
    upload,
    with_macros,
    word_document,
    workbook,
    xlsx,
    xlsx_bytes,
)

TODAY = date(2026, 11, 24)


def read(name, data, **kwargs):
    return read_sheet(upload(name, data), today=TODAY, **kwargs)


def refused(name, data, **kwargs):
    with pytest.raises(SheetRefused) as error:
        read(name, data, **kwargs)
    return [p.text for p in error.value.problems], error.value


def test_a_workbook_as_excel_saves_it():
    data = xlsx(
        [
            [datetime(2025, 3, 12), time(14, 30), "Home visit by the health visitor.", "HV", "x"],
            ["13/03/2025", "9.05", "Text date, day first", "GP", ""],
            ["2025-03-14", None, "ISO date", None, None],
            ["15 March 2025", "2:30pm", "Date in words", None, None],
            [datetime(2025, 3, 16, 10, 15), None, "Date cell with a time in it", None, None],
            ["17/3/2025 08:40", None, "Date and time in one text cell", None, None],
            [" 18.03.2025 ", "Not known", "  Spaces, and a time not known  ", None, None],
            [datetime(2025, 3, 19), "1430hrs", '=HYPERLINK("http://x.example","typed")', 7, None],
            [datetime(2025, 3, 20), None, "Line one\r\nLine two", None, None],
        ],
        above=["Chronology – Northbridge Police", "OFFICIAL-SENSITIVE"],
        blank_rows_after=40,
    )
    sheet = read("chronology.xlsx", data)
    got = [(r.row, r.date, r.time, r.what_happened, r.who) for r in sheet.rows]
    assert got == [
        (4, date(2025, 3, 12), time(14, 30), "Home visit by the health visitor.", "HV"),
        (5, date(2025, 3, 13), time(9, 5), "Text date, day first", "GP"),
        (6, date(2025, 3, 14), None, "ISO date", ""),
        (7, date(2025, 3, 15), time(14, 30), "Date in words", ""),
        (8, date(2025, 3, 16), time(10, 15), "Date cell with a time in it", ""),
        (9, date(2025, 3, 17), time(8, 40), "Date and time in one text cell", ""),
        (10, date(2025, 3, 18), None, "Spaces, and a time not known", ""),
        (11, date(2025, 3, 19), time(14, 30), '=HYPERLINK("http://x.example","typed")', "7"),
        (12, date(2025, 3, 20), None, "Line one\nLine two", ""),
    ]
    assert sheet.file_format == "xlsx"
    assert (sheet.first_date, sheet.last_date) == (date(2025, 3, 12), date(2025, 3, 20))


def test_headings_in_another_order_with_other_names():
    data = xlsx(
        [["Seen by GP", "12/03/2025", "GP"]],
        headings=["Details", "Event date", "Practitioner role"],
    )
    (row,) = read("own.xlsx", data).rows
    assert (row.date, row.what_happened, row.who, row.time) == (
        date(2025, 3, 12),
        "Seen by GP",
        "GP",
        None,
    )


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "cp1252"])
def test_csv_as_excel_saves_it(encoding):
    data = csv_bytes(
        [
            ["12/03/2025", "14:30", "Seen in clinic; fee £0, café", "Nurse", ""],
            ["2025-03-13", "", "Two\nlines", "", "Important"],
            ["", "", "", "", ""],
        ],
        encoding=encoding,
    )
    sheet = read("chronology.csv", data)
    assert [(r.row, r.date, r.time, r.what_happened) for r in sheet.rows] == [
        (2, date(2025, 3, 12), time(14, 30), "Seen in clinic; fee £0, café"),
        (3, date(2025, 3, 13), None, "Two\nlines"),
    ]
    assert sheet.file_format == "csv"


def test_bad_rows_are_each_reported_by_row_and_column():
    data = xlsx(
        [
            ["31/02/2025", None, "Impossible day", None, None],
            ["13/25/2025", None, "Month 25, read day first", None, None],
            [datetime(2025, 3, 12), None, None, None, None],
            [datetime(2025, 3, 12), "25:61", "Bad time", "x" * 201, None],
            ["12/03/25", None, "Two-digit year", None, None],
            [45728, None, "A number, not a date", None, None],
            [datetime(2027, 1, 1), None, "In the future", None, None],
            [None, None, "No date", None, None],
            [datetime(2025, 3, 12), None, "Fine", None, None],
        ]
    )
    messages, error = refused("bad.xlsx", data)
    assert messages == [
        "Row 2, column A (Date): 31/02/2025 is not a real date: write dates day first, like "
        "12/03/2025",
        "Row 3, column A (Date): 13/25/2025 is not a real date: write dates day first, like "
        "12/03/2025",
        "Row 4, column C (What happened): Enter what happened",
        "Row 5, column B (Time): Enter the time like 14:30, or leave it blank",
        "Row 5, column D (Who in the agency): Must be 200 characters or fewer (it has 201)",
        "Row 6, column A (Date): Write the year in full, like 12/03/2025",
        "Row 7, column A (Date): The date is a plain number. Format the cell as a date, or "
        "write the date like 12/03/2025",
        "Row 8, column A (Date): 1 January 2027 is in the future",
        "Row 9, column A (Date): Enter the date",
    ]
    assert error.total == 9


def test_dates_outside_the_period_under_review():
    data = csv_bytes(
        [
            ["31/12/2024", "", "Day before", "", ""],
            ["01/01/2025", "", "First day", "", ""],
            ["30/06/2025", "", "Last day", "", ""],
            ["01/07/2025", "", "Day after", "", ""],
        ]
    )
    messages, _ = refused(
        "period.csv", data, period_from=date(2025, 1, 1), period_to=date(2025, 6, 30)
    )
    assert messages == [
        "Row 2, column A (Date): 31 December 2024 is before the period under review, which "
        "starts on 1 January 2025",
        "Row 5, column A (Date): 1 July 2025 is after the period under review, which ends on "
        "30 June 2025",
    ]


def test_a_cell_holding_a_formula_is_refused():
    data = xlsx(
        [
            [datetime(2025, 3, 12), None, "Fine", None, None],
            [datetime(2025, 3, 13), None, Formula('="Seen by "&D3'), "GP", None],
        ]
    )
    messages, _ = refused("formula.xlsx", data)
    assert messages == [
        "Row 3, column C (What happened): The cell holds a formula. Replace formulas with "
        "their values (copy the cells, then paste them as values only)"
    ]


def test_a_formula_in_the_headings_or_notes_is_refused():
    data = xlsx([[datetime(2025, 3, 12), None, "Fine"]], above=[Formula("=TODAY()")])
    messages, _ = refused("formula.xlsx", data)
    assert messages == [
        "Row 1, column A: The cell holds a formula. Replace formulas with their values"
    ]


@pytest.mark.parametrize("make", [with_macros, only_vba_part])
def test_a_workbook_with_macros_is_refused(make):
    data = make(xlsx([[datetime(2025, 3, 12), None, "Fine"]]))
    messages, _ = refused("chronology.xlsx", data)
    assert messages == [
        "The selected workbook contains macros. Save it as an Excel Workbook (.xlsx), which "
        "leaves the macros out, then upload it again"
    ]


def test_an_xlsm_by_name_is_refused():
    messages, _ = refused("chronology.xlsm", xlsx([[datetime(2025, 3, 12), None, "Fine"]]))
    assert "macro-enabled workbook (.xlsm)" in messages[0]


@pytest.mark.parametrize(
    "name, make, message",
    [
        (
            "chronology.xlsx",
            files.pdf,
            "The selected file is named .xlsx but it is not an Excel workbook. It is a PDF file.",
        ),
        (
            "chronology.xlsx",
            lambda: csv_bytes([["12/03/2025", "", "x", "", ""]]),
            "The selected file is named .xlsx but it is not an Excel workbook. If it is a CSV "
            "file, name it .csv.",
        ),
        (
            "chronology.xlsx",
            word_document,
            "The selected file is named .xlsx but it is not an Excel workbook. It is a Word "
            "document.",
        ),
        (
            "chronology.xlsx",
            lambda: b"PK\x03\x04" + b"\x00" * 100,
            "The selected file is named .xlsx but it is not an Excel workbook (it cannot be "
            "opened). Save it again as an Excel Workbook (.xlsx)",
        ),
        (
            "chronology.xlsx",
            lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600,
            "The selected file is named .xlsx but it is an older Excel file (.xls) or a "
            "workbook protected with a password. Save it as an Excel Workbook (.xlsx) without "
            "a password, then upload it again",
        ),
        (
            "chronology.csv",
            lambda: xlsx([[datetime(2025, 3, 12), None, "x"]]),
            "The selected file is named .csv but it is an Excel workbook: name it .xlsx",
        ),
        (
            "chronology.csv",
            files.png,
            "The selected file is named .csv but it is not a CSV file. It is a PNG file",
        ),
        (
            "chronology.csv",
            word_document,
            "The selected file is named .csv but it is not a CSV file. It is a DOCX file",
        ),
        (
            "chronology.xlsx",
            lambda: _corrupt_content_types(xlsx([[datetime(2025, 3, 12), None, "x"]])),
            "The selected file could not be read as an Excel workbook",
        ),
        (
            "chronology.pdf",
            files.pdf,
            "The selected file must be an Excel workbook (.xlsx) or a CSV file (.csv)",
        ),
        ("chronology.xls", files.pdf, "The selected file is an older Excel file (.xls)."),
        ("chronology.xlsx", lambda: b"", "The selected file is empty"),
        ("chronology.csv", lambda: b"", "The selected file is empty"),
    ],
)
def test_files_that_are_not_what_they_claim(name, make, message):
    messages, _ = refused(name, make())
    assert messages[0].startswith(message), messages


def _corrupt_content_types(data):
    """A workbook whose [Content_Types].xml part is damaged (its bytes changed after zipping,
    so its CRC no longer matches)."""
    start = data.index(b"[Content_Types].xml") + len(b"[Content_Types].xml")
    damaged = bytearray(data)
    for offset in range(start + 2, start + 12):
        damaged[offset] ^= 0xFF
    return bytes(damaged)


def test_a_file_with_headings_and_no_entries():
    for name, data in [
        ("empty.xlsx", xlsx([], blank_rows_after=5)),
        ("empty.csv", csv_bytes([["", "", "", "", ""]])),
    ]:
        messages, _ = refused(name, data)
        assert messages == [
            "The file has no entries. Add one row for each event below the headings"
        ]


def test_an_empty_workbook_has_no_headings():
    messages, _ = refused("blank.xlsx", xlsx_bytes(Workbook()))
    assert messages[0].startswith("The file has no column headings.")


def test_a_file_of_100000_rows_is_refused_quickly():
    rows = [[datetime(2025, 3, 12), None, f"Event {i}"] for i in range(100_000)]
    for name, data in [("big.xlsx", xlsx(rows)), ("big.csv", csv_bytes(rows))]:
        started = clock.monotonic()
        messages, _ = refused(name, data)
        assert messages == [
            "The file has more than 20,000 entries, the most one upload can hold. Keep to the "
            "period under review and the events that matter, or ask the partnership team."
        ]
        assert clock.monotonic() - started < 30


def test_rows_up_to_the_limit_are_taken(monkeypatch):
    monkeypatch.setattr(sheet_reader, "MAX_ROWS", 50)
    rows = [[datetime(2025, 3, 12), None, f"Event {i}"] for i in range(50)]
    assert len(read("fifty.xlsx", xlsx(rows)).rows) == 50
    messages, _ = refused("fifty-one.xlsx", xlsx([*rows, rows[0]]))
    assert messages[0].startswith("The file has more than 50 entries")


def test_data_on_a_second_sheet_is_refused():
    book = workbook([[datetime(2025, 3, 12), None, "First sheet"]])
    other = book.create_sheet("Police notes")
    other["C4"] = "More entries here"
    book.create_sheet("Empty")  # an empty sheet is harmless
    messages, _ = refused("two.xlsx", xlsx_bytes(book))
    assert messages == [
        'The workbook has entries on another sheet ("Police notes", cell C4). Put every '
        'entry on the first sheet ("Chronology") and delete the other sheets'
    ]


def test_an_empty_second_sheet_is_fine():
    book = workbook([[datetime(2025, 3, 12), None, "First sheet"]])
    book.create_sheet("Sheet2")
    assert len(read("two.xlsx", xlsx_bytes(book)).rows) == 1


def test_merged_cells_in_the_entries_are_refused():
    book = workbook(
        [
            [datetime(2025, 3, 12), None, "Seen at home"],
            [None, None, "Seen again, same day"],  # the date cell merged with the one above
        ]
    )
    book.active.merge_cells("A2:A3")
    messages, _ = refused("merged.xlsx", xlsx_bytes(book))
    assert messages[0] == (
        "Row 2, column A: Cells A2:A3 are merged (rows 2 to 3). Unmerge them, and fill in the "
        "cells of every row"
    )
    assert "Row 3, column A (Date): Enter the date" in messages


def test_a_merged_title_above_the_headings_is_fine():
    book = workbook([[datetime(2025, 3, 12), None, "Seen"]], above=["Police chronology"])
    book.active.merge_cells("A1:E1")
    assert len(read("title.xlsx", xlsx_bytes(book)).rows) == 1


def test_columns_the_chronology_does_not_have():
    messages, _ = refused(
        "extra.xlsx",
        xlsx(
            [[datetime(2025, 3, 12), None, "Seen", None, None, "Jo Bloggs"]],
            headings=[*HEADINGS, "Worker's name"],
        ),
    )
    assert messages == [
        "Row 1, column F: \"Worker's name\" is not one of the chronology's columns (Date, "
        "Time, What happened, Who in the agency, Significance). Move what it holds into one "
        "of them, or delete the column"
    ]
    messages, _ = refused(
        "stray.xlsx", xlsx([[datetime(2025, 3, 12), None, "Seen", None, None, None, "stray"]])
    )
    assert messages == [
        "Row 2, column G: There is something in a column with no heading. Move it into one "
        "of the chronology's columns, or delete it"
    ]


def test_no_headings_at_all():
    messages, _ = refused("plain.csv", b"12/03/2025,,Seen\n")
    assert messages[0].startswith("The file has no column headings.")


def test_an_entity_expansion_is_refused_without_expanding():
    started = clock.monotonic()
    messages, _ = refused("bomb.xlsx", entity_bomb(xlsx([[datetime(2025, 3, 12), None, "BOOM"]])))
    assert messages[0].startswith("The selected file could not be read as an Excel workbook")
    assert clock.monotonic() - started < 10


def test_a_file_over_the_upload_limit_is_refused(settings):
    settings.UPLOAD_MAX_BYTES = 1024 * 1024
    data = csv_bytes([["12/03/2025", "", "x" * 1000, "", ""]] * 1100)
    messages, _ = refused("big.csv", data)
    assert messages == ["The selected file must be smaller than 1 MB"]


def test_a_workbook_too_big_unpacked_is_refused(monkeypatch):
    monkeypatch.setattr(sheet_reader, "MAX_UNPACKED_BYTES", 1000)
    messages, _ = refused("big.xlsx", xlsx([[datetime(2025, 3, 12), None, "x"]]))
    assert messages[0].startswith("The selected file is too big once unpacked")


def test_progress_is_reported_as_rows_are_checked():
    rows = [[datetime(2025, 3, 12), None, f"Event {i}"] for i in range(5000)]
    seen = []
    read("five-thousand.xlsx", xlsx(rows), progress=lambda per_cent, note="": seen.append(note))
    assert "1,000 rows checked" in seen
    assert "5,000 rows checked" in seen


def test_problems_beyond_the_limit_are_counted_not_listed():
    rows = [["31/02/2025", None, "x"]] * 600
    _, error = refused("many.csv", csv_bytes(rows))
    assert error.total == 600
    assert len(error.problems) == sheet_reader.MAX_PROBLEMS


def test_problems_never_quote_free_text():
    data = xlsx([[None, None, "Casey Realname was seen", "x" * 300, None]])
    messages, _ = refused("names.xlsx", data)
    assert not any("Casey" in m for m in messages)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.text(max_size=300))
def test_any_text_as_csv_is_read_or_refused_never_an_error(text):
    data = ("Date,What happened\n" + text).encode("utf-8")
    try:
        read("junk.csv", data)
    except SheetRefused as error:
        assert error.problems


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.binary(max_size=600), name=st.sampled_from(["junk.xlsx", "junk.csv"]))
def test_any_bytes_are_read_or_refused_never_an_error(data, name):
    try:
        read(name, data)
    except SheetRefused as error:
        assert error.problems


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    cells=st.lists(
        st.one_of(
            st.none(),
            st.text(max_size=30),
            st.integers(-(10**6), 10**6),
            st.floats(allow_nan=True),
            st.datetimes(min_value=datetime(1800, 1, 1), max_value=datetime(2100, 1, 1)),
            st.times(),
            st.booleans(),
        ),
        min_size=5,
        max_size=5,
    )
)
def test_any_cell_values_in_a_workbook_are_read_or_refused(cells):
    book = Workbook()
    sheet = book.active
    sheet.append(HEADINGS)
    for column, value in enumerate(cells, start=1):
        cell = sheet.cell(row=2, column=column)
        try:
            cell.value = value
        except Exception:  # openpyxl refuses some text itself (control characters)
            continue
        if isinstance(value, str):
            cell.data_type = "s"
    try:
        read("junk.xlsx", xlsx_bytes(book))
    except SheetRefused as error:
        assert error.problems
