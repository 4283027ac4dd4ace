"""The action table's rows are written out in Python (templatetags/action_table.py) for
speed: the HTML must be what the template's loop wrote, escaping and tags included."""

import re
from datetime import date

import pytest
from django.template import Context, Template
from django.test.html import parse_html

from safeguarding.accounts.models import Agency, User
from safeguarding.actions.models import Action
from safeguarding.cases.models import Case

# The table body's loop as the template wrote it before the rows were written in Python.
LOOP = """{% for action, overdue in rows %}
    <tr class="govuk-table__row" data-testid="action-row">
      <td class="govuk-table__cell"><a class="govuk-link" href="{% url 'actions:detail' action.pk %}">{{ action.reference }}</a><br><span class="govuk-!-font-size-16">{{ action.description|truncatechars:90 }}</span></td>
      <td class="govuk-table__cell">{% if action.case_id %}{{ action.case.reference }}<br>{{ action.case.pseudonym }}{% else %}{{ action.get_source_display }}{% endif %}{% if action.source_label %}<br><span class="govuk-hint govuk-!-font-size-16">{{ action.source_label }}</span>{% endif %}</td>
      {% if with_agency %}<td class="govuk-table__cell">{{ action.owner_agency.name }}</td>{% endif %}
      <td class="govuk-table__cell">{% if action.owner %}{{ action.owner.full_name }}{% else %}Not named{% endif %}</td>
      <td class="govuk-table__cell">{{ action.due_date|date:"j M Y" }}</td>
      <td class="govuk-table__cell">{% include "actions/_rag.html" with rag=action.rag label=action.get_rag_display %}</td>
      <td class="govuk-table__cell">{% include "actions/_status.html" %}</td>
    </tr>
  {% endfor %}"""  # noqa: E501


@pytest.fixture
def rows():
    police = Agency(id=1, name="Northshire Police & <Crime>")
    case = Case(id=3, reference="NSCP-2026-003", pseudonym='Child "C"')
    owner = User(id=4, email="o@example.org", full_name="Sam O'Neill")

    def action(pk, **fields):
        fields = {"description": "Audit the <b>referrals</b> & report", **fields}
        return Action(pk=pk, owner_agency=police, due_date=date(2026, 9, 4), **fields)

    return [
        (action(1, case=case, owner=owner, rag="red", source_label="Recommendation 2"), True),
        (action(2, source="action_log", rag="amber", status="closure_proposed"), False),
        (action(3, source="other", status="closed", description="é" * 120), False),
        (action(4, case=case, status="carried", source_label="<Panel 5>"), True),
        (action(5, source="recommendation"), False),
    ]


def render(source, **context):
    return parse_html(re.sub(r"\s+", " ", Template(source).render(Context(context))))


@pytest.mark.parametrize("with_agency", [True, False])
def test_the_rows_are_written_as_the_template_wrote_them(rows, with_agency):
    written = render(
        "{% load action_table %}{% action_rows rows with_agency=with_agency %}",
        rows=rows,
        with_agency=with_agency,
    )
    assert written == render(LOOP, rows=rows, with_agency=with_agency)
    assert ("Northshire Police" in str(written)) is with_agency
    assert "4 Sep 2026" in str(written)
