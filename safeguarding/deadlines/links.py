"""Where each kind of clock is done: the page a row on What's due or "Waiting for you" links
to. Stage apps register their kinds (the notification, the rapid review, a request); any
other clock links to its case. A link is built from the deadline and its case alone, with
no query, so a list of them costs nothing more."""

from django.urls import reverse

from safeguarding.paths import path_for

_LINKS = {}


def register(kind, link):
    """`link(deadline)` -> the path where the clock's event is recorded. The deadline comes
    with its case (select_related)."""
    _LINKS[kind] = link


def case_page(deadline):
    """The clock's case; What's due for a clock without a case whose kind registered no page."""
    if deadline.case_id is None:
        return reverse("whats_due")
    return path_for("cases:detail", deadline.case.reference)


def href_for(deadline):
    return _LINKS.get(deadline.kind, case_page)(deadline)
