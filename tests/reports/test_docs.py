from pathlib import Path

from safeguarding.reports.management.commands.report_definitions import render

DOCS = Path(__file__).resolve().parents[2] / "docs" / "reports.md"


def test_the_definitions_in_the_docs_are_the_ones_on_the_page():
    """Every figure's definition is in docs/reports.md, word for word: rewrite it with
    `python manage.py report_definitions > docs/reports.md` after changing a figure."""
    assert DOCS.read_text().strip() == render().strip()
