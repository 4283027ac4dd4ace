"""The request list's count: each part of the request gate counted apart (the agency's own
requests; those on the cases the person reads, less what the first part counted) must give
what the gate itself lets through, for everyone, on a page that only reads and off one."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.urls import reverse

from safeguarding.cases import services as cases
from safeguarding.cases.models import CaseTeamMember
from safeguarding.contributions import services as contributions
from safeguarding.contributions.models import InformationRequest
from safeguarding.page_memo import one_page

from ..factories import CaseFactory, UserFactory
from ..helpers import verified_client

pytestmark = pytest.mark.django_db


def ask(case, pdeo, *agencies):
    return contributions.send_requests(case=case, user=pdeo, agencies=list(agencies), questions="q")


@pytest.fixture
def world(partners):
    pdeo, police, la, hospital = (
        partners["pdeo"],
        partners["police"],
        partners["la"],
        partners["hospital"],
    )
    contributor = partners["police_contributor"]
    answered = CaseFactory(user=pdeo)
    ask(answered, pdeo, police, la)  # the police's counts; the council's does not
    withdrawn = CaseFactory(user=pdeo)
    (gone,) = ask(withdrawn, pdeo, police)
    contributions.withdraw_request(request=gone, user=pdeo, reason="Sent in error")
    on_team = CaseFactory(user=pdeo)
    ask(on_team, pdeo, police, la, hospital)  # all three: the contributor reads the case
    cases.add_team_member(
        case=on_team, user=contributor, role=CaseTeamMember.Role.OTHER, added_by=pdeo
    )
    conflicted = CaseFactory(user=pdeo)
    ask(conflicted, pdeo, police)
    return {"pdeo": pdeo, "contributor": contributor, "conflicted": conflicted, **partners}


def counts(user):
    gate = InformationRequest.objects.visible_to(user)
    return gate.count(), InformationRequest.objects.count_visible_to(user)


@pytest.mark.parametrize("read_only", [True, False])
def test_the_count_is_what_the_gate_lets_through(world, read_only):
    contributor = world["contributor"]
    with one_page(read_only=read_only):
        # Own agency: answered, on_team, conflicted (3); on the team's case: the council's and
        # the hospital's too (2 more). The withdrawn one is not the agency's to see.
        assert counts(contributor) == (5, 5)
        assert counts(world["pdeo"]) == (7, 7)  # every request, the withdrawn one included
        assert counts(world["hospital_contributor"]) == (1, 1)
        assert counts(UserFactory(roles=[])) == (0, 0)
        assert counts(AnonymousUser()) == (0, 0)
    cases.declare_conflict(case=world["conflicted"], user=contributor, nature="Investigating")
    with one_page(read_only=read_only):
        assert counts(contributor) == (4, 4)


def test_the_request_list_says_how_many_there_are_counted_by_parts(world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = verified_client(Client(), world["contributor"])
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("requests:list"))
    assert response.status_code == 200
    assert "5 requests." in response.content.decode()
    # The page's count is the parts' (a UNION ALL), not COUNT(*) over the gate's OR.
    counts = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("SELECT COUNT")]
    assert any("UNION ALL" in sql and "contributions_informationrequest" in sql for sql in counts)
