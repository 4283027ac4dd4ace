"""The case page's headline (its next clock and how many more are waited for) and its clocks
panel read the case's clocks once a page; the headline picks the unmet ones in Python, so
`Deadline.is_unmet` must say what UNMET says."""

from datetime import date

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from safeguarding.deadlines.models import UNMET, Deadline
from safeguarding.deadlines.rules import Kind

from ..factories import CaseFactory, UserFactory
from ..helpers import verified_client

pytestmark = pytest.mark.django_db

S = Deadline.Status


@pytest.fixture
def pdeo():
    return UserFactory(roles=["PDEO"])


@pytest.fixture
def clocks(pdeo):
    """A clock for every status, with and without a date met, on one case."""
    case = CaseFactory(user=pdeo)
    made = {}
    for n, (status, met_on, due) in enumerate(
        [
            (S.MET, date(2026, 11, 2), date(2026, 11, 3)),
            (S.CANCELLED, None, date(2026, 11, 4)),
            (S.MISSED, date(2026, 11, 20), date(2026, 11, 5)),  # missed, then recorded late
            (S.MISSED, None, date(2026, 11, 9)),  # overdue: the next clock
            (S.OPEN, None, date(2026, 12, 1)),
            (S.OPEN, None, date(2026, 12, 8)),
        ]
    ):
        made[(status, met_on is not None)] = Deadline.objects.create(
            kind=Kind.AGENCY_RESPONSE,
            case=case,
            content_type=ContentType.objects.get_for_model(case),
            object_id=1000 + n,
            anchor_date=date(2026, 10, 1),
            rule="5 working days",
            limit=5,
            unit="working_days",
            due_date=due,
            status=status,
            met_on=met_on,
        )
    return case


def test_is_unmet_says_what_the_query_says_for_every_status(clocks):
    by_query = set(Deadline.objects.filter(UNMET).values_list("pk", flat=True))
    in_python = {clock.pk for clock in Deadline.objects.all() if clock.is_unmet}
    assert by_query == in_python and len(by_query) == 3


def test_the_headline_is_the_soonest_clock_waited_for_and_counts_the_rest(pdeo, clocks):
    client = verified_client(Client(), pdeo)
    url = reverse("cases:detail", args=[clocks.reference])
    for section in ("", "?section=history"):
        with CaptureQueriesContext(connection) as queries:
            html = client.get(url + section).content.decode()
        shown = html.split('data-testid="next-deadline">')[1].split("</dd>")[0]
        assert "due 9 November 2026" in shown and "and 2 more not yet met" in shown
        # The case's clocks are read once, whether the clocks panel is on the page or not.
        reads = [
            q["sql"]
            for q in queries.captured_queries
            if q["sql"].startswith('SELECT "deadlines_deadline"."id"')
            and f'"deadlines_deadline"."case_id" = {clocks.pk}' in q["sql"]
        ]
        assert len(reads) == 1, reads
        assert not [
            q
            for q in queries.captured_queries
            if "COUNT(*)" in q["sql"]
            and f'"deadlines_deadline"."case_id" = {clocks.pk}' in q["sql"]
        ]


def test_on_the_overview_the_headline_takes_whom_its_clock_waits_on_from_the_clocks_panel(
    pdeo, clocks
):
    """Whom each clock waits on is worked out once on the overview, for the clocks panel;
    the headline takes its clock's from there. Elsewhere it works out its own, the same."""
    client = verified_client(Client(), pdeo)
    url = reverse("cases:detail", args=[clocks.reference])
    waits_on = {}
    for section in ("", "?section=history"):
        with CaptureQueriesContext(connection) as queries:
            html = client.get(url + section).content.decode()
        waits_on[section] = html.split('data-testid="next-waits-on">')[1].split("</dd>")[0]
        # An agency response waits on the request's agency: one read of the requests a page.
        asked = [
            q["sql"]
            for q in queries.captured_queries
            if q["sql"].startswith(
                'SELECT "contributions_informationrequest"."id" AS "pk", "accounts_agency"."name"'
            )
        ]
        assert len(asked) == 1, asked
    assert waits_on[""] == waits_on["?section=history"] != ""
