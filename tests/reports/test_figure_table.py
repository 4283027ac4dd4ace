"""A figure's table rows are written out in Python (templatetags/figure_table.py) for speed:
the HTML must be what the template's loop wrote, escaping and dashes included."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.test.html import parse_html
from django.utils.safestring import mark_safe

from safeguarding.reports.figures import Result

# The table body's loop as the dashboard wrote it before the rows were written in Python.
LOOP = """{% for row in result.rows %}<tr class="govuk-table__row">{% for cell in row %}{% if forloop.first %}<th scope="row" class="govuk-table__header">{{ cell }}</th>{% else %}<td class="govuk-table__cell">{{ cell|default_if_none:"–" }}</td>{% endif %}{% endfor %}</tr>
{% empty %}<tr class="govuk-table__row"><td class="govuk-table__cell" colspan="{{ result.columns|length }}">Nothing to count.</td></tr>{% endfor %}"""  # noqa: E501


def render(source, **context):
    return parse_html(re.sub(r"\s+", " ", Template(source).render(Context(context))))


AWKWARD = Result(
    columns=["Kind", "Met", "Missed <late>", "Share"],
    rows=[
        ["Notification & <b>Panel</b>", 12, 0, "87%"],
        ['Rapid review "RR"', 1234567, None, "–"],
        [None, -1, True, Decimal("2.50")],
        [7, 3.25, date(2026, 4, 1), mark_safe("<em>kept</em>")],
        ["Agency's <script>alert(1)</script>", False, "", "é"],
        [],
        ["Only a label"],
    ],
)


@pytest.mark.parametrize(
    "result", [AWKWARD, Result(columns=["Kind", "Count"], rows=[])], ids=["awkward", "empty"]
)
def test_the_rows_are_written_as_the_template_wrote_them(result):
    written = render("{% load figure_table %}{% figure_rows result %}", result=result)
    assert written == render(LOOP, result=result)


def test_markup_in_a_figure_is_escaped_and_a_missing_figure_is_a_dash():
    html = Template("{% load figure_table %}{% figure_rows result %}").render(
        Context({"result": AWKWARD})
    )
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert '<td class="govuk-table__cell">–</td>' in html
    assert "<em>kept</em>" in html  # marked safe by the figure that made it
    assert "1234567" in html
