"""No N+1: the case list and the case page cost the same number of queries however much
there is on them."""

from datetime import date

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from safeguarding.accounts.models import Agency
from safeguarding.accounts.roles import Role
from safeguarding.cases import services

from ..helpers import notify, page_queries, page_reads, reads_beyond_its_lines, verified_client

pytestmark = pytest.mark.django_db


def notified_case(pdeo, agency, children=1, escalations=0):
    case = notify(pdeo, agency, child_name="First Child", nature="lac_death", submitted_on=None)
    for i in range(children - 1):
        services.add_child(case=case, name=f"Sibling {i}", age_years=i)
    for i in range(escalations):
        services.record_escalation(
            case=case,
            user=pdeo,
            issue=f"Issue {i}",
            escalated_to=agency,
            escalated_on=date(2026, 11, 3),
        )
    case.agencies_involved.add(*Agency.objects.all())
    return case


@pytest.fixture
def agency():
    return Agency.objects.create(name="Northbridge Police", kind="police")


def test_case_list_queries_do_not_grow_with_cases(make_user, agency):
    pdeo = make_user(Role.PDEO)
    client = verified_client(Client(), pdeo)
    for _ in range(5):
        notified_case(pdeo, agency)
    five = page_queries(client, reverse("cases:list"))
    for _ in range(45):
        notified_case(pdeo, agency)
    fifty = page_queries(client, reverse("cases:list"))
    assert five == fifty, f"5 cases: {five} queries, 50 cases: {fifty}"


def test_the_case_list_reads_only_what_its_rows_show(make_user, agency):
    """A row shows the case's reference, pseudonym, nature, stage, children and next clock:
    the list never reads the outline (free text about the child), and no field a row shows
    is left to a query of its own."""
    pdeo = make_user(Role.PDEO)
    cases = [notified_case(pdeo, agency, children=2) for _ in range(3)]
    html, selects = page_reads(verified_client(Client(), pdeo), reverse("cases:list"))
    for case in cases:
        assert case.reference in html and case.pseudonym in html
    assert escape(cases[0].get_nature_display()) in html
    assert not reads_beyond_its_lines(selects)


def test_case_page_queries_do_not_grow_with_children_or_history(make_user, agency):
    pdeo = make_user(Role.PDEO)
    client = verified_client(Client(), pdeo)
    small = notified_case(pdeo, agency, children=1)
    big = notified_case(pdeo, agency, children=4, escalations=6)
    for _ in range(3):
        Agency.objects.create(name=f"Extra {_}", kind="other")
    big.agencies_involved.add(*Agency.objects.all())
    for user in (make_user(Role.PANEL_MEMBER), make_user(Role.LEAD_REVIEWER)):
        services.add_team_member(case=big, user=user, role="crp_member", added_by=pdeo)
    one = page_queries(client, reverse("cases:detail", kwargs={"reference": small.reference}))
    four = page_queries(client, reverse("cases:detail", kwargs={"reference": big.reference}))
    assert one == four, f"1 child: {one} queries, 4 children: {four}"


def test_whats_due_queries_do_not_grow_with_deadlines(make_user, agency):
    pdeo = make_user(Role.PDEO)
    client = verified_client(Client(), pdeo)
    notified_case(pdeo, agency)
    few = page_queries(client, reverse("whats_due"))
    for _ in range(10):
        notified_case(pdeo, agency)
    many = page_queries(client, reverse("whats_due"))
    assert few == many


@pytest.mark.parametrize("section", ["overview", "referral", "rapid-review", "agencies", "team"])
def test_every_case_page_section_costs_the_same_however_much_is_on_it(make_user, agency, section):
    pdeo = make_user(Role.PDEO)
    client = verified_client(Client(), pdeo)
    small = notified_case(pdeo, agency, children=1)
    big = notified_case(pdeo, agency, children=4, escalations=6)
    for user in (make_user(Role.PANEL_MEMBER), make_user(Role.LEAD_REVIEWER)):
        services.add_team_member(case=big, user=user, role="crp_member", added_by=pdeo)
    url = reverse("cases:detail", kwargs={"reference": small.reference})
    one = page_queries(client, f"{url}?section={section}")
    url = reverse("cases:detail", kwargs={"reference": big.reference})
    four = page_queries(client, f"{url}?section={section}")
    assert one == four, f"{section}: small case {one} queries, big case {four}"


def test_the_history_is_paged_and_each_page_costs_the_same(make_user, agency):
    pdeo = make_user(Role.PDEO)
    client = verified_client(Client(), pdeo)
    case = notified_case(pdeo, agency, children=1)
    url = reverse("cases:detail", kwargs={"reference": case.reference}) + "?section=history"
    short = page_queries(client, url)
    for i in range(30):
        services.add_child(case=case, name=f"Another {i}", age_years=3)
    first, response = page_queries(client, url), client.get(url)
    assert first == short
    assert len(response.context["timeline"]) == 25
    assert response.context["page"].paginator.num_pages >= 2
    last = client.get(url + f"&page={response.context['page'].paginator.num_pages}")
    assert "Case created" in last.content.decode()  # the oldest entry is on the last page
    assert "Case created" not in response.content.decode()


def test_the_case_page_reads_its_notification_and_rapid_review_once(make_user, agency):
    """The next steps of the notification, the rapid review and the local review each ask for
    the case's notification or rapid review: each is read once a page, and the steps still
    follow from what was read (the notification recorded: start the rapid review; started:
    continue it)."""
    from rapid_reviews import services as rapid_review_services

    pdeo = make_user(Role.PDEO)
    client = verified_client(Client(), pdeo)
    case = notify(pdeo, agency, child_name="First Child", nature="lac_death")
    page = reverse("cases:detail", kwargs={"reference": case.reference})

    def read():
        client.get(page)
        with CaptureQueriesContext(connection) as queries:
            html = client.get(page).content.decode()
        tables = ("notifications_notification", "rapid_reviews_rapidreview")
        reads = {t: sum(f'FROM "{t}"' in q["sql"] for q in queries) for t in tables}
        return html, reads

    html, reads = read()
    assert "Start the rapid review" in html
    assert reads == {"notifications_notification": 1, "rapid_reviews_rapidreview": 1}, reads
    rapid_review_services.open_rapid_review(case=case, user=pdeo)
    html, reads = read()
    assert "Continue the rapid review" in html and "Start the rapid review" not in html
    assert reads == {"notifications_notification": 1, "rapid_reviews_rapidreview": 1}, reads
