"""The permission matrix: every URL of the service, for every role, on a case in scope and one
out of scope, with the status it must answer. A view added without an entry here fails
`test_every_route_is_in_the_matrix`, so nothing can escape it."""

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from safeguarding.accounts.access import FIRST_FACTOR, PUBLIC, access_level
from safeguarding.accounts.models import Agency
from safeguarding.accounts.roles import ROLE_PERMISSIONS, Role
from safeguarding.cases import services as case_services
from safeguarding.cases.models import CaseTeamMember
from safeguarding.files import building as files_building
from safeguarding.files import services as files_services
from safeguarding.outbox.models import OutboundEmail

from ..factories import UserFactory
from ..helpers import notify, refer, verified_client
from .urlwalk import all_routes

pytestmark = pytest.mark.django_db

NO_ROLE = "No role"
ROLES = [*Role.values, NO_ROLE]

# route -> (permission needed, what it is about, status when allowed: {"A": ..., "B": ...}).
# Cases: A has been notified and has a rapid review; B is a referral not yet screened.
# Requests (and their entries and documents): A is the police's request on case A, B the
# hospital's. Everyone in the matrix works for the police.
OK = {"A": 200, "B": 200}
POST_ONLY = {"A": 405, "B": 405}
ONLY_A = {"A": 200, "B": 404}
MATRIX = {
    "home": ("accounts.use_service", None, 200),
    "whats_due": ("deadlines.view_whats_due", None, 200),
    "access_log": ("audit.view_accesslog", None, 200),
    "accounts:backup_codes": ("accounts.use_service", None, 200),
    "accounts:preferences": ("accounts.use_service", None, 200),
    "cases:list": ("cases.view_case_list", None, 200),
    "cases:export": ("cases.export_cases", None, 200),
    "notifications:referral_new": ("cases.run_cases", None, 200),
    "cases:detail": ("cases.view_case", "case", OK),
    "cases:edit": ("cases.run_cases", "case", OK),
    "cases:child_add": ("cases.run_cases", "case", OK),
    "cases:child_edit": ("cases.run_cases", "case", OK),
    "cases:escalation_add": ("cases.run_cases", "case", OK),
    "cases:team": ("cases.manage_case_team", "case", OK),
    "cases:team_remove": ("cases.manage_case_team", "case", POST_ONLY),
    "cases:conflict": ("cases.declare_conflict", "case", OK),
    "chase_now": ("cases.run_cases", "case", POST_ONLY),
    "notifications:screening": ("cases.screen_referral", "case", {"A": 302, "B": 200}),
    "notifications:record": ("cases.run_cases", "case", ONLY_A),
    "notifications:check": ("cases.run_cases", "case", {"A": 302, "B": 404}),
    "notifications:awareness": ("cases.run_cases", "case", ONLY_A),
    "requests:list": ("contributions.view_informationrequest", None, 200),
    "requests:detail": ("contributions.view_informationrequest", "request", OK),
    "requests:response": ("contributions.respond_to_request", "request", OK),
    "requests:entry_add": ("contributions.respond_to_request", "request", OK),
    "requests:entry_edit": ("contributions.respond_to_request", "entry", OK),
    "requests:entry_delete": ("contributions.respond_to_request", "entry", POST_ONLY),
    "requests:document_add": ("contributions.respond_to_request", "request", OK),
    "requests:document_delete": ("contributions.respond_to_request", "document", POST_ONLY),
    "requests:submit": ("contributions.respond_to_request", "request", OK),
    "requests:nil_return": ("contributions.respond_to_request", "request", OK),
    "requests:accept": ("contributions.review_response", "request", POST_ONLY),
    "requests:return": ("contributions.review_response", "request", OK),
    "requests:withdraw": ("contributions.review_response", "request", POST_ONLY),
    "requests:document": ("contributions.view_informationrequest", "document", OK),
    "requests:send": ("contributions.review_response", "case", OK),
    "requests:chronology": ("cases.view_case", "case", OK),
    "requests:chronology_csv": ("cases.view_case", "case", OK),
    "requests:chronology_pdf": ("cases.view_case", "case", OK),
    "rapid_reviews:open": ("rapid_reviews.run_rapid_review", "case", POST_ONLY),
    "rapid_reviews:detail": ("cases.view_case", "case", ONLY_A),
    "rapid_reviews:section": ("rapid_reviews.run_rapid_review", "case", ONLY_A),
    "rapid_reviews:criteria": ("rapid_reviews.run_rapid_review", "case", ONLY_A),
    "rapid_reviews:decision": ("rapid_reviews.run_rapid_review", "case", ONLY_A),
    "rapid_reviews:sign_off": ("cases.view_case", "case", ONLY_A),
    "rapid_reviews:send": ("rapid_reviews.run_rapid_review", "case", ONLY_A),
    "rapid_reviews:reply": ("rapid_reviews.run_rapid_review", "case", ONLY_A),
    "rapid_reviews:pdf": ("cases.view_case", "case", ONLY_A),
    "rapid_reviews:sent_pdf": ("cases.view_case", "case", {"A": 404, "B": 404}),  # not sent
    "rapid_reviews:finalise": ("rapid_reviews.run_rapid_review", "case", POST_ONLY),
    "rapid_reviews:reopen": ("rapid_reviews.run_rapid_review", "case", POST_ONLY),
    "rapid_reviews:final_pdf": ("cases.view_case", "case", {"A": 404, "B": 404}),  # not final
    "rapid_reviews:to_commission": ("cases.view_case_list", None, 200),
    "emails_needing_attention": ("outbox.resend_email", None, 200),
    "files:list": ("accounts.use_service", None, 200),
    "files:status": ("accounts.use_service", "file", {"A": 200}),
    "files:status_json": ("accounts.use_service", "file", {"A": 200}),
    "files:download": ("accounts.use_service", "file", {"A": 200}),
    "resend_email": ("outbox.resend_email", "email", POST_ONLY),
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
def world(tmp_path, settings):
    """Two cases, two requests, one person per role, and who is on which case team."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from rapid_reviews import services as rapid_review_services
    from safeguarding.contributions import services as contributions

    settings.MEDIA_ROOT = tmp_path
    la = Agency.objects.create(name="Northbridge Council", kind="local_authority")
    police = Agency.objects.create(name="Northbridge Police", kind="police")
    hospital = Agency.objects.create(name="Northbridge Hospital", kind="health_provider")
    users = {role: UserFactory(roles=[role], agency=police) for role in Role.values}
    users[NO_ROLE] = UserFactory(agency=la)
    pdeo = users[Role.PDEO]
    hospital_contributor = UserFactory(roles=[Role.AGENCY_CONTRIBUTOR], agency=hospital)

    case_a = notify(pdeo, la, child_name="Alpha Child", national_reference="NP-MATRIX")
    case_b = refer(pdeo, la, child_name="Bravo Child").case
    rapid_review_services.open_rapid_review(case=case_a, user=pdeo)
    for role in (Role.LEAD_REVIEWER, Role.EXECUTIVE_MEMBER):
        case_services.add_team_member(
            case=case_a, user=users[role], role=CaseTeamMember.Role.OTHER, added_by=pdeo
        )
    police_request, hospital_request = contributions.send_requests(
        case=case_a, user=pdeo, agencies=[police, hospital], questions="Your involvement"
    )
    unknown_email = OutboundEmail.objects.create(
        recipient=pdeo,
        to_address=pdeo.email,
        kind=OutboundEmail.Kind.DIGEST,
        day=date(2026, 11, 3),
        subject="Reminders",
        body_text="x",
        status=OutboundEmail.Status.UNKNOWN,
    )
    # A file the PDEO asked for (the integrated chronology of case A), built as the worker would.
    chronology_file = files_services.request_file(
        user=pdeo, kind="chronology_pdf", params={"reference": case_a.reference}
    )
    files_building.build(file_id=chronology_file.pk)
    targets = {
        "case": {"A": case_a, "B": case_b},
        "file": {"A": chronology_file},
        "request": {},
        "entry": {},
        "document": {},
        "email": {"A": unknown_email},
    }
    for key, request, author in (
        ("A", police_request, users[Role.AGENCY_CONTRIBUTOR]),
        ("B", hospital_request, hospital_contributor),
    ):
        targets["request"][key] = request
        targets["entry"][key] = contributions.add_entry(
            request=request, user=author, date=date(2026, 10, 1), what_happened="Seen"
        )
        targets["document"][key] = contributions.add_document(
            request=request,
            user=author,
            upload=SimpleUploadedFile("note.txt", b"A plain text note.", "text/plain"),
        )
    return {"users": users, "targets": targets, "A": case_a, "B": case_b}


def in_scope(role, case_key):
    """The visibility gate's table (docs/architecture.md), restated independently for the test."""
    if role in (Role.BUSINESS_MANAGER, Role.PDEO, Role.PANEL_CHAIR, Role.DEPUTY_CHAIR):
        return True
    if role == Role.PANEL_MEMBER:
        return case_key == "A"  # before the panel
    if role in (Role.LEAD_REVIEWER, Role.EXECUTIVE_MEMBER):
        return case_key == "A"  # on the case team
    return False  # agency contributors and people with no role see no case page


def visible(role, target_kind, key):
    if target_kind == "case":
        return in_scope(role, key)
    if target_kind == "email":
        return True  # the partnership's outbox: whoever may resend sees all of it
    if target_kind == "file":
        return role == Role.PDEO  # only the person who asked for a file sees it
    # Requests and what hangs on them: everyone who sees case A, and the police contributor
    # sees the police's request (A) but never the hospital's (B).
    return in_scope(role, "A") or (role == Role.AGENCY_CONTRIBUTOR and key == "A")


def kwargs_for(route_name, target_kind, obj, world=None):
    if target_kind is None:
        return None
    if target_kind == "case":
        kwargs = {"reference": obj.reference}
        if route_name == "cases:child_edit":
            kwargs["child_id"] = obj.children.first().pk
        if route_name == "cases:team_remove":
            kwargs["member_id"] = obj.team.first().pk
        if route_name == "chase_now":
            kwargs["deadline_id"] = 1
        if route_name == "rapid_reviews:section":
            kwargs["section"] = "child-and-family"
        return kwargs
    if target_kind == "request":
        return {"pk": obj.pk}
    if target_kind == "entry":
        return {"pk": obj.request_id, "entry_id": obj.pk}
    if target_kind in ("email", "file"):
        return {"pk": obj.pk}
    if route_name == "requests:document":
        return {"pk": obj.pk}
    return {"pk": obj.request_id, "document_id": obj.pk}


def expected(route_name, role, key=None):
    permission, target_kind, ok = MATRIX[route_name]
    has = role != NO_ROLE and permission in ROLE_PERMISSIONS[role]
    if not has:
        return 403
    if target_kind is None:
        return ok
    return ok[key] if visible(role, target_kind, key) else 404


@pytest.mark.parametrize("route_name", sorted(MATRIX))
def test_matrix(world, route_name):
    failures = []
    target_kind = MATRIX[route_name][1]
    for role in ROLES:
        client = verified_client(Client(), world["users"][role])
        if target_kind is None:
            targets = [(None, None)]
        else:
            targets = sorted(world["targets"][target_kind].items())
        for key, obj in targets:
            url = reverse(route_name, kwargs=kwargs_for(route_name, target_kind, obj))
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
    for name, (_, target_kind, _) in MATRIX.items():
        if target_kind and expected(name, Role.PANEL_CHAIR, "A") != 403:
            obj = world["targets"][target_kind]["A"]
            response = client.get(reverse(name, kwargs=kwargs_for(name, target_kind, obj)))
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
