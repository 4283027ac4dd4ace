"""The deadline table's rows, written out in Python rather than through the template's loop
and its two includes a row: What's due lists up to 100 clocks, and their template work was a
third of the page (docs/performance.md, "Fifth round"). The same HTML the template wrote:
tests/deadlines/test_deadline_table.py renders both and compares them."""

from html import escape  # django.utils.html.escape is this, behind a lazy-string wrapper

from django import template
from django.utils.dates import MONTHS
from django.utils.safestring import mark_safe

from safeguarding.paths import path_for

from ..rules import KIND_LABELS

register = template.Library()

_CELL = '<td class="govuk-table__cell">'


def _day(value):
    """As the date filter's "j F Y" writes it: "5 March 2024"."""
    return f"{value.day} {MONTHS[value.month]} {value.year}"


def _time_left(row):
    return f"Done {_day(row.deadline.met_on)}" if row.deadline.met_on else row.time_left


def _case_cell(row):
    deadline = row.deadline
    if deadline.case_id:
        case = deadline.case
        href = path_for("cases:detail", case.reference)
        return (
            f'{_CELL}<a class="govuk-link" href="{escape(href)}">{escape(case.reference)}</a>'
            f"<br>{escape(case.pseudonym)}</td>"
        )
    if row.href is None:  # its page would not let this person in
        return f"{_CELL}{escape(str(row.about))}</td>"
    return (
        f'{_CELL}<a class="govuk-link" href="{escape(row.href)}">{escape(str(row.about))}</a></td>'
    )


def _row(row, *, with_case, chase):
    deadline = row.deadline
    kind = KIND_LABELS.get(deadline.kind, deadline.kind)
    what = escape(kind)
    if not with_case:
        what += (
            '<br><span class="govuk-hint govuk-!-font-size-16">'
            f"{escape(str(deadline.rule))}; from {_day(deadline.anchor_date)}</span>"
        )
    form = ""
    if chase is not None and row.chaseable:
        case, csrf_input = chase
        action = path_for("chase_now", case.reference, deadline.pk)
        form = (
            f'<form method="post" action="{escape(action)}">{csrf_input}'
            '<button type="submit" class="govuk-button govuk-button--secondary '
            'govuk-!-margin-top-2 govuk-!-margin-bottom-0" data-module="govuk-button">'
            f'Chase now<span class="govuk-visually-hidden"> {escape(kind.lower())}</span>'
            "</button></form>"
        )
    return (
        '<tr class="govuk-table__row">'
        f"{_case_cell(row) if with_case else ''}"
        f"{_CELL}{what}</td>"
        f'<td class="govuk-table__cell" data-testid="waits-on">{escape(str(row.waits_on))}</td>'
        f"{_CELL}{_day(deadline.due_date)}</td>"
        f"{_CELL}{_time_left(row)}</td>"
        f'{_CELL}<strong class="govuk-tag {row.tag_class}">{escape(str(row.state_label))}</strong>'
        f"{form}</td></tr>"
    )


@register.simple_tag(takes_context=True)
def deadline_rows(context, rows, with_case=False, can_chase=False):
    """`{% deadline_rows rows with_case=… can_chase=… %}`: the table body's rows. "Chase now"
    posts to the page's `case`, with the request's CSRF token, as {% csrf_token %} writes it."""
    chase = None
    if can_chase:
        token = str(context.get("csrf_token") or "")
        csrf_input = (
            f'<input type="hidden" name="csrfmiddlewaretoken" value="{escape(token)}">'
            if token and token != "NOTPROVIDED"
            else ""
        )
        chase = (context["case"], csrf_input)
    return mark_safe("".join(_row(row, with_case=with_case, chase=chase) for row in rows))
