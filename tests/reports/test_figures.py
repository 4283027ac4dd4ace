"""Every figure against a small data set whose answers are worked out here by hand, from the
calendar and the definitions on the page, not by the code under test."""

from datetime import UTC, date, datetime

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from safeguarding.accounts.roles import Role
from safeguarding.deadlines import services as deadlines
from safeguarding.deadlines.models import Deadline
from safeguarding.deadlines.rules import Kind
from safeguarding.reports import figures
from safeguarding.reports.periods import Period, reporting_year, reporting_year_starting

from ..factories import CaseFactory
from ..helpers import index_plan, verified_client

pytestmark = pytest.mark.django_db
YEAR = reporting_year_starting(2026)  # 1 April 2026 to 31 March 2027


def clock(kind, anchor, done=None):
    case = CaseFactory()
    with time_machine.travel(date(2027, 6, 1), tick=False):
        deadline = deadlines.open_deadline(kind=kind, obj=case, case=case, anchor_date=anchor)
        if done:
            deadlines.record_event(kind=kind, obj=case, on=done)
    deadline.refresh_from_db()
    return deadline


def headline(key, period=YEAR):
    return figures.figure(key).compute(period).headline


def rows(key, period=YEAR):
    return {row[0]: row[1:] for row in figures.figure(key).compute(period).rows}


def test_the_reporting_year_runs_april_to_march():
    assert reporting_year(date(2027, 3, 31)) == YEAR
    assert reporting_year(date(2026, 4, 1)) == YEAR
    assert reporting_year(date(2026, 3, 31)).start == date(2025, 4, 1)
    assert YEAR.label == "Reporting year 2026 to 2027"


def test_notifications_on_time_counts_by_the_awareness_date():
    # Aware Thursday 24 December 2026. Working days after it: Tue 29, Wed 30, Thu 31 December
    # (25 Dec is Christmas, 28 Dec the Boxing Day substitute), Mon 4 January (1 Jan is New
    # Year's Day), Tue 5 January. So D1 is due on 5 January 2027.
    christmas = clock(Kind.NOTIFY_NATIONAL_PANEL, date(2026, 12, 24), done=date(2027, 1, 5))
    assert christmas.due_date == date(2027, 1, 5) and christmas.status == "met"
    clock(Kind.NOTIFY_NATIONAL_PANEL, date(2026, 12, 24), done=date(2027, 1, 6))  # a day late
    # Aware 26 March 2027 (in this year), notified in April (the next): counted in this year.
    clock(Kind.NOTIFY_NATIONAL_PANEL, date(2027, 3, 26), done=date(2027, 4, 1))
    # Aware 31 March 2026: last year's; not counted here.
    clock(Kind.NOTIFY_NATIONAL_PANEL, date(2026, 3, 31), done=date(2026, 4, 1))
    # Aware 1 February 2027 and never notified: by 1 June 2027 its date has long passed (late).
    clock(Kind.NOTIFY_NATIONAL_PANEL, date(2027, 2, 1))
    assert rows("notifications_on_time") == {
        "Notified within 5 working days": [2],
        "Late": [2],
        "Not yet due": [0],
    }
    assert headline("notifications_on_time") == "50% on time (2 of 4)"
    previous = reporting_year_starting(2025)
    assert headline("notifications_on_time", previous) == "100% on time (1 of 1)"


def test_a_clock_not_yet_due_is_counted_apart():
    with time_machine.travel(date(2026, 11, 2), tick=False):
        case = CaseFactory()
        deadlines.open_deadline(
            kind=Kind.RAPID_REVIEW, obj=case, case=case, anchor_date=date(2026, 11, 2)
        )
        result = rows("rapid_reviews_on_time")
    assert result == {"Sent within 15 working days": [0], "Late": [0], "Not yet due": [1]}


def test_cancelled_clocks_are_left_out():
    deadline = clock(Kind.RAPID_REVIEW, date(2026, 6, 1), done=date(2026, 6, 5))
    Deadline.objects.filter(pk=deadline.pk).update(status=Deadline.Status.CANCELLED)
    assert headline("rapid_reviews_on_time") == "– on time (0 of 0)"


def test_any_dates_as_well_as_years():
    clock(Kind.PANEL_REPLY, date(2026, 9, 1), done=date(2026, 9, 2))
    clock(Kind.PANEL_REPLY, date(2026, 10, 1), done=date(2026, 10, 30))  # 21 working days
    september = Period(date(2026, 9, 1), date(2026, 9, 30))
    assert headline("panel_replies", september) == "100% on time (1 of 1)"
    assert headline("panel_replies") == "50% on time (1 of 2)"


def test_cases_by_stage_and_referrals(partners, today):
    from ..helpers import notify, refer

    notify(partners["pdeo"], partners["la"], child_name="One")
    refer(partners["pdeo"], partners["la"], child_name="Two")
    result = rows("cases_by_stage")
    assert result["Notification"] == [1] and result["Referral"] == [1]
    assert headline("cases_by_stage") == "2 cases recorded, 0 closed since"
    screened = rows("referrals")
    assert screened["Notify as a serious incident"] == [1]
    assert screened["Not yet screened"] == [1]
    assert headline("referrals") == "2 referrals, 1 notified"


def test_the_dashboard_makes_the_same_number_of_queries_whatever_the_data(make_user):
    client = verified_client(Client(), make_user(Role.BUSINESS_MANAGER))
    url = reverse("reports:dashboard")
    client.get(url)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    few = count()
    for n in range(40):
        clock(Kind.NOTIFY_NATIONAL_PANEL, date(2026, 5, 1 + n % 28), done=date(2026, 6, 1))
        clock(Kind.RAPID_REVIEW, date(2026, 7, 1 + n % 28))
    assert count() == few


def test_the_dashboard_reads_every_timeliness_figure_in_one_query(make_user, today):
    """The dashboard shows every timeliness figure: it reads them together, in one query kept
    for the page, and each says what it says computed alone (as the yearly pack and the
    highlight report compute it, outside a page)."""
    clock(Kind.NOTIFY_NATIONAL_PANEL, date(2026, 5, 4), done=date(2026, 5, 5))
    clock(Kind.NOTIFY_NATIONAL_PANEL, date(2026, 5, 4), done=date(2026, 6, 5))  # late
    clock(Kind.RAPID_REVIEW, date(2026, 6, 1), done=date(2026, 6, 5))
    clock(Kind.LCSPR_PUBLISHED, date(2026, 11, 2))  # not yet due
    keys = [f.key for f in figures.all_figures() if f.group == "timeliness"]
    alone = {key: headline(key) for key in keys}
    assert alone["notifications_on_time"] == "50% on time (1 of 2)"
    assert alone["rapid_reviews_on_time"] == "100% on time (1 of 1)"
    assert len(keys) == 5
    client = verified_client(Client(), make_user(Role.BUSINESS_MANAGER))
    url = reverse("reports:dashboard")
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        html = client.get(url).content.decode()
    for key in keys:
        section = html.split(f'data-testid="figure-{key}"')[1].split("</section>")[0]
        assert f'data-testid="headline">{alone[key]}</p>' in section, key
    anchored = [q["sql"] for q in queries if '"deadlines_deadline"."anchor_date"' in q["sql"]]
    assert len(anchored) == 1, anchored
    if connection.vendor == "postgresql":
        plan = index_plan(anchored[0])
        assert "Index Only Scan using deadline_kind_anchor" in plan, plan


def test_clocks_now_counts_those_due_within_10_working_days_and_the_overdue():
    # Today Tuesday 1 December 2026: the 10th working day from today is Tuesday 15 December.
    today = date(2026, 12, 1)
    for due in (date(2026, 11, 20), today, date(2026, 12, 15), date(2026, 12, 16)):
        deadline = clock(Kind.NOTIFY_NATIONAL_PANEL, date(2026, 11, 1))
        Deadline.objects.filter(pk=deadline.pk).update(due_date=due, status="open")
    met = clock(Kind.NOTIFY_NATIONAL_PANEL, date(2026, 11, 1), done=date(2026, 11, 2))
    Deadline.objects.filter(pk=met.pk).update(due_date=date(2026, 11, 20))
    with time_machine.travel(today, tick=False):
        result = figures.figure("clocks_now").compute(YEAR)
    assert result.headline == "2 due in the next 10 working days, 1 overdue"
    assert [row[1:] for row in result.rows] == [[2, 1]]


def test_cases_are_counted_by_the_day_they_were_recorded_in_london():
    """A year's cases run from midnight on 1 April to midnight after 31 March, London time:
    both nights are in British Summer Time, an hour ahead of UTC."""
    from safeguarding.cases.models import Case

    def recorded_at(when, **fields):
        case = CaseFactory()
        Case.objects.filter(pk=case.pk).update(created_at=when, **fields)

    # 23:30 UTC on 31 March 2026 is 00:30 on 1 April in London: this year's first hour.
    recorded_at(datetime(2026, 3, 31, 23, 30, tzinfo=UTC), status=Case.Status.CLOSED)
    # 22:59 UTC on 31 March 2026 is 23:59 on 31 March in London: last year's.
    recorded_at(datetime(2026, 3, 31, 22, 59, tzinfo=UTC))
    # 22:59 UTC on 31 March 2027 is 23:59 on its last day; 23:00 UTC is the next year's.
    recorded_at(datetime(2027, 3, 31, 22, 59, tzinfo=UTC))
    recorded_at(datetime(2027, 3, 31, 23, 0, tzinfo=UTC))
    assert headline("cases_by_stage") == "2 cases recorded, 1 closed since"
    assert headline("cases_by_stage", reporting_year_starting(2025)) == (
        "1 case recorded, 0 closed since"
    )


def test_rapid_review_decisions_count_each_review_once_in_the_year_its_sign_off_finished(
    partners,
):
    """A review's sign-off finishes with its last partner's signature: one finished this year
    counts once, whatever its decision's other reviews did in other years."""
    from rapid_reviews.models import RapidReview, SignOff

    def signed_off(decision, *days):
        case = CaseFactory(user=partners["pdeo"])
        review = RapidReview.objects.create(
            case=case, opened_by=partners["pdeo"], status=RapidReview.Status.SENT, decision=decision
        )
        for partner, day in zip(("local_authority", "police", "icb"), days, strict=False):
            SignOff.objects.create(
                review=review,
                partner=partner,
                agency=partners["la"],
                user=partners["pdeo"],
                name="P",
                role="R",
                signed_on=day,
            )
        return review

    lcspr, nfa = RapidReview.Decision.LCSPR, RapidReview.Decision.NO_FURTHER_ACTION
    # Finished in May 2026 (this year), begun in March (last year's).
    signed_off(lcspr, date(2026, 3, 30), date(2026, 4, 2), date(2026, 5, 1))
    # Finished on 31 March 2026: last year's.
    signed_off(lcspr, date(2026, 3, 1), date(2026, 3, 31), date(2026, 3, 31))
    # Finished on 10 January 2025, two years before: no year near this one.
    signed_off(nfa, date(2025, 1, 10), date(2025, 1, 10), date(2025, 1, 10))
    # Still in progress, signed by one partner this year: not a decision yet.
    in_progress = signed_off(nfa, date(2026, 6, 1))
    RapidReview.objects.filter(pk=in_progress.pk).update(status=RapidReview.Status.IN_PROGRESS)
    assert rows("rapid_review_decisions") == {
        "Local child safeguarding practice review": [1],
        "No local review, but another learning activity": [0],
        "No further action": [0],
    }
    assert headline("rapid_review_decisions") == "1 decision, 1 to hold a local review"
    assert headline("rapid_review_decisions", reporting_year_starting(2025)) == (
        "1 decision, 1 to hold a local review"
    )


def test_a_timeliness_figure_is_answered_from_its_index_alone():
    """The count by status reads the kind-and-anchor index, which carries the status, and no
    row of the table: on a decade of clocks the rows were most of the dashboard's time."""
    from ..conftest import need

    need(connection.vendor == "postgresql", "the plan is PostgreSQL's")
    clock(Kind.RAPID_REVIEW, date(2026, 6, 1), done=date(2026, 6, 5))
    with CaptureQueriesContext(connection) as queries:
        rows("rapid_reviews_on_time")
    (query,) = [q["sql"] for q in queries.captured_queries if "deadlines_deadline" in q["sql"]]
    plan = index_plan(query)
    assert "Index Only Scan using deadline_kind_anchor" in plan, plan


@pytest.mark.parametrize(
    ("key", "table", "index"),
    [
        ("cases_by_stage", "cases_case", "case_created_at"),
        ("referrals", "notifications_referral", "referral_received_on"),
    ],
)
def test_a_years_cases_and_referrals_are_found_by_their_date(partners, key, table, index):
    """The dashboard's cases and referrals of a year read that year's rows through an index on
    the date, not a decade's: on the benchmark's 10,000 cases the case count went from 5.8 ms
    to 0.5 ms, the referrals' from 2.4 ms (docs/performance.md, "Ninth round")."""
    from ..conftest import need

    need(connection.vendor == "postgresql", "the plan is PostgreSQL's")
    with CaptureQueriesContext(connection) as queries:
        rows(key)
    (query,) = [q["sql"] for q in queries.captured_queries if f'FROM "{table}"' in q["sql"]]
    plan = index_plan(query)
    assert f"using {index}" in plan, plan
