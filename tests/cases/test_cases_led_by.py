"""`cases_led_by`: the cases a person answers for as case lead, written once as SQL per page
that only reads, and asked afresh everywhere else (docs/performance.md, "Twentieth round")."""

import pytest
from django.db.models.expressions import RawSQL

from safeguarding.cases import selectors
from safeguarding.cases import services as case_services
from safeguarding.cases.models import Case, CaseTeamMember
from safeguarding.page_memo import one_page

from ..factories import CaseFactory, UserFactory

pytestmark = pytest.mark.django_db


def led(user):
    return set(
        Case.objects.filter(pk__in=selectors.cases_led_by(user)).values_list("pk", flat=True)
    )


@pytest.fixture
def cases():
    """A PDEO's case, another PDEO's case, and a case nobody leads."""
    pdeo, other = UserFactory(roles=["PDEO"]), UserFactory(roles=["PDEO"])
    mine, theirs, unled = CaseFactory(user=pdeo), CaseFactory(user=other), CaseFactory(user=other)
    case_services.remove_team_member(member=unled.team.get(role=CaseTeamMember.Role.CASE_LEAD))
    return pdeo, other, mine, theirs, unled


def test_a_page_that_reads_gets_the_same_cases_as_anywhere_else(cases):
    pdeo, other, mine, theirs, unled = cases
    reviewer = UserFactory(roles=["LEAD_REVIEWER"])
    case_services.add_team_member(
        case=theirs, user=reviewer, role=CaseTeamMember.Role.CASE_LEAD, added_by=other
    )
    expected = {pdeo: {mine.pk, unled.pk}, other: {theirs.pk, unled.pk}, reviewer: {theirs.pk}}
    for person, cases_led in expected.items():
        assert led(person) == cases_led
        with one_page(read_only=True):
            assert led(person) == cases_led


def test_a_conflict_of_interest_takes_the_case_out_on_a_page_too(cases):
    pdeo, other, mine, theirs, unled = cases
    case_services.declare_conflict(case=unled, user=pdeo, nature="Knows the family")
    assert led(pdeo) == {mine.pk}
    with one_page(read_only=True):
        assert led(pdeo) == {mine.pk}


def test_it_is_written_once_per_page_that_reads(cases):
    pdeo = cases[0]
    with one_page(read_only=True):
        first = selectors.cases_led_by(pdeo)
        assert isinstance(first, RawSQL)
        assert selectors.cases_led_by(pdeo) is first
    with one_page(read_only=True):
        assert selectors.cases_led_by(pdeo) is not first  # the next page writes it afresh


def test_a_request_that_changes_things_asks_afresh_each_time(cases):
    pdeo, other, mine, theirs, unled = cases
    with one_page(read_only=False):
        assert led(pdeo) == {mine.pk, unled.pk}
        case_services.add_team_member(
            case=theirs, user=pdeo, role=CaseTeamMember.Role.CASE_LEAD, added_by=pdeo
        )
        assert led(pdeo) == {mine.pk, theirs.pk, unled.pk}


def test_someone_who_sees_no_case_leads_none(cases):
    pdeo = cases[0]
    pdeo.is_active = False
    with one_page(read_only=True):
        assert led(pdeo) == set()
