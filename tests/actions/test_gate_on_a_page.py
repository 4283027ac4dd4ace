"""The actions and requests gates on a page that only reads: for someone who sees every case
and declared no conflict of interest they ask nothing about cases; once a conflict is
declared the case's actions and requests are gone, on a page and off it."""

import pytest

from safeguarding.actions.models import Action
from safeguarding.cases import services as cases
from safeguarding.contributions import services as contributions
from safeguarding.contributions.models import InformationRequest
from safeguarding.page_memo import one_page

pytestmark = pytest.mark.django_db


def test_a_conflict_takes_a_case_s_actions_and_requests_out_of_every_gate(
    partners, notified_case, make_action
):
    pdeo = partners["pdeo"]
    action = make_action(case=notified_case)
    (request,) = contributions.send_requests(
        case=notified_case, user=pdeo, agencies=[partners["police"]], questions="q"
    )
    with one_page(read_only=True):
        actions, requests = (
            Action.objects.visible_to(pdeo),
            InformationRequest.objects.visible_to(pdeo),
        )
        assert "cases_case" not in str(actions.query) and "cases_case" not in str(requests.query)
        assert action in actions and request in requests
    cases.declare_conflict(case=notified_case, user=pdeo, nature="A cousin")
    for read_only in (True, False):
        with one_page(read_only=read_only):
            assert action not in Action.objects.visible_to(pdeo)
            assert request not in InformationRequest.objects.visible_to(pdeo)
    police = partners["police_contributor"]
    with one_page(read_only=True):
        assert action in Action.objects.visible_to(police)
        assert request in InformationRequest.objects.visible_to(police)
    cases.declare_conflict(case=notified_case, user=police, nature="Investigating officer")
    with one_page(read_only=True):
        assert action not in Action.objects.visible_to(police)
        assert request not in InformationRequest.objects.visible_to(police)
