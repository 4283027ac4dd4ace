from datetime import date, timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from safeguarding.accounts.roles import Role
from safeguarding.cases.models import Case
from safeguarding.deadlines import selectors, services
from safeguarding.deadlines.calendar import WorkingCalendar
from safeguarding.deadlines.rules import Kind
from safeguarding.deadlines.selectors import DeadlineState, rows, state_of, whats_due

from ..factories import CaseFactory
from ..helpers import page_cost, verified_client

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 24)  # a Tuesday


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(TODAY, tick=False):
        yield


def test_states_by_working_days_left():
    calendar = WorkingCalendar()

    class Fake:
        status = "open"
        met_on = None
        kind = Kind.NOTIFY_NATIONAL_PANEL
        anchor_date = date(2026, 11, 1)

    def state(due):
        d = Fake()
        d.due_date = due
        return state_of(d, TODAY, calendar)

    assert state(date(2026, 11, 23)) == (-1, DeadlineState.OVERDUE)
    assert state(TODAY) == (0, DeadlineState.DUE_NOW)
    assert state(date(2026, 11, 26)) == (2, DeadlineState.DUE_NOW)
    assert state(date(2026, 11, 27)) == (3, DeadlineState.DUE_SOON)
    assert state(date(2026, 12, 1)) == (5, DeadlineState.DUE_SOON)
    assert state(date(2026, 12, 2)) == (6, DeadlineState.ON_TRACK)


def test_the_national_panels_reply_is_awaited_not_overdue_until_flagged(pdeo):
    """D6: expected within 10 working days, flagged only after 20."""
    case = CaseFactory(user=pdeo)
    deadline = services.open_deadline(
        kind=Kind.PANEL_REPLY, obj=case, case=case, anchor_date=date(2026, 10, 26)
    )
    assert deadline.due_date == date(2026, 11, 9)
    calendar = WorkingCalendar()
    assert state_of(deadline, date(2026, 11, 2), calendar)[1] == DeadlineState.AWAITING
    assert state_of(deadline, date(2026, 11, 20), calendar)[1] == DeadlineState.AWAITING
    assert state_of(deadline, date(2026, 11, 23), calendar)[1] == DeadlineState.AWAITING
    assert state_of(deadline, date(2026, 11, 24), calendar)[1] == DeadlineState.OVERDUE


def test_whats_due_lists_what_the_person_may_see_soonest_first(make_user, pdeo):
    near = CaseFactory(user=pdeo, stage=Case.Stage.NOTIFICATION)
    far = CaseFactory(user=pdeo, stage=Case.Stage.NOTIFICATION)
    hidden = CaseFactory(user=pdeo)  # a referral: not before the panel
    services.open_deadline(
        kind=Kind.NOTIFY_NATIONAL_PANEL, obj=far, case=far, anchor_date=date(2026, 11, 23)
    )
    services.open_deadline(
        kind=Kind.NOTIFY_NATIONAL_PANEL, obj=near, case=near, anchor_date=date(2026, 11, 16)
    )
    services.open_deadline(
        kind=Kind.NOTIFY_NATIONAL_PANEL, obj=hidden, case=hidden, anchor_date=date(2026, 11, 20)
    )
    met = services.open_deadline(
        kind=Kind.TELL_PARTNERS, obj=near, case=near, anchor_date=date(2026, 11, 16)
    )
    services.record_event(kind=Kind.TELL_PARTNERS, obj=near, on=date(2026, 11, 17))

    member = make_user(Role.PANEL_MEMBER)
    listed = [row.deadline.case for row in rows(whats_due(member))]
    assert listed == [near, far]
    assert met.pk not in [d.pk for d in whats_due(member)]
    assert [r.deadline.case for r in rows(whats_due(pdeo))] == [near, hidden, far]

    html = verified_client(Client(), member).get(reverse("whats_due")).content.decode()
    assert near.reference in html and far.reference in html
    assert hidden.reference not in html
    assert "Overdue" in html  # near: due 23 November
    assert "Due soon" in html  # far: due 30 November, 4 working days away
    assert "4 working days left" in html


def test_the_first_few_clocks_are_cut_before_their_cases_are_read(
    make_user, pdeo, django_assert_num_queries
):
    """`with_cases`: a cut of a gated list (its first few, or a page), soonest first, with
    their cases, in one query; the cut is made in the gated list, so nothing outside the gate
    comes back."""
    member = make_user(Role.PANEL_MEMBER)
    cases = [CaseFactory(user=pdeo, stage=Case.Stage.NOTIFICATION) for _ in range(4)]
    hidden = CaseFactory(user=pdeo)  # a referral: not before the panel
    for day, case in zip((20, 16, 23, 18, 12), [*cases, hidden], strict=True):
        services.open_deadline(
            kind=Kind.NOTIFY_NATIONAL_PANEL, obj=case, case=case, anchor_date=date(2026, 11, day)
        )
    for person in (member, pdeo):
        everything = list(whats_due(person))
        assert person.role_names  # read before counting, as on any page
        with django_assert_num_queries(1):
            first = selectors.with_cases(whats_due(person)[:3])
            shown = [(clock.pk, clock.case.reference) for clock in first]
        assert shown == [(clock.pk, clock.case.reference) for clock in everything[:3]]
        later = selectors.with_cases(whats_due(person)[1:3])
        assert [clock.pk for clock in later] == [clock.pk for clock in everything[1:3]]
    assert hidden.pk in [clock.case_id for clock in everything]  # the PDEO's
    assert hidden.pk not in [clock.case_id for clock in selectors.with_cases(whats_due(member)[:5])]


def _action_clock(case, i, due, status="open"):
    """An unsaved clock on `case` (for bulk_create): many of them make a long list quickly."""
    from django.contrib.contenttypes.models import ContentType

    from safeguarding.deadlines.models import Deadline

    return Deadline(
        kind=Kind.ACTION_DUE,
        case=case,
        content_type=ContentType.objects.get_for_model(Case),
        object_id=1000 + i,
        anchor_date=date(2026, 1, 1),
        rule="D15",
        limit=0,
        unit="set_per_item",
        due_date=due,
        status=status,
    )


def test_a_large_backlog_does_not_hide_what_falls_due_tomorrow(pdeo):
    """600 overdue clocks: What's due still leads with the one due tomorrow, and counts and
    pages the backlog instead of cutting it off."""
    from safeguarding.deadlines.models import Deadline

    old = CaseFactory(user=pdeo, children=0)
    Deadline.objects.bulk_create(
        [
            _action_clock(old, i, date(2026, 3, 1) + timedelta(days=i % 200), "missed")
            for i in range(600)
        ]
    )
    soon = CaseFactory(user=pdeo, stage=Case.Stage.NOTIFICATION)
    services.open_deadline(
        kind=Kind.ACTION_DUE, obj=soon, case=soon, anchor_date=TODAY, due_date=date(2026, 11, 25)
    )
    response = verified_client(Client(), pdeo).get(reverse("whats_due"))
    html = response.content.decode()
    coming = [row.deadline.case for row in response.context["coming_rows"]]
    assert coming == [soon]  # on the first page, first of all
    assert soon.reference in html and "25 November 2026" in html
    assert response.context["overdue"].paginator.count == 600
    assert "600 overdue" in html and "1 of 12" in html  # paged, 50 at a time
    page_12 = verified_client(Client(), pdeo).get(reverse("whats_due"), {"overdue_page": 12})
    assert len(page_12.context["overdue_rows"]) == 50
    assert [r.deadline.case for r in page_12.context["coming_rows"]] == [soon]


def test_what_is_coming_up_is_counted_only_as_far_as_its_page_needs(pdeo):
    """1,120 clocks coming up and 3 overdue: the first page says "more than 1000" (its count
    stops at 1,001 rows), pages on with Next to the end, where the whole list is counted; the
    overdue backlog is counted in full on every page."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from safeguarding.deadlines.models import Deadline

    case = CaseFactory(user=pdeo, children=0)
    coming = [_action_clock(case, i, TODAY + timedelta(days=1 + i // 10)) for i in range(1120)]
    late = [_action_clock(case, 5000 + i, date(2026, 3, 1), "missed") for i in range(3)]
    Deadline.objects.bulk_create(coming + late)
    client = verified_client(Client(), pdeo)

    with CaptureQueriesContext(connection) as queries:
        first = client.get(reverse("whats_due"))
    html = first.content.decode()
    assert "More than 1000 coming up" in html and "1120" not in html
    assert "3 overdue" in html and "Overdue (3)" in html
    assert 'aria-label="Page 1" aria-current="page">Page 1</a>' in html  # no "of N pages"
    assert 'rel="next"' in html
    counts = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"]]
    assert any("LIMIT 1001" in sql for sql in counts), counts  # stopped, not the whole list

    # Next, page after page, to the end: every clock reached once, soonest first.
    seen, number = [], 1
    while True:
        page = client.get(reverse("whats_due"), {"page": number})
        seen += [row.deadline.pk for row in page.context["coming_rows"]]
        if not page.context["coming"].has_next():
            break
        number += 1
    assert number == 23 and len(seen) == 1120 and len(set(seen)) == 1120
    in_order = Deadline.objects.filter(pk__in=seen).order_by("due_date", "id")
    assert seen == list(in_order.values_list("pk", flat=True))
    # At the end the whole list has been counted: its total and the page of pages.
    last = page.content.decode()
    assert "1120 coming up" in last and "23 of 23" in last
    assert page.context["coming"].paginator.counted_all


def test_a_list_counted_as_far_as_needed_reads_a_page_number_as_get_page_does(pdeo):
    from safeguarding.deadlines.models import Deadline
    from safeguarding.paging import CountedAsFarAsNeeded

    def pages(asked_for):
        return CountedAsFarAsNeeded(Deadline.objects.all(), 50, asked_for=asked_for)

    assert pages(None).counted_to == 1000
    assert pages("abc").counted_to == 1000 and pages("-3").counted_to == 1000
    assert pages("30").counted_to == 1500  # to the end of page 30; the count reads one row more
    assert pages("2").counted_to == 1000
    empty = pages("7")
    assert empty.count == 0 and empty.counted_all and empty.get_page("7").number == 1


def test_every_row_says_whom_it_waits_on(make_user, pdeo):
    from safeguarding.cases.models import CaseTeamMember

    case = CaseFactory(user=pdeo, stage=Case.Stage.NOTIFICATION)
    services.open_deadline(
        kind=Kind.NOTIFY_NATIONAL_PANEL, obj=case, case=case, anchor_date=date(2026, 11, 20)
    )
    services.open_deadline(kind=Kind.PANEL_REPLY, obj=case, case=case, anchor_date=TODAY)
    reviewer = make_user(Role.LEAD_REVIEWER, full_name="Ruth Reviewer")
    from safeguarding.cases.services import add_team_member

    add_team_member(case=case, user=reviewer, role=CaseTeamMember.Role.LEAD_REVIEWER, added_by=pdeo)
    services.open_deadline(kind=Kind.PROGRESS_CHECK, obj=case, case=case, anchor_date=TODAY)
    labels = {r.deadline.kind: r.waits_on for r in rows(whats_due(pdeo))}
    assert labels == {
        Kind.NOTIFY_NATIONAL_PANEL: f"{pdeo.full_name} (case lead)",
        Kind.PANEL_REPLY: "The national Panel",
        Kind.PROGRESS_CHECK: "Ruth Reviewer (lead reviewer)",
    }
    html = verified_client(Client(), pdeo).get(reverse("whats_due")).content.decode()
    assert f"{pdeo.full_name} (case lead)" in html and "Ruth Reviewer (lead reviewer)" in html


def test_whats_due_costs_a_query_per_kind_of_answer_never_per_clock(make_user, pdeo):
    """Whom each row waits on is one query per kind of answer on the page (the case lead, the
    lead reviewer, ...), however many clocks of each kind it lists, overdue or coming up."""
    from safeguarding.cases.models import CaseTeamMember
    from safeguarding.cases.services import add_team_member

    reviewer = make_user(Role.LEAD_REVIEWER, full_name="Ruth Reviewer")

    def add_cases(n):
        for _ in range(n):
            case = CaseFactory(user=pdeo, stage=Case.Stage.NOTIFICATION)
            add_team_member(
                case=case, user=reviewer, role=CaseTeamMember.Role.LEAD_REVIEWER, added_by=pdeo
            )
            # The notification overdue (due 9 November), the progress check coming up.
            services.open_deadline(
                kind=Kind.NOTIFY_NATIONAL_PANEL, obj=case, case=case, anchor_date=date(2026, 11, 2)
            )
            services.open_deadline(kind=Kind.PROGRESS_CHECK, obj=case, case=case, anchor_date=TODAY)

    client = verified_client(Client(), pdeo)

    def cost():
        queries, html = page_cost(client, reverse("whats_due"))
        assert "Ruth Reviewer (lead reviewer)" in html and f"{pdeo.full_name} (case lead)" in html
        return queries

    add_cases(2)
    few = cost()
    add_cases(15)
    assert selectors.overdue(pdeo).count() == 17 and selectors.coming_up(pdeo).count() >= 17
    assert cost() == few


def test_whom_clocks_wait_on_costs_the_same_however_their_kinds_mix(make_user, partners):
    """The page's query count does not depend on which owners its first page happens to hold:
    the case lead's and the lead reviewer's clocks are named in one query, and an action's
    clock, on a case or off one, is labelled and described from one read of the actions."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from safeguarding.actions import services as actions
    from safeguarding.cases.models import CaseTeamMember
    from safeguarding.cases.services import add_team_member

    pdeo = partners["pdeo"]
    calendar = WorkingCalendar()

    def action(case, agency, description):
        return actions.set_action(
            user=pdeo,
            case=case,
            description=description,
            owner_agency=partners[agency],
            due_date=date(2026, 12, 18),
            measure_of_success="Done",
        )

    def cost():
        deadlines = list(whats_due(pdeo))
        with CaptureQueriesContext(connection) as queries:
            found = rows(deadlines, today=TODAY, calendar=calendar)
        return len(queries), {(r.deadline.kind, r.waits_on, r.about) for r in found}

    led = CaseFactory(user=pdeo, stage=Case.Stage.NOTIFICATION)
    services.open_deadline(
        kind=Kind.NOTIFY_NATIONAL_PANEL, obj=led, case=led, anchor_date=date(2026, 11, 20)
    )
    action(led, "police", "Audit the pathway")
    plain, labels = cost()
    assert (Kind.NOTIFY_NATIONAL_PANEL, "Pat Deo (case lead)", "") in labels
    assert (Kind.ACTION_DUE, "Northbridge Police", "") in labels

    # A clock waiting on the lead reviewer, and an action's clock off any case: same queries.
    reviewed = CaseFactory(user=pdeo, stage=Case.Stage.NOTIFICATION)
    reviewer = make_user(Role.LEAD_REVIEWER, full_name="Ruth Reviewer")
    add_team_member(
        case=reviewed, user=reviewer, role=CaseTeamMember.Role.LEAD_REVIEWER, added_by=pdeo
    )
    services.open_deadline(kind=Kind.PROGRESS_CHECK, obj=reviewed, case=reviewed, anchor_date=TODAY)
    caseless = action(None, "hospital", "Refresh the escalation policy")
    mixed, labels = cost()
    assert (Kind.PROGRESS_CHECK, "Ruth Reviewer (lead reviewer)", "") in labels
    assert (
        Kind.ACTION_DUE,
        "Northbridge Hospital",
        f"{caseless.reference} (Northbridge Hospital)",
    ) in labels
    assert mixed == plain == 2  # the team, the actions


def test_a_response_to_accept_names_the_case_lead_in_the_one_query_of_the_teams(
    partners, notified_case
):
    """A submitted response waits on the case lead, to accept or return it: they are named in
    the same query as every other clock's case team (`recipients.FromTeam`), not in a query
    of the requests' own."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from safeguarding.contributions import services as contributions

    pdeo = partners["pdeo"]
    police, hospital = contributions.send_requests(
        case=notified_case,
        user=pdeo,
        agencies=[partners["police"], partners["hospital"]],
        questions="What did you know?",
    )
    contributions.submit_nil_return(request=police, user=partners["police_contributor"])
    deadlines = list(whats_due(pdeo))
    with CaptureQueriesContext(connection) as queries:
        found = rows(deadlines, today=TODAY, calendar=WorkingCalendar())
    labels = {(r.deadline.kind, r.deadline.object_id): r.waits_on for r in found}
    assert labels[(Kind.AGENCY_RESPONSE, police.pk)] == (
        "Pat Deo (case lead), to accept or return the response"
    )
    assert labels[(Kind.AGENCY_RESPONSE, hospital.pk)].startswith("Northbridge Hospital")
    assert "Pat Deo (case lead)" in {
        label for (kind, _), label in labels.items() if kind != Kind.AGENCY_RESPONSE
    }
    teams = [q["sql"] for q in queries if 'FROM "cases_caseteammember"' in q["sql"]]
    assert len(teams) == 1, teams


def test_whats_due_costs_the_same_whichever_kinds_of_clock_it_shows(partners, notified_case):
    """What's due asks every kind of owner whom its clocks wait on (and, off a case, what they
    are about), whether or not such a clock is on the page: a page of notifications alone
    costs what a page of requests, a response waiting, and actions on and off a case costs.
    (The benchmark compares each page's queries on a small and a large partnership; which
    kinds fall on What's due's first page differs between them.)"""
    from safeguarding.actions import services as actions
    from safeguarding.contributions import services as contributions

    pdeo = partners["pdeo"]
    client = verified_client(Client(), pdeo)
    url = reverse("whats_due")

    only_the_notification, html = page_cost(client, url)
    assert "Pat Deo (case lead)" in html
    assert "Northbridge Police" not in html

    police, _ = contributions.send_requests(
        case=notified_case,
        user=pdeo,
        agencies=[partners["police"], partners["hospital"]],
        questions="What did you know?",
    )
    contributions.submit_nil_return(request=police, user=partners["police_contributor"])
    for case, agency in ((notified_case, "police"), (None, "hospital")):
        off_any_case = actions.set_action(
            user=pdeo,
            case=case,
            description="Audit the pathway",
            owner_agency=partners[agency],
            due_date=date(2026, 12, 18),
            measure_of_success="Done",
        )
    every_kind, html = page_cost(client, url)
    assert "Pat Deo (case lead), to accept or return the response" in html  # the police's
    assert "Northbridge Hospital" in html  # the hospital's request, and its action
    assert f"{off_any_case.reference} (Northbridge Hospital)" in html
    assert every_kind == only_the_notification
