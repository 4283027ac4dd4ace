"""The permission matrix: every URL of the service, for every role, on a case in scope and one
out of scope, with the status it must answer. A view added without an entry here fails
`test_every_route_is_in_the_matrix`, so nothing can escape it."""

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from notifications import services as notification_services
from notifications.models import Referral
from safeguarding.accounts.access import FIRST_FACTOR, PUBLIC, access_level
from safeguarding.accounts.models import Agency
from safeguarding.accounts.roles import ROLE_PERMISSIONS, Role
from safeguarding.cases import services as case_services
from safeguarding.cases.models import CaseTeamMember

from ..factories import UserFactory
from ..helpers import verified_client
from .urlwalk import all_routes

pytestmark = pytest.mark.django_db

NO_ROLE = "No role"
ROLES = [*Role.values, NO_ROLE]

# route -> (permission needed, takes a case?, status when allowed: {"A": ..., "B": ...})
# Case A has been notified (screened, notification open). Case B is a referral not yet screened.
OK = {"A": 200, "B": 200}
MATRIX = {
    "home": ("accounts.use_service", False, 200),
    "whats_due": ("deadlines.view_whats_due", False, 200),
    "access_log": ("audit.view_accesslog", False, 200),
    "accounts:backup_codes": ("accounts.use_service", False, 200),
    "cases:list": ("cases.view_case_list", False, 200),
    "cases:export": ("cases.export_cases", False, 200),
    "notifications:referral_new": ("cases.run_cases", False, 200),
    "cases:detail": ("cases.view_case", True, OK),
    "cases:edit": ("cases.run_cases", True, OK),
    "cases:child_add": ("cases.run_cases", True, OK),
    "cases:child_edit": ("cases.run_cases", True, OK),
    "cases:escalation_add": ("cases.run_cases", True, OK),
    "cases:team": ("cases.manage_case_team", True, OK),
    "cases:team_remove": ("cases.manage_case_team", True, {"A": 405, "B": 405}),  # POST only
    "cases:conflict": ("cases.declare_conflict", True, OK),
    "notifications:screening": ("cases.screen_referral", True, {"A": 302, "B": 200}),
    "notifications:record": ("cases.run_cases", True, {"A": 200, "B": 404}),
    "notifications:check": ("cases.run_cases", True, {"A": 302, "B": 404}),
    "notifications:awareness": ("cases.run_cases", True, {"A": 200, "B": 404}),
    "accounts:preferences": ("accounts.use_service", False, 200),
    "chase_now": ("cases.run_cases", True, {"A": 405, "B": 405}),  # POST only
}


def service_routes():
    return [
        r
        for r in all_routes()
        if not r.name.startswith("admin:")
        and access_level(r.callback) not in (PUBLIC, FIRST_FACTOR)
    ]


def test_every_route_is_in_the_matrix():
    names = {r.name for r in service_routes()}
    assert names == set(MATRIX), (
        f"missing from the matrix: {names - set(MATRIX)}; stale: {set(MATRIX) - names}"
    )


def test_matrix_permissions_match_the_views():
    for route in service_routes():
        assert route.callback.view_class.permission_required == MATRIX[route.name][0], route.name


@pytest.fixture
def world():
    """Two cases, one person per role, and who is on which case team."""
    la = Agency.objects.create(name="Northbridge Council", kind="local_authority")
    police = Agency.objects.create(name="Northbridge Police", kind="police")
    users = {role: UserFactory(roles=[role], agency=police) for role in Role.values}
    users[NO_ROLE] = UserFactory(agency=la)
    pdeo = users[Role.PDEO]

    def referred(name):
        return notification_services.record_referral(
            user=pdeo,
            referring_agency=la,
            referrer_name="R",
            received_on=date(2026, 11, 2),
            what_happened="x",
            why_serious="y",
            nature="serious_harm",
            child_name=name,
        )

    ref_a, ref_b = referred("Alpha Child"), referred("Bravo Child")
    notification_services.screen_referral(
        referral=ref_a,
        user=pdeo,
        decision=Referral.Decision.NOTIFY,
        reason="r",
        la_aware_on=date(2026, 11, 2),
    )
    case_a, case_b = ref_a.case, ref_b.case
    for role in (Role.LEAD_REVIEWER, Role.EXECUTIVE_MEMBER):
        case_services.add_team_member(
            case=case_a, user=users[role], role=CaseTeamMember.Role.OTHER, added_by=pdeo
        )
    return {"users": users, "A": case_a, "B": case_b}


def in_scope(role, case_key):
    """The visibility gate's table (DESIGN.md), restated independently for the test."""
    if role in (Role.BUSINESS_MANAGER, Role.PDEO, Role.PANEL_CHAIR, Role.DEPUTY_CHAIR):
        return True
    if role == Role.PANEL_MEMBER:
        return case_key == "A"  # before the panel
    if role in (Role.LEAD_REVIEWER, Role.EXECUTIVE_MEMBER):
        return case_key == "A"  # on the case team
    return False  # agency contributors and people with no role see no case page


def kwargs_for(route_name, case):
    kwargs = {"reference": case.reference}
    if route_name == "cases:child_edit":
        kwargs["child_id"] = case.children.first().pk
    if route_name == "cases:team_remove":
        kwargs["member_id"] = case.team.first().pk
    if route_name == "chase_now":
        kwargs["deadline_id"] = 1
    return kwargs


def expected(route_name, role, case_key=None):
    permission, takes_case, ok = MATRIX[route_name]
    has = role != NO_ROLE and permission in ROLE_PERMISSIONS[role]
    if not has:
        return 403
    if not takes_case:
        return ok
    return ok[case_key] if in_scope(role, case_key) else 404


@pytest.mark.parametrize("route_name", sorted(MATRIX))
def test_matrix(world, route_name):
    failures = []
    takes_case = MATRIX[route_name][1]
    for role in ROLES:
        client = verified_client(Client(), world["users"][role])
        targets = [("A", world["A"]), ("B", world["B"])] if takes_case else [(None, None)]
        for key, case in targets:
            url = reverse(route_name, kwargs=kwargs_for(route_name, case) if case else None)
            status = client.get(url).status_code
            want = expected(route_name, role, key)
            if status != want:
                failures.append(f"{role:20} case {key}: got {status}, expected {want} ({url})")
    assert not failures, "\n".join(failures)


def test_a_conflict_of_interest_takes_the_case_out_of_scope(world):
    chair = world["users"][Role.PANEL_CHAIR]
    client = verified_client(Client(), chair)
    url = reverse("cases:detail", kwargs={"reference": world["A"].reference})
    assert client.get(url).status_code == 200
    response = client.post(
        reverse("cases:conflict", kwargs={"reference": world["A"].reference}),
        {"nature": "My sister is the child's teacher", "confirm": "on"},
    )
    assert response.status_code == 302
    for name in MATRIX:
        if MATRIX[name][1] and expected(name, Role.PANEL_CHAIR, "A") != 403:
            response = client.get(reverse(name, kwargs=kwargs_for(name, world["A"])))
            assert response.status_code == 404, name
    listing = client.get(reverse("cases:list")).content.decode()
    assert world["A"].reference not in listing
    assert world["B"].reference in listing


def test_posting_to_a_case_out_of_scope_is_404_and_changes_nothing(world):
    member = world["users"][Role.PANEL_MEMBER]
    client = verified_client(Client(), member)
    case_b = world["B"]
    response = client.post(
        reverse("cases:conflict", kwargs={"reference": case_b.reference}),
        {"nature": "x", "confirm": "on"},
    )
    assert response.status_code == 404
    assert not case_b.conflicts.exists()


def test_team_member_from_another_case_cannot_be_removed_through_this_one(world):
    client = verified_client(Client(), world["users"][Role.PDEO])
    other_member = world["A"].team.first()
    response = client.post(
        reverse(
            "cases:team_remove",
            kwargs={"reference": world["B"].reference, "member_id": other_member.pk},
        )
    )
    assert response.status_code == 404
    assert CaseTeamMember.objects.filter(pk=other_member.pk).exists()
