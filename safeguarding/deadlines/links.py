"""Where each kind of clock is done: the page a row on What's due or "Waiting for you" links
to. Stage apps register their kinds (the notification, the rapid review, a request); any
other clock links to its case. A link is built from the deadline and its case alone, with
no query, so a list of them costs nothing more."""

from django.urls import reverse

from safeguarding.accounts.access import may_open
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


def href_for(deadline, user=None):
    """Where the clock is met; for `user`, only if that page lets them in, else None (a link
    they cannot follow is not shown: the lead reviewer is reminded of the progress check,
    which the partners record)."""
    href = _LINKS.get(deadline.kind, case_page)(deadline)
    if user is not None and not may_open(user, href):
        return None
    return href


def href_or_case(deadline, user):
    """For something the person owes: where it is met if that page lets them in, else its
    case (or What's due for a clock without one), where they can see how it stands."""
    return href_for(deadline, user) or case_page(deadline)
