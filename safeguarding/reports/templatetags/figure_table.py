"""The rows of a figure's data table, written out in Python rather than through the template's
two nested loops: the reports dashboard shows 13 figures and about 600 cells, and rendering
them was a quarter of the page's Python time (docs/performance.md, "Seventh round"). The same
HTML the template wrote: tests/reports/test_figure_table.py renders both and compares them."""

from html import escape  # django.utils.html.escape is this, behind a lazy-string wrapper

from django import template
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

register = template.Library()


def _text(value):
    """`{{ value }}`: what the template wrote, with a quick way for the usual int and str."""
    if type(value) is int:
        return str(value)  # no thousands separator is set, so localize() writes just this
    if type(value) is str:
        return escape(value)
    return conditional_escape(localize(value))


def _row(row):
    if not row:
        return '<tr class="govuk-table__row"></tr>'
    first, *rest = row
    cells = "".join(
        f'<td class="govuk-table__cell">{"–" if cell is None else _text(cell)}</td>'
        for cell in rest
    )
    return (
        f'<tr class="govuk-table__row"><th scope="row" class="govuk-table__header">'
        f"{_text(first)}</th>{cells}</tr>"
    )


@register.simple_tag
def figure_rows(result):
    """`{% figure_rows result %}`: the table body's rows, or a row saying there is nothing."""
    if not result.rows:
        return mark_safe(
            '<tr class="govuk-table__row"><td class="govuk-table__cell" '
            f'colspan="{len(result.columns)}">Nothing to count.</td></tr>'
        )
    return mark_safe("".join(_row(row) for row in result.rows))
