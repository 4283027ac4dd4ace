"""The integrated chronology page's days and entries, written out here rather than by the
template's loops: a page holds up to 500 entries, and the template's nodes, lookups, filters
and Django's lazy-string escaping for each were about half of the page's time
(docs/performance.md, "Fifth round"). The same HTML the template wrote:
tests/contributions/test_chronology_page.py renders both and compares them."""

from html import escape  # django.utils.html.escape is this, behind a lazy-string wrapper

from django.utils.dates import MONTHS, WEEKDAYS
from django.utils.safestring import mark_safe


def _with_breaks(text):
    """Django's linebreaksbr: escaped, every kind of newline a <br>."""
    return escape(text).replace("\r\n", "\n").replace("\r", "\n").replace("\n", "<br>")


def _entry(entry):
    time = f" · {entry.time:%H:%M}" if entry.time else ""
    who = (
        '<p class="govuk-hint govuk-!-font-size-16 govuk-!-margin-bottom-1">'
        f"{escape(entry.who)}</p>"
        if entry.who
        else ""
    )
    significance = (
        '<p class="govuk-body-s govuk-!-margin-bottom-0"><strong>Significance:</strong> '
        f"{escape(entry.significance)}</p>"
        if entry.significance
        else ""
    )
    return (
        '<div class="app-chronology-entry" data-testid="chronology-entry">'
        '<p class="govuk-body-s govuk-!-font-weight-bold govuk-!-margin-bottom-1">'
        f"{escape(entry.agency_name)}{time}</p>"
        f'<p class="govuk-body-s govuk-!-margin-bottom-1">{_with_breaks(entry.what_happened)}</p>'
        f"{who}{significance}</div>"
    )


def _names():
    """The weekdays' and months' names in the active language, translated once a page rather
    than twice a day (a page of 500 entries spans up to 500 days)."""
    return [str(name) for _, name in sorted(WEEKDAYS.items())], {
        number: str(name) for number, name in MONTHS.items()
    }


def day_title(day, names):
    """ "Tuesday 5 March 2024", as the date filter's "l j F Y" writes it."""
    weekdays, months = names
    return f"{weekdays[day.weekday()]} {day.day} {months[day.month]} {day.year}"


def _day(day, entries, names):
    return (
        '<div class="app-chronology-day" data-testid="chronology-day">'
        f'<h2 class="govuk-heading-s app-chronology-day__date">{day_title(day, names)}</h2>'
        f'<div class="app-chronology-day__entries">{"".join(map(_entry, entries))}</div></div>'
    )


def days_html(days):
    """[(date, [rows of selectors.SHOWN])] -> the HTML of every day, each day's entries side
    by side."""
    names = _names()
    return mark_safe("".join(_day(day, entries, names) for day, entries in days))
