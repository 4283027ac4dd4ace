"""Which cases nobody leads is kept in the cache, and forgotten as soon as who leads what
changes (cases.receivers): a case is opened, a lead joins or leaves, an account is switched
off or on. What no signal sees is forgotten within NOBODY_LEADS_SECONDS (docs/performance.md,
"Nineteenth round")."""

from datetime import timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from safeguarding import home
from safeguarding.cases import selectors
from safeguarding.cases import services as case_services
from safeguarding.cases.models import Case, CaseTeamMember

from ..factories import CaseFactory, UserFactory

pytestmark = pytest.mark.django_db


def nobody_leads():
    """(the answer, how many queries it took)."""
    with CaptureQueriesContext(connection) as queries:
        answer = selectors.cases_nobody_leads()
    return set(answer), len(queries.captured_queries)


@pytest.fixture
def unled():
    lead = UserFactory(roles=["PDEO"])
    case = CaseFactory(user=lead)
    member = case.team.get(role=CaseTeamMember.Role.CASE_LEAD)
    case_services.remove_team_member(member=member)
    return case


def test_the_answer_is_kept_between_pages(unled):
    assert nobody_leads() == ({unled.pk}, 1)
    assert nobody_leads() == ({unled.pk}, 0)  # the next page asks nobody
    assert cache.get(selectors.NOBODY_LEADS_KEY) == [unled.pk]


def test_it_is_forgotten_when_a_lead_joins_or_leaves(unled):
    nobody_leads()
    pdeo = UserFactory(roles=["PDEO"])
    member = case_services.add_team_member(
        case=unled, user=pdeo, role=CaseTeamMember.Role.CASE_LEAD, added_by=pdeo
    )
    assert nobody_leads() == (set(), 1)
    case_services.remove_team_member(member=member)
    assert nobody_leads() == ({unled.pk}, 1)
    # A member who leads nothing changes no answer, but is not worth telling apart.
    reviewer = UserFactory(roles=["LEAD_REVIEWER"])
    case_services.add_team_member(
        case=unled, user=reviewer, role=CaseTeamMember.Role.LEAD_REVIEWER, added_by=pdeo
    )
    assert nobody_leads() == ({unled.pk}, 1)


def test_it_is_forgotten_when_a_leads_account_is_switched_off_or_on(unled):
    lead = UserFactory(roles=["PDEO"])
    led = CaseFactory(user=lead)
    assert nobody_leads() == ({unled.pk}, 1)
    lead.is_active = False
    lead.save()  # as Django admin saves the account
    assert nobody_leads() == ({unled.pk, led.pk}, 1)
    lead.is_active = True
    lead.save(update_fields=["is_active"])
    assert nobody_leads() == ({unled.pk}, 1)
    # Signing in writes last_login alone: nothing to forget.
    lead.last_login = timezone.now()
    lead.save(update_fields=["last_login"])
    assert nobody_leads() == ({unled.pk}, 0)


def test_it_is_forgotten_when_a_case_is_opened_without_a_lead(unled):
    """The service adds the lead as it opens a case; a case made another way (Django admin, an
    import) has none until someone is added."""
    assert nobody_leads() == ({unled.pk}, 1)
    maker = UserFactory(roles=["PDEO"])
    bare = Case(
        reference="NSCP-2026-901",
        year=2026,
        sequence=901,
        pseudonym="Child Z",
        nature=Case.Nature.SERIOUS_HARM,
        outline="o",
        created_by=maker,
    )
    bare.save()
    assert nobody_leads() == ({unled.pk, bare.pk}, 1)


def test_a_change_no_signal_sees_is_forgotten_within_the_limit(unled):
    lead = UserFactory(roles=["PDEO"])
    led = CaseFactory(user=lead)
    with time_machine.travel(timezone.now(), tick=False) as clock:
        assert nobody_leads() == ({unled.pk}, 1)
        # A bulk UPDATE sends no signal.
        CaseTeamMember.objects.filter(case=led).update(role=CaseTeamMember.Role.OTHER)
        clock.shift(timedelta(seconds=selectors.NOBODY_LEADS_SECONDS - 1))
        assert nobody_leads() == ({unled.pk}, 0)
        clock.shift(timedelta(seconds=2))
        assert nobody_leads() == ({unled.pk, led.pk}, 1)


def test_it_is_forgotten_again_when_the_change_commits(unled, django_capture_on_commit_callbacks):
    """A page that read the answer after the change was saved but before it committed saw the
    old answer, and may have kept it: the commit forgets it again."""
    pdeo = UserFactory(roles=["PDEO"])
    with django_capture_on_commit_callbacks(execute=True):
        case_services.add_team_member(
            case=unled, user=pdeo, role=CaseTeamMember.Role.CASE_LEAD, added_by=pdeo
        )
        cache.set(selectors.NOBODY_LEADS_KEY, [unled.pk], selectors.NOBODY_LEADS_SECONDS)
    assert cache.get(selectors.NOBODY_LEADS_KEY) is None
    assert nobody_leads() == (set(), 1)


def test_many_cases_nobody_leads_stay_a_subquery(unled, monkeypatch):
    monkeypatch.setattr(selectors, "NOBODY_LEADS_AS_LIST", 0)
    answer = selectors.cases_nobody_leads()
    assert not isinstance(answer, list) and set(answer) == {unled.pk}
    assert cache.get(selectors.NOBODY_LEADS_KEY) == "many"
    # Kept as "many": the next page still asks the database, as a subquery of its own queries.
    assert set(selectors.cases_nobody_leads()) == {unled.pk}


def test_a_pdeo_owes_the_clocks_of_a_case_whose_lead_is_switched_off(partners, notified_case):
    """End to end: the PDEO's "Waiting for you" takes on the clocks of a case the moment its
    lead's account is switched off, though the answer was kept a moment before."""
    pdeo = partners["pdeo"]
    colleague = UserFactory(roles=["PDEO"])
    case_services.add_team_member(
        case=notified_case, user=colleague, role=CaseTeamMember.Role.CASE_LEAD, added_by=pdeo
    )
    notified_case.team.filter(user=pdeo, role=CaseTeamMember.Role.CASE_LEAD).delete()

    def cases_owed():
        return {owed.case.split(" – ")[0] for owed in home.waiting_for(pdeo).items}

    assert notified_case.reference not in cases_owed()
    assert cache.get(selectors.NOBODY_LEADS_KEY) is not None  # kept
    colleague.is_active = False
    colleague.save()
    assert notified_case.reference in cases_owed()
