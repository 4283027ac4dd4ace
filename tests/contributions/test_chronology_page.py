"""The chronology page's days and entries are written out in Python (chronology_page.py) for
speed: the HTML must be what the template wrote, escaping included."""

from collections import namedtuple
from datetime import date, time

import pytest
from django.template import Context, Template
from django.test.html import parse_html

from safeguarding.contributions.chronology_page import days_html
from safeguarding.contributions.selectors import SHOWN

# The template's loops as they were before the entries were written out in Python.
TEMPLATE = Template(
    """{% for day, entries in days %}
<div class="app-chronology-day" data-testid="chronology-day">
  <h2 class="govuk-heading-s app-chronology-day__date">{{ day|date:"l j F Y" }}</h2>
  <div class="app-chronology-day__entries">
    {% for e in entries %}
    <div class="app-chronology-entry" data-testid="chronology-entry">
      <p class="govuk-body-s govuk-!-font-weight-bold govuk-!-margin-bottom-1">{{ e.agency_name }}{% if e.time %} · {{ e.time|time:"H:i" }}{% endif %}</p>
      <p class="govuk-body-s govuk-!-margin-bottom-1">{{ e.what_happened|linebreaksbr }}</p>
      {% if e.who %}<p class="govuk-hint govuk-!-font-size-16 govuk-!-margin-bottom-1">{{ e.who }}</p>{% endif %}
      {% if e.significance %}<p class="govuk-body-s govuk-!-margin-bottom-0"><strong>Significance:</strong> {{ e.significance }}</p>{% endif %}
    </div>
    {% endfor %}
  </div>
</div>
{% endfor %}"""  # noqa: E501
)


Row = namedtuple("Row", SHOWN)  # as selectors.shown reads them


def entry(agency, **fields):
    empty = {"date": None, "time": None, "who": "", "significance": ""}
    return Row(**{**empty, "agency_name": agency, "what_happened": "Seen at home", **fields})


@pytest.fixture
def days():
    police = "Northshire Police"
    school = 'St Mary\'s & "Northbridge" <Academy>'
    return [
        (
            date(2024, 3, 5),
            [
                entry(police, time=time(9, 5), who="PC 123", significance="First sighting"),
                entry(school, what_happened="Line one\r\nLine <b>two</b>\rthree\nfour & 'five'"),
            ],
        ),
        (date(2026, 12, 31), [entry(police, time=time(23, 59), significance="<script>x</script>")]),
        (date(2025, 1, 1), [entry(school, who='A "teacher"', time=time(0, 0))]),
    ]


def test_the_days_are_written_as_the_template_wrote_them(days):
    expected = TEMPLATE.render(Context({"days": days}))
    written = days_html(days)
    assert parse_html(written) == parse_html(expected)
    assert "<script>" not in written and "&lt;script&gt;" in written
    assert (
        "Tuesday 5 March 2024" in written
        and "Line one<br>Line &lt;b&gt;two&lt;/b&gt;<br>three" in written
    )


def test_no_days_write_nothing():
    assert days_html([]) == ""
