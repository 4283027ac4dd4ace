"""Which agencies nobody can answer for (no active contributor account) is kept in the cache,
and forgotten as soon as who can answer for which agency changes (contributions.receivers): an
account is made, switched off or on, moved to another agency, or given or relieved of the
contributor's role; an agency is added. What no signal sees is forgotten within
NOBODY_ANSWERS_SECONDS (docs/performance.md, "Twenty-first round")."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from safeguarding import home
from safeguarding.accounts.models import Agency
from safeguarding.accounts.roles import Role
from safeguarding.contributions import selectors, services
from safeguarding.contributions.home import requests_to_act_on
from safeguarding.contributions.models import InformationRequest
from safeguarding.page_memo import one_page

from ..factories import UserFactory

pytestmark = pytest.mark.django_db


def requests_nobody_can_answer(user):
    """What the case lead's requests to act on hold that nobody at the agency can answer."""
    return [r for r in requests_to_act_on(user) if r.status != InformationRequest.Status.SUBMITTED]


def nobody_answers():
    """(the agencies' names, how many queries it took)."""
    with CaptureQueriesContext(connection) as queries:
        answer = selectors.agencies_nobody_answers_for()
    names = set(Agency.objects.filter(pk__in=list(answer)).values_list("name", flat=True))
    return names, len(queries.captured_queries)


@pytest.fixture
def school(partners):
    """An agency nobody can answer for, beside the partners' own: the council and the ICB have
    no contributor either, the police and the hospital one each."""
    return Agency.objects.create(name="Northbridge Academy", kind="education")


NOBODY = {"Northbridge Council", "Northbridge ICB", "Northbridge Academy"}


def test_the_answer_is_kept_between_pages(school):
    assert nobody_answers() == (NOBODY, 1)
    assert nobody_answers() == (NOBODY, 0)  # the next page asks nobody
    assert set(cache.get(selectors.NOBODY_ANSWERS_KEY)) == set(
        Agency.objects.filter(name__in=NOBODY).values_list("pk", flat=True)
    )


def test_it_is_forgotten_when_an_agency_is_added(partners):
    assert nobody_answers() == (NOBODY - {"Northbridge Academy"}, 1)
    Agency.objects.create(name="Northbridge Academy", kind="education")
    assert nobody_answers() == (NOBODY, 1)


def test_it_is_forgotten_when_a_contributor_is_made_or_given_or_relieved_of_the_role(school):
    nobody_answers()
    contributor = UserFactory(roles=[Role.AGENCY_CONTRIBUTOR], agency=school)
    assert nobody_answers() == (NOBODY - {"Northbridge Academy"}, 1)
    contributor.groups.remove(Group.objects.get(name=Role.AGENCY_CONTRIBUTOR))
    assert nobody_answers() == (NOBODY, 1)
    contributor.groups.add(Group.objects.get(name=Role.AGENCY_CONTRIBUTOR))
    assert nobody_answers() == (NOBODY - {"Northbridge Academy"}, 1)
    contributor.groups.clear()
    assert nobody_answers() == (NOBODY, 1)


def test_it_is_forgotten_when_a_contributor_is_switched_off_or_on_or_moved(partners, school):
    contributor = UserFactory(roles=[Role.AGENCY_CONTRIBUTOR], agency=school)
    assert nobody_answers() == (NOBODY - {"Northbridge Academy"}, 1)
    contributor.is_active = False
    contributor.save()  # as Django admin saves the account
    assert nobody_answers() == (NOBODY, 1)
    contributor.is_active = True
    contributor.save(update_fields=["is_active"])
    assert nobody_answers() == (NOBODY - {"Northbridge Academy"}, 1)
    contributor.agency = partners["icb"]
    contributor.save(update_fields=["agency"])
    assert nobody_answers() == (NOBODY - {"Northbridge ICB"}, 1)
    # Signing in writes last_login alone: nothing to forget.
    contributor.last_login = timezone.now()
    contributor.save(update_fields=["last_login"])
    assert nobody_answers() == (NOBODY - {"Northbridge ICB"}, 0)


def test_a_change_no_signal_sees_is_forgotten_within_the_limit(partners, school):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        assert nobody_answers() == (NOBODY, 1)
        # A bulk UPDATE sends no signal.
        type(partners["police_contributor"]).objects.filter(
            pk=partners["police_contributor"].pk
        ).update(is_active=False)
        clock.shift(timedelta(seconds=selectors.NOBODY_ANSWERS_SECONDS - 1))
        assert nobody_answers() == (NOBODY, 0)
        clock.shift(timedelta(seconds=2))
        assert nobody_answers() == (NOBODY | {"Northbridge Police"}, 1)


def test_it_is_forgotten_again_when_the_change_commits(
    partners, school, django_capture_on_commit_callbacks
):
    """A page that read the answer after the change was saved but before it committed saw the
    old answer, and may have kept it: the commit forgets it again."""
    with django_capture_on_commit_callbacks(execute=True):
        UserFactory(roles=[Role.AGENCY_CONTRIBUTOR], agency=school)
        cache.set(selectors.NOBODY_ANSWERS_KEY, [school.pk], selectors.NOBODY_ANSWERS_SECONDS)
    assert cache.get(selectors.NOBODY_ANSWERS_KEY) is None
    assert nobody_answers() == (NOBODY - {"Northbridge Academy"}, 1)


def test_many_agencies_nobody_answers_for_stay_a_subquery(school, notified_case, partners):
    """Above the list's bound the answer is a subquery of the home page's own query, and the
    request to the academy is still owed."""
    academy, _ = services.send_requests(
        case=notified_case,
        user=partners["pdeo"],
        agencies=[school, partners["police"]],
        questions="q",
    )
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(selectors, "NOBODY_ANSWERS_AS_LIST", 0)
        answer = selectors.agencies_nobody_answers_for()
        assert not isinstance(answer, list)
        assert cache.get(selectors.NOBODY_ANSWERS_KEY) == "many"
        assert list(requests_nobody_can_answer(partners["pdeo"])) == [academy]


def test_the_case_lead_owes_a_request_the_moment_nobody_can_answer_it(
    notified_case, partners, school
):
    """End to end: the PDEO's "Waiting for you" takes on the police's request the moment the
    police's only contributor is switched off, though the answer was kept a moment before; and
    lets the academy's go once someone there has an account."""
    academy, police = services.send_requests(
        case=notified_case,
        user=partners["pdeo"],
        agencies=[school, partners["police"]],
        questions="q",
    )

    def unanswerable():
        return [o.href for o in home.waiting_for(partners["pdeo"]).items if "another way" in o.text]

    assert unanswerable() == [f"/requests/{academy.pk}/"]
    assert cache.get(selectors.NOBODY_ANSWERS_KEY) is not None  # kept
    partners["police_contributor"].is_active = False
    partners["police_contributor"].save()
    assert sorted(unanswerable()) == sorted([f"/requests/{academy.pk}/", f"/requests/{police.pk}/"])
    UserFactory(roles=[Role.AGENCY_CONTRIBUTOR], agency=school)
    assert unanswerable() == [f"/requests/{police.pk}/"]


def test_the_source_costs_one_query_whether_or_not_anybody_lacks_an_account(
    notified_case, partners
):
    """The case lead's requests to act on are one query whether or not some agency lacks an
    account: with every agency answered for, the kept list is empty and the query asks only for
    responses to accept or return. The home page's queries do not depend on the data (issue
    18), and the query never reads the contributors itself."""
    pdeo = partners["pdeo"]
    services.send_requests(case=notified_case, user=pdeo, agencies=[partners["la"]], questions="q")

    def source_queries():
        with one_page(read_only=True):
            # What the page shares (which agencies nobody answers for, which cases the person
            # leads, whether they declared a conflict) is read once, by the first query.
            list(requests_to_act_on(pdeo))
            with CaptureQueriesContext(connection) as queries:
                owed = list(requests_to_act_on(pdeo))
        assert not [q for q in queries if "auth_group" in q["sql"]]
        return len(owed), len(queries)

    assert source_queries() == (1, 1)  # nobody at the council has an account
    for agency in ("la", "icb"):
        UserFactory(roles=[Role.AGENCY_CONTRIBUTOR], agency=partners[agency])
    assert selectors.agencies_nobody_answers_for() == []
    assert source_queries() == (0, 1)
