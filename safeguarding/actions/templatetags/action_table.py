"""The action table's rows, written out in Python rather than through the template's loop and
its two includes a row: the action log lists 50 actions a page, and their template work was a
quarter of the page (docs/performance.md, "Fifth round"). The same HTML the template wrote:
tests/actions/test_action_table.py renders both and compares them."""

from html import escape  # django.utils.html.escape is this, behind a lazy-string wrapper

from django import template
from django.utils.dates import MONTHS_3
from django.utils.safestring import mark_safe
from django.utils.text import Truncator

from safeguarding.paths import path_for

from ..models import Action

register = template.Library()

_CELL = '<td class="govuk-table__cell">'
_SOURCES = dict(Action.Source.choices)
_RAGS = dict(Action.Rag.choices)
_STATUSES = dict(Action.Status.choices)
_RAG_TAGS = {Action.Rag.RED: "govuk-tag--red", Action.Rag.AMBER: "govuk-tag--orange"}
_STATUS_TAGS = {
    Action.Status.CLOSED: "govuk-tag--grey",
    Action.Status.CARRIED: "govuk-tag--grey",
    Action.Status.CLOSURE_PROPOSED: "govuk-tag--blue",
}
_OVERDUE = '<strong class="govuk-tag govuk-tag--red" data-testid="overdue">Overdue</strong> '


def _text(value):
    return escape(str(value))


def _source(action):
    if action.case_id:
        text = f"{_text(action.case.reference)}<br>{_text(action.case.pseudonym)}"
    else:
        text = _text(_SOURCES.get(action.source, action.source))
    if action.source_label:
        text += (
            f'<br><span class="govuk-hint govuk-!-font-size-16">{_text(action.source_label)}</span>'
        )
    return text


def _row(action, overdue, *, with_agency):
    href = path_for("actions:detail", action.pk)
    due = action.due_date
    rag = _RAG_TAGS.get(action.rag, "govuk-tag--green")
    status = _STATUS_TAGS.get(action.status, "govuk-tag--light-blue")
    agency = f"{_CELL}{_text(action.owner_agency.name)}</td>" if with_agency else ""
    owner = _text(action.owner.full_name) if action.owner else "Not named"
    return (
        '<tr class="govuk-table__row" data-testid="action-row">'
        f'{_CELL}<a class="govuk-link" href="{escape(href)}">{_text(action.reference)}</a><br>'
        f'<span class="govuk-!-font-size-16">{_text(Truncator(action.description).chars(90))}'
        "</span></td>"
        f"{_CELL}{_source(action)}</td>{agency}{_CELL}{owner}</td>"
        f"{_CELL}{due.day} {str(MONTHS_3[due.month]).title()} {due.year}</td>"
        f'{_CELL}<strong class="govuk-tag {rag}">{_text(_RAGS.get(action.rag, action.rag))}'
        "</strong></td>"
        f'{_CELL}{_OVERDUE if overdue else ""}<strong class="govuk-tag {status}">'
        f"{_text(_STATUSES.get(action.status, action.status))}</strong></td></tr>"
    )


@register.simple_tag
def action_rows(rows, with_agency=False):
    """`{% action_rows rows with_agency=… %}`: the table body's rows, from [(action, overdue)]."""
    return mark_safe("".join(_row(a, overdue, with_agency=with_agency) for a, overdue in rows))
