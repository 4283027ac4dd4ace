"""The deadline table's rows are written out in Python (templatetags/deadline_table.py) for
speed: the HTML must be what the template's loop wrote, escaping and "Chase now" included;
and the time left reads as English ("1 working day overdue", not "1 working days")."""

import re
from datetime import date

import pytest
from django.template import Context, Template
from django.test.html import parse_html

from safeguarding.cases.models import Case
from safeguarding.deadlines.models import Deadline
from safeguarding.deadlines.rules import Kind
from safeguarding.deadlines.selectors import DeadlineRow, DeadlineState

# The table body's loop as the template wrote it before the rows were written in Python.
LOOP = """{% for row in rows %}
    <tr class="govuk-table__row">
      {% if with_case %}<td class="govuk-table__cell">{% if row.deadline.case_id %}<a class="govuk-link" href="{% url 'cases:detail' row.deadline.case.reference %}">{{ row.deadline.case.reference }}</a><br>{{ row.deadline.case.pseudonym }}{% elif row.href %}<a class="govuk-link" href="{{ row.href }}">{{ row.about }}</a>{% else %}{{ row.about }}{% endif %}</td>{% endif %}
      <td class="govuk-table__cell">{{ row.deadline.get_kind_display }}{% if not with_case %}<br><span class="govuk-hint govuk-!-font-size-16">{{ row.deadline.rule }}; from {{ row.deadline.anchor_date|date:"j F Y" }}</span>{% endif %}</td>
      <td class="govuk-table__cell" data-testid="waits-on">{{ row.waits_on }}</td>
      <td class="govuk-table__cell">{{ row.deadline.due_date|date:"j F Y" }}</td>
      <td class="govuk-table__cell">{% if row.deadline.met_on %}Done {{ row.deadline.met_on|date:"j F Y" }}{% else %}{% include "components/working_days_left.html" %}{% endif %}</td>
      <td class="govuk-table__cell">{% include "components/deadline_tag.html" %}
        {% if can_chase and row.chaseable %}<form method="post" action="{% url 'chase_now' case.reference row.deadline.pk %}">{% csrf_token %}<button type="submit" class="govuk-button govuk-button--secondary govuk-!-margin-top-2 govuk-!-margin-bottom-0" data-module="govuk-button">Chase now<span class="govuk-visually-hidden"> {{ row.deadline.get_kind_display|lower }}</span></button></form>{% endif %}
      </td>
    </tr>
  {% endfor %}"""  # noqa: E501


@pytest.fixture
def case():
    return Case(id=7, reference="NSCP-2026-007", pseudonym='Child "A" & <B>')


def row(case, pk, kind, left, state, *, met_on=None, **fields):
    deadline = Deadline(
        pk=pk,
        kind=kind,
        case=case,
        rule="15 working days <from> awareness",
        anchor_date=date(2026, 3, 2),
        due_date=date(2026, 3, 23),
        met_on=met_on,
    )
    return DeadlineRow(deadline, left, state, **fields)


@pytest.fixture
def rows(case):
    return [
        row(case, 1, Kind.AGENCY_RESPONSE, -1, DeadlineState.OVERDUE, waits_on="O'Brien & Co"),
        row(case, 2, Kind.RAPID_REVIEW, -3, DeadlineState.OVERDUE, waits_on="Tom (case lead)"),
        row(case, 3, Kind.ACTION_DUE, 0, DeadlineState.DUE_NOW),
        row(case, 4, Kind.FACTUAL_ACCURACY, 1, DeadlineState.DUE_NOW),
        row(case, 5, Kind.AGENCY_RESPONSE, 12, DeadlineState.ON_TRACK),
        row(case, 6, Kind.AGENCY_RESPONSE, None, DeadlineState.MET, met_on=date(2026, 1, 9)),
        row(case, 7, Kind.MEETING_PAPERS, None, DeadlineState.CANCELLED),
        row(
            None,
            8,
            Kind.MEETING_PAPERS,
            2,
            DeadlineState.DUE_NOW,
            href="/panel/?a=1&b=<2>",
            about="Panel meeting <5>",
        ),
        # A clock without a case whose page would not let this person in: its words, no link.
        row(None, 9, Kind.ACTION_DUE, 3, DeadlineState.ON_TRACK, href=None, about="Action <9>"),
    ]


def render(source, **context):
    html = Template(source).render(Context({"csrf_token": "tok<en>", **context}))
    return parse_html(re.sub(r"\s+", " ", html))


@pytest.mark.parametrize("with_case", [True, False])
@pytest.mark.parametrize("can_chase", [True, False])
def test_the_rows_are_written_as_the_template_wrote_them(case, rows, with_case, can_chase):
    context = {"rows": rows, "with_case": with_case, "can_chase": can_chase, "case": case}
    if not with_case:
        rows = rows[:-1]  # a clock without a case is only listed with the case column
        context["rows"] = rows
    written = render(
        "{% load deadline_table %}{% deadline_rows rows with_case=with_case can_chase=can_chase %}",
        **context,
    )
    assert written == render(LOOP, **context)
    assert ("Chase now" in str(written)) is can_chase


def test_the_time_left_reads_as_english(rows):
    assert [r.time_left for r in rows] == [
        "1 working day overdue",
        "3 working days overdue",
        "Due today",
        "1 working day left",
        "12 working days left",
        "–",
        "–",
        "2 working days left",
        "3 working days left",
    ]
