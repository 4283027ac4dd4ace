"""'Waiting for you': what each person owes, registered by each app, counted in the service
navigation on every page for a fixed number of queries."""

import re
from datetime import date, timedelta

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from rapid_reviews import services as reviews
from safeguarding import home
from safeguarding.accounts.models import Agency
from safeguarding.cases import services as case_services
from safeguarding.cases.models import Case, CaseTeamMember
from safeguarding.contributions import services as contributions

from ..helpers import counted_afresh, notify, verified_client
from ..rapid_reviews.test_services import answer_all, decide

pytestmark = pytest.mark.django_db


def owed(user):
    return [(o.text, o.case.split(" – ")[0], o.due) for o in home.waiting_for(user).items]


@pytest.fixture
def world(notified_case, partners, today):
    pdeo = partners["pdeo"]
    school = Agency.objects.create(name="Northbridge Academy", kind="education")
    police, hospital, academy = contributions.send_requests(
        case=notified_case,
        user=pdeo,
        agencies=[partners["police"], partners["hospital"], school],
        questions="q",
    )
    contributions.save_response(
        request=hospital, user=partners["hospital_contributor"], expected_version=1, summary="S"
    )
    contributions.submit_response(request=hospital, user=partners["hospital_contributor"])
    review = reviews.open_rapid_review(case=notified_case, user=pdeo)
    answer_all(review, pdeo)
    decide(review, pdeo)
    return {"case": notified_case, "police": police, "hospital": hospital, "academy": academy}


def test_the_contributor_owes_their_agencys_open_requests(world, partners):
    ref = world["case"].reference
    assert owed(partners["police_contributor"]) == [
        ("Answer the request for information", ref, date(2026, 12, 4))
    ]
    assert owed(partners["hospital_contributor"]) == []  # submitted: done their part


def test_each_partner_owes_their_sign_off_until_their_organisation_signs(world, partners):
    ref = world["case"].reference
    d5 = date(2026, 12, 7)
    expected = [("Sign off the rapid review's decision for your organisation", ref, d5)]
    # The police's Panel member may see the case but not read it until on its team, and the
    # sign-off page reads it: nothing is owed that they could not open (main's read rule).
    assert owed(partners["police_signer"]) == []
    case_services.add_team_member(
        case=world["case"],
        user=partners["police_signer"],
        role=CaseTeamMember.Role.PANEL_MEMBER,
        added_by=partners["pdeo"],
    )
    for who in ("police_signer", "la_signer", "icb_signer"):
        assert owed(partners[who]) == expected, who
    reviews.sign_off(review=world["case"].rapid_review, user=partners["police_signer"])
    assert owed(partners["police_signer"]) == []
    assert owed(partners["icb_signer"]) == expected


def test_a_sign_off_owed_reads_only_what_its_item_shows(world, partners):
    """The rapid review's sections are pages of free text about the child: the list of
    sign-offs owed reads the decision and the case's reference, never the sections, and no
    field it shows is left to a query of its own."""
    with CaptureQueriesContext(connection) as queries:
        items = home.waiting_for(partners["la_signer"]).items
    [item] = [o for o in items if o.text.startswith("Sign off")]
    review = world["case"].rapid_review
    review.refresh_from_db()
    decision = review.get_decision_display().lower()
    assert decision
    assert item.hint.startswith(f"Decision: {decision}.")
    reviews_read = [q["sql"] for q in queries if 'FROM "rapid_reviews_rapidreview"' in q["sql"]]
    assert len(reviews_read) == 1, reviews_read
    assert "child_and_family" not in reviews_read[0]
    assert item.case == f"{world['case'].reference} – {world['case'].pseudonym}"
    # A field left out and then shown would be read by a query of its own, by its id.
    deferred = r'FROM "(rapid_reviews_rapidreview|cases_case)" WHERE "\1"\."id" = \d+ LIMIT 21'
    assert not [q["sql"] for q in queries if re.search(deferred, q["sql"])]


def test_the_case_lead_owes_their_clocks_the_responses_to_review_and_the_unanswerable(
    world, partners
):
    ref = world["case"].reference
    # D1 was met when the notification was recorded, D2 (telling the partners) was not; D13s
    # are the agencies' to answer, except the academy's (nobody there has an account) and the
    # hospital's (submitted: the PDEO's to accept or return). D6 is not owed by anyone here.
    assert owed(partners["pdeo"]) == [
        ("Tell the safeguarding partners", ref, date(2026, 11, 23)),
        ("Accept or return Northbridge Hospital's response", ref, date(2026, 12, 4)),
        (
            "Get an answer from Northbridge Academy another way: nobody there has an account",
            ref,
            date(2026, 12, 4),
        ),
        ("Send the rapid review to the national Panel", ref, date(2026, 12, 7)),
    ]


def test_the_home_page_links_each_item_to_where_it_is_done(world, partners):
    html = verified_client(Client(), partners["pdeo"]).get("/").content.decode()
    assert "Waiting for you (4)" in html
    assert f'href="/requests/{world["hospital"].pk}/"' in html
    assert f'href="/cases/{world["case"].reference}/rapid-review/"' in html


def nav_count(client, url):
    client.get(url)  # warm the caches
    counted_afresh(client)  # counted afresh, and measured
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response


def test_the_navigation_count_costs_the_same_however_much_is_waiting(partners, today):
    pdeo = partners["pdeo"]
    client = verified_client(Client(), pdeo)
    url = reverse("requests:list")
    empty, response = nav_count(client, url)
    assert 'data-testid="waiting-count"' not in response.content.decode()
    for i in range(4):
        notify(pdeo, partners["hospital"], child_name=f"Child {i}", submitted_on=None)
    busy, response = nav_count(client, url)
    assert 'data-testid="waiting-count">' in response.content.decode()
    assert busy == empty, f"nothing waiting: {empty} queries, four cases: {busy}"


def test_each_source_costs_at_most_one_query_to_count(partners, world):
    """On a page: one COUNT a source, and what the sources share, read once: whether the
    person declared a conflict of interest (may_be_conflicted) and, for a PDEO, which cases
    nobody leads (cases_nobody_leads)."""
    from safeguarding.page_memo import one_page

    for who in ("pdeo", "police_contributor", "icb_signer"):
        user = partners[who]
        applicable = [s for s in home._WAITING if s.queryset(user) is not None]
        shared = 2 if who == "pdeo" else 1
        with one_page(read_only=True), CaptureQueriesContext(connection) as queries:
            home.waiting_count(user)
        assert len(queries) <= len(applicable) + shared, (who, [q["sql"] for q in queries])


def agencies_waiting(names, *, count_apart):
    """A source of the agencies with these names, in order of name, each one owed."""
    return home.WaitingSource(
        name="test_agencies",
        order=1,
        queryset=lambda user: Agency.objects.filter(name__in=names).order_by("name"),
        items=lambda objects, user: [home.Owed(text=a.name, href="/") for a in objects],
        count_apart=count_apart,
    )


@pytest.mark.parametrize("count_apart", [False, True], ids=["together", "apart"])
def test_a_source_with_nothing_waiting_costs_the_same_as_one_with_something(
    monkeypatch, partners, count_apart
):
    """Each source that concerns the person is listed and counted whether or not anything is
    waiting, so the home page's queries do not depend on the data (issue 18): one query a
    source, the count beside each row listed, or for a source that counts apart, in a
    subquery of the list's query."""
    names = ["Waiting Agency"]
    monkeypatch.setattr(home, "_WAITING", [agencies_waiting(names, count_apart=count_apart)])
    with CaptureQueriesContext(connection) as queries:
        waiting = home.waiting_for(partners["pdeo"])
    assert waiting.total == 0 and waiting.items == []
    nothing = len(queries)
    Agency.objects.create(name="Waiting Agency", kind="education")
    with CaptureQueriesContext(connection) as queries:
        waiting = home.waiting_for(partners["pdeo"])
    assert [o.text for o in waiting.items] == ["Waiting Agency"]
    assert waiting.total == 1
    assert nothing == len(queries) == 1, f"nothing: {nothing}, one: {len(queries)}"


@pytest.mark.parametrize("count_apart", [False, True], ids=["together", "apart"])
def test_the_total_counts_what_the_list_leaves_out(monkeypatch, partners, count_apart):
    """Five waiting, three listed: the total is five either way (the window count is worked
    out over the whole set, before the LIMIT), and the first three are the ones listed."""
    names = [f"Waiting Agency {i}" for i in range(5)]
    for name in names:
        Agency.objects.create(name=name, kind="education")
    monkeypatch.setattr(home, "_WAITING", [agencies_waiting(names, count_apart=count_apart)])
    waiting = home.waiting_for(partners["pdeo"], limit=3)
    assert waiting.total == 5
    assert [o.text for o in waiting.items] == names[:3]


def test_a_source_that_counts_apart_counts_only_so_far(monkeypatch, partners):
    """A PDEO who leads a thousand cases owes 9,000 clocks: a source that counts apart stops
    at COUNT_CAP (here 21, still above the 20 listed, as 1,000 is) and the pages say "more
    than": the total, the link to the rest and the navigation's badge. A source listed and
    counted together is still exact. The capped count leaves the order out (kept, PostgreSQL
    sorted the whole set to count 1,001)."""
    assert home.COUNT_CAP > home.WAITING_LIMIT  # the list never outruns the count
    monkeypatch.setattr(home, "COUNT_CAP", home.WAITING_LIMIT + 1)
    names = [f"Waiting Agency {i:02d}" for i in range(home.WAITING_LIMIT + 3)]
    Agency.objects.bulk_create([Agency(name=name, kind="education") for name in names])
    source = agencies_waiting(names, count_apart=True)
    source = home.WaitingSource(**{**source.__dict__, "more_href": lambda user: "/rest/"})
    monkeypatch.setattr(home, "_WAITING", [source])
    pdeo = partners["pdeo"]
    with CaptureQueriesContext(connection) as queries:
        waiting = home.waiting_for(pdeo)
    # One query: the list, in its order, and the capped count, in none.
    assert len(queries) == 1, [q["sql"] for q in queries]
    sql = queries[0]["sql"].upper()
    assert "COUNT(*)" in sql and sql.count("ORDER BY") == 1, sql
    assert (waiting.total, waiting.total.more_than) == (21, True)
    assert [o.text for o in waiting.items] == names[:20]
    assert waiting.more == [("At least 2 more", "/rest/")]
    assert (home.waiting_count(pdeo), home.waiting_count(pdeo).more_than) == (21, True)

    client = verified_client(Client(), pdeo)
    page = client.get("/").content.decode()
    assert "Waiting for you (more than 21)" in page
    assert "At least 2 more" in page
    assert 'data-testid="waiting-count">21+<' in page
    # Another page shows the count the home page kept: "more than" survives the cache.
    elsewhere = client.get(reverse("requests:list")).content.decode()
    assert 'data-testid="waiting-count">21+<' in elsewhere

    as_many_as_counted = names[:21]
    monkeypatch.setattr(home, "_WAITING", [agencies_waiting(as_many_as_counted, count_apart=True)])
    waiting = home.waiting_for(pdeo)
    assert (waiting.total, waiting.total.more_than) == (21, False)
    monkeypatch.setattr(home, "_WAITING", [agencies_waiting(names, count_apart=False)])
    waiting = home.waiting_for(pdeo)
    assert (waiting.total, waiting.total.more_than) == (23, False)
    counted_afresh(client)
    assert "Waiting for you (23)" in client.get("/").content.decode()


def test_the_case_leads_clocks_count_apart():
    """A PDEO may owe 9,000 clocks: listed with a window count, PostgreSQL 15 walked 80,000
    rows (docs/performance.md, "Twelfth round"), so that source counts apart, in a subquery.
    The other sources list and count together."""
    apart = {source.name for source in home._WAITING if source.count_apart}
    assert apart == {"clocks_you_lead"}


@pytest.mark.parametrize("as_list", [500, 1], ids=["ids", "subquery"])
def test_a_pdeo_answers_for_the_cases_they_lead_and_those_nobody_leads(
    partners, monkeypatch, as_list
):
    """cases_led_by: led by this person, or (for a PDEO) by nobody active; never a case another
    person leads. Read as a union of the two sets (docs/performance.md), the cases nobody leads
    as ids, or as a subquery when there are more than NOBODY_LEADS_AS_LIST (two here)."""
    from safeguarding.cases import selectors
    from safeguarding.cases.selectors import cases_led_by

    monkeypatch.setattr(selectors, "NOBODY_LEADS_AS_LIST", as_list)

    from ..factories import CaseFactory, UserFactory

    pdeo = partners["pdeo"]
    colleague = UserFactory(roles=["PDEO"])
    mine = CaseFactory(user=pdeo)
    theirs = CaseFactory(user=colleague)
    nobodys = CaseFactory(user=colleague)
    nobodys.team.filter(role=CaseTeamMember.Role.CASE_LEAD).delete()
    left = CaseFactory(user=UserFactory(roles=["PDEO"]))
    gone = left.team.get(role=CaseTeamMember.Role.CASE_LEAD).user  # their lead has left
    gone.is_active = False
    gone.save(update_fields=["is_active"])

    def led_by(person):
        return set(Case.objects.filter(pk__in=cases_led_by(person)))

    assert led_by(pdeo) == {mine, nobodys, left}
    assert led_by(colleague) == {theirs, nobodys, left}
    assert theirs not in led_by(pdeo)
    assert isinstance(selectors.cases_nobody_leads(), list) is (as_list == 500)
    # A conflict declared on a case takes it out, on a page that only reads and off one.
    from safeguarding.page_memo import one_page

    with one_page(read_only=True):
        assert led_by(pdeo) == {mine, nobodys, left}  # asked without the gate: sees every case
    case_services.declare_conflict(case=mine, user=pdeo, nature="A neighbour")
    for read_only in (True, False):
        with one_page(read_only=read_only):
            assert led_by(pdeo) == {nobodys, left}


def test_a_page_asks_once_which_cases_nobody_leads(partners, today):
    """The PDEO's home page filters four queries on the cases they answer for; the cases nobody
    leads are read once for the page, not joined again in each, and the answer is kept for the
    next page until who leads what changes (docs/performance.md; tests/cases/test_nobody_leads)."""
    from safeguarding.cases.selectors import forget_cases_nobody_leads

    from ..factories import CaseFactory

    pdeo = partners["pdeo"]
    unled = CaseFactory(user=pdeo)
    unled.team.filter(role=CaseTeamMember.Role.CASE_LEAD).delete()
    client = verified_client(Client(), pdeo)

    def unled_reads():
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/")
        assert response.status_code == 200
        return [
            q["sql"]
            for q in queries.captured_queries
            if re.search(r'NOT \(?EXISTS\(SELECT \S+ AS "a" FROM "cases_caseteammember"', q["sql"])
        ]

    forget_cases_nobody_leads()
    assert len(unled_reads()) == 1
    assert unled_reads() == []


def badge(client, url):
    found = re.search(r'data-testid="waiting-count">(\d+)<', client.get(url).content.decode())
    return int(found.group(1)) if found else 0


def test_the_navigation_keeps_the_count_a_minute_and_counts_afresh_after_a_post(partners, today):
    """Counting every source on every page was up to half a page's time: the count is kept
    per person for a minute. The home page always counts afresh (and the navigation shows
    that), and anything the person sends makes the next page count again."""
    pdeo = partners["pdeo"]
    client = verified_client(Client(), pdeo)
    url = reverse("requests:list")
    first, response = nav_count(client, url)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    assert len(queries) < first  # kept: nothing counted
    assert badge(client, url) == 0
    notify(pdeo, partners["hospital"], child_name="Child K", submitted_on=None)
    one = home.waiting_count(pdeo)
    assert one > 0 and badge(client, url) == 0  # kept for the minute
    assert f"Waiting for you ({one})" in client.get("/").content.decode()
    assert badge(client, url) == one  # the home page counted afresh
    notify(pdeo, partners["hospital"], child_name="Child L", submitted_on=None)
    client.post(reverse("accounts:preferences"), {"reminder_preference": "daily"})
    two = home.waiting_count(pdeo)
    assert two > one and badge(client, url) == two  # forgotten after the POST
    with time_machine.travel(timezone.now() + timedelta(seconds=home.WAITING_COUNT_SECONDS + 1)):
        notify(pdeo, partners["hospital"], child_name="Child M", submitted_on=None)
        three = home.waiting_count(pdeo)
        assert three > two and badge(client, url) == three  # a minute on: counted again


def test_the_case_leads_clocks_show_the_state_the_clocks_table_shows(world, partners):
    """An owed clock's tag is worked out from its dates alone (no "waits on": the reader is
    whom it waits on), and says what What's due and the case page say: overdue, due soon, on
    track, a missed one recorded late."""
    from safeguarding.deadlines import home as clock_home
    from safeguarding.deadlines import selectors as clock_selectors
    from safeguarding.deadlines.models import Deadline

    pdeo = partners["pdeo"]
    clocks = list(clock_home.clocks_you_lead(pdeo))
    assert len(clocks) >= 2
    first = clocks[0]
    Deadline.objects.filter(pk=first.pk).update(
        status=Deadline.Status.MISSED, met_on=first.due_date + timedelta(days=3)
    )
    first.refresh_from_db()
    clocks = [first, *clocks[1:]]
    for when in (date(2026, 11, 16), date(2026, 11, 30), date(2026, 12, 20)):
        with time_machine.travel(when, tick=False):
            shown = clock_home.clock_items(clocks, pdeo)
            table = clock_selectors.rows(clocks)
        assert [(o.status, o.status_class) for o in shown] == [
            (row.state_label, row.tag_class) for row in table
        ]
    assert {o.status for o in shown} >= {"Missed", "Overdue"}
