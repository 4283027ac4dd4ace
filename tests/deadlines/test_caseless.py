"""Clocks without a case (a Panel action, a meeting's papers): seen, chased and described only
through the rule the owning app registers; with none, by nobody. Clocks on a case still go
through the case's gate alone.

The owner here is a stand-in: the agency, whose people see and are chased about its clocks.
"""

from datetime import date

import pytest
import time_machine
from django.db.models.expressions import RawSQL
from django.test import Client
from django.urls import reverse

from safeguarding.accounts.models import Agency, User
from safeguarding.accounts.roles import Role
from safeguarding.cases.models import Case
from safeguarding.deadlines import caseless, chasing, services
from safeguarding.deadlines.downloads import CASE_CLOCKS, REMINDERS
from safeguarding.deadlines.figures import CLOCKS_NOW
from safeguarding.deadlines.models import Deadline, Reminder
from safeguarding.deadlines.rules import Kind
from safeguarding.deadlines.selectors import whats_due
from safeguarding.outbox.models import OutboundEmail
from safeguarding.reports.periods import Period

from ..factories import AgencyFactory, CaseFactory, UserFactory
from ..helpers import verified_client

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 24)  # a Tuesday


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def owner_rule():
    """Register the agency as the owner of caseless clocks: its own people see them and are
    chased; unregistered again afterwards."""

    def visible_ids(user):
        if user.agency_id is None:
            return None
        return Agency.objects.filter(pk=user.agency_id).values("pk")

    def recipients(deadlines):
        people = {}
        for agency_id, user_id in User.objects.filter(
            agency_id__in={d.object_id for d in deadlines}, is_active=True
        ).values_list("agency_id", "id"):
            people.setdefault(agency_id, set()).add(user_id)
        return {d.id: people.get(d.object_id, set()) for d in deadlines}

    def describe(deadlines):
        return {d.id: f"Papers for agency meeting {d.object_id}" for d in deadlines}

    caseless.register(Agency, visible_ids=visible_ids, recipients=recipients, describe=describe)
    yield
    caseless._OWNERS.pop(Agency._meta.label_lower)


@pytest.fixture
def police():
    return AgencyFactory(name="Northbridge Police", kind="police")


def papers_clock(agency, meeting=date(2026, 11, 26)):
    """D16 for a meeting two working days away: due already (5 working days before)."""
    return services.open_deadline(
        kind=Kind.MEETING_PAPERS, obj=agency, case=None, anchor_date=meeting
    )


def test_a_clock_without_a_case_is_seen_by_nobody_without_its_owners_rule(police):
    clock = papers_clock(police)
    assert clock.case is None
    pdeo = UserFactory(roles=[Role.PDEO], agency=police)
    chair = UserFactory(roles=[Role.PANEL_CHAIR])
    for person in (pdeo, chair):
        assert not Deadline.objects.visible_to(person).filter(pk=clock.pk).exists()
        assert clock not in whats_due(person)
    # Nor is anyone chased about it.
    chasing.chase(today=TODAY)
    assert not Reminder.objects.filter(deadline=clock).exists()


def test_the_owners_rule_decides_who_sees_a_clock_without_a_case(owner_rule, police):
    clock = papers_clock(police)
    other_agency = AgencyFactory(name="Northbridge Hospital")
    ours = UserFactory(roles=[Role.PANEL_MEMBER], agency=police)
    theirs = UserFactory(roles=[Role.PANEL_MEMBER], agency=other_agency)
    pdeo = UserFactory(roles=[Role.PDEO], agency=other_agency)
    assert list(Deadline.objects.visible_to(ours)) == [clock]
    assert not Deadline.objects.visible_to(theirs).exists()
    # Seeing every case gives no sight of a clock that is on none.
    assert not Deadline.objects.visible_to(pdeo).exists()


def _lookups(node):
    for child in node.children:
        if hasattr(child, "children"):
            yield from _lookups(child)
        else:
            yield child


def test_the_owners_rule_is_written_as_sql_once_for_the_person(owner_rule, police):
    """The rule's subquery sits in the gate, kept for the person, as SQL already written
    (`written_sql`), so the queries of clocks on a page do not each build and compile it
    again; what it lets through is the same (the test above)."""
    ours = UserFactory(roles=[Role.PANEL_MEMBER], agency=police)
    clock = papers_clock(police)
    gated = Deadline.objects.visible_to(ours)
    rules = [
        lookup
        for lookup in _lookups(gated.query.where)
        if getattr(getattr(lookup, "lhs", None), "target", None)
        is Deadline._meta.get_field("object_id")
    ]
    assert rules and all(isinstance(lookup.rhs, RawSQL) for lookup in rules)
    assert list(gated) == [clock]


def test_a_clock_on_a_case_is_still_seen_only_through_the_cases_gate(owner_rule, police, pdeo):
    """The owner's rule lets the agency's people see its caseless clocks; a clock on a case
    hanging on the same object is still the case gate's alone."""
    referral = CaseFactory(user=pdeo)  # a referral: not before the Panel
    on_case = services.open_deadline(
        kind=Kind.ACTION_DUE,
        obj=police,
        case=referral,
        anchor_date=TODAY,
        due_date=date(2026, 12, 1),
    )
    member = UserFactory(roles=[Role.PANEL_MEMBER], agency=police)
    assert not Case.objects.visible_to(member).filter(pk=referral.pk).exists()
    assert not Deadline.objects.visible_to(member).filter(pk=on_case.pk).exists()
    assert Deadline.objects.visible_to(pdeo).filter(pk=on_case.pk).exists()


def test_whats_due_and_the_home_page_show_a_clock_without_a_case(owner_rule, police):
    clock = papers_clock(police, meeting=date(2026, 12, 8))  # due 1 December: coming up
    services.open_deadline(  # a second clock of the agency's, overdue
        kind=Kind.ACTION_DUE,
        obj=police,
        case=None,
        anchor_date=date(2026, 11, 2),
        due_date=date(2026, 11, 20),
    )
    member = UserFactory(roles=[Role.PANEL_MEMBER], agency=police)
    client = verified_client(Client(), member)
    page = client.get(reverse("whats_due"))
    assert page.status_code == 200
    html = page.content.decode()
    assert f"Papers for agency meeting {police.pk}" in html
    assert html.count(f"Papers for agency meeting {police.pk}") == 2
    assert clock.due_date.strftime("%-d %B %Y") in html
    assert "Nobody named" in html  # no case lead to wait on
    home = client.get("/").content.decode()
    assert f"Papers for agency meeting {police.pk}: Send papers to panel members" in home


def test_the_chase_reminds_whom_the_owners_rule_names(owner_rule, police):
    clock = papers_clock(police)  # due 19 November: overdue
    member = UserFactory(roles=[Role.PANEL_MEMBER], agency=police, email="member@x.example")
    UserFactory(roles=[Role.PDEO], email="pdeo@x.example")  # not the owner's: not reminded
    chasing.chase(today=TODAY)
    reminded = set(Reminder.objects.filter(deadline=clock).values_list("recipient", flat=True))
    assert reminded == {member.pk}
    email = OutboundEmail.objects.get(recipient=member)
    assert f"Papers for agency meeting {police.pk}" in email.body_text
    assert "Send papers to panel members" in email.body_text
    assert "()" not in email.body_text  # no empty pseudonym
    # The home page's reminders list reads it too.
    home = verified_client(Client(), member).get("/").content.decode()
    assert "Reminders for you" in home
    assert f"Papers for agency meeting {police.pk}: Send papers to panel members, due" in home


def test_the_case_list_filter_still_works_beside_clocks_without_a_case(pdeo, police):
    """A NULL case among the clocks must not make "nothing open" match no case."""
    papers_clock(police)
    case = CaseFactory(user=pdeo)
    html = verified_client(Client(), pdeo).get(reverse("cases:list"), {"deadline": "none_open"})
    assert case.reference in html.content.decode()


def test_reports_and_exports_read_clocks_without_a_case(owner_rule, police, pdeo):
    clock = papers_clock(police)
    case = CaseFactory(user=pdeo)
    services.open_deadline(
        kind=Kind.TELL_PARTNERS, obj=case, case=case, anchor_date=date(2026, 11, 23)
    )
    UserFactory(roles=[Role.PANEL_MEMBER], agency=police)
    chasing.chase(today=TODAY)
    period = Period(date(2026, 11, 1), date(2026, 11, 30))
    # Cases and their clocks: the case's clock only.
    clock_rows = list(CASE_CLOCKS.rows(period))
    assert [r[0] for r in clock_rows] == [case.reference]
    assert CASE_CLOCKS.count(period) == 1
    # Reminders: the caseless one reads as its owner describes it, with no pseudonym.
    reminder_rows = [r for r in REMINDERS.rows(period) if r[1] != case.reference]
    assert reminder_rows and all(
        r[1] == f"Papers for agency meeting {police.pk}" and r[2] == "" for r in reminder_rows
    )
    assert REMINDERS.count(period) == Reminder.objects.count()
    # What is due now counts it with the others.
    overdue = {row[0]: row[2] for row in CLOCKS_NOW.compute(period).rows}
    assert overdue[Kind.MEETING_PAPERS.label] == 1
    assert Deadline.objects.filter(pk=clock.pk, case=None).exists()


def test_escalation_of_a_clock_without_a_case_reaches_only_those_its_owner_lets_see_it(
    owner_rule, police
):
    clock = papers_clock(police)  # due 19 November: 3 working days overdue, escalated
    chair_here = UserFactory(roles=[Role.PANEL_CHAIR], agency=police)
    chair_elsewhere = UserFactory(roles=[Role.BUSINESS_MANAGER])
    chasing.chase(today=TODAY)
    escalated = set(
        Reminder.objects.filter(deadline=clock, rung="escalation").values_list(
            "recipient", flat=True
        )
    )
    assert escalated == {chair_here.pk}
    assert chair_elsewhere.pk not in set(Reminder.objects.values_list("recipient", flat=True))
