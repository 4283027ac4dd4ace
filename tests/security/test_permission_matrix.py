"""The permission matrix: every URL of the service, for every role, on a case in scope and one
out of scope, with the status it must answer. A view added without an entry here fails
`test_every_route_is_in_the_matrix`, so nothing can escape it."""

import re
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from cspr import services as cspr_services
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
# An admin: staff and superuser, with no service role. Admins work in Django admin; every
# service page needs a service role, superuser or not.
ADMIN_NO_ROLE = "Superuser, no role"
ROLES = [*Role.values, NO_ROLE, ADMIN_NO_ROLE]

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
    "cases:household_add": ("cases.run_cases", "case", OK),
    "cases:household_remove": ("cases.run_cases", "case", POST_ONLY),
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
    "requests:upload": ("contributions.respond_to_request", "request", OK),
    "requests:upload_template_xlsx": ("contributions.view_informationrequest", "request", OK),
    "requests:upload_template_csv": ("contributions.view_informationrequest", "request", OK),
    "requests:upload_status": ("contributions.respond_to_request", "upload", OK),
    "requests:upload_status_json": ("contributions.respond_to_request", "upload", OK),
    "requests:upload_add": ("contributions.respond_to_request", "upload", POST_ONLY),
    "requests:upload_cancel": ("contributions.respond_to_request", "upload", POST_ONLY),
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
    "rapid_reviews:criteria": ("rapid_reviews.record_decision", "case", ONLY_A),
    "rapid_reviews:decision": ("rapid_reviews.record_decision", "case", ONLY_A),
    "rapid_reviews:sign_off": ("cases.view_case", "case", ONLY_A),
    "rapid_reviews:send": ("rapid_reviews.run_rapid_review", "case", ONLY_A),
    "rapid_reviews:reply": ("rapid_reviews.record_decision", "case", ONLY_A),
    "rapid_reviews:pdf": ("cases.view_case", "case", ONLY_A),
    "rapid_reviews:sent_pdf": ("cases.view_case", "case", {"A": 404, "B": 404}),  # not sent
    "rapid_reviews:finalise": ("rapid_reviews.run_rapid_review", "case", POST_ONLY),
    "rapid_reviews:reopen": ("rapid_reviews.run_rapid_review", "case", POST_ONLY),
    "rapid_reviews:final_pdf": ("cases.view_case", "case", {"A": 404, "B": 404}),  # not final
    "emails_needing_attention": ("outbox.resend_email", None, 200),
    "files:list": ("accounts.use_service", None, 200),
    "reports:dashboard": ("reports.view_reports", None, 200),
    "reports:pack": ("reports.view_reports", None, 200),
    "reports:exports": ("reports.export_data", None, 200),
    "reports:export": ("reports.export_data", "export", {"A": 200}),
    "files:status": ("accounts.use_service", "file", {"A": 200}),
    "files:status_json": ("accounts.use_service", "file", {"A": 200}),
    "files:download": ("accounts.use_service", "file", {"A": 200}),
    "resend_email": ("outbox.resend_email", "email", POST_ONLY),
    # Local reviews: case A has one (started without a rapid review's decision), B has none.
    "cspr:start": ("cspr.commission_local_review", "case", {"A": 302, "B": 200}),
    "cspr:detail": ("cases.view_case", "case", ONLY_A),
    "cspr:team": ("cspr.commission_local_review", "case", ONLY_A),
    "cspr:remove": ("cspr.commission_local_review", "case", POST_ONLY),
    "cspr:told": ("cspr.commission_local_review", "case", ONLY_A),
    "cspr:tell_agencies": ("cspr.commission_local_review", "case", {"A": 404, "B": 404}),
    "cspr:to_commission": ("cspr.view_reviews_to_commission", None, 200),
    "cspr:terms": ("cspr.work_on_local_review", "case", ONLY_A),
    "cspr:agree_terms": ("cspr.work_on_local_review", "case", POST_ONLY),
    "cspr:national_review": ("cspr.commission_local_review", "case", ONLY_A),
    "cspr:pack": ("cspr.commission_local_review", "case", ONLY_A),
    "cspr:revise": ("cspr.revise_decision", "case", ONLY_A),  # A's rapid review; B has none
    "cspr:revised_sign_off": ("cases.view_case", "case", {"A": 404, "B": 404}),  # none yet
    "cspr:progress": ("cspr.commission_local_review", "case", ONLY_A),
    "cspr:reviewer_requests": ("cspr.commission_local_review", "case", ONLY_A),
    "cspr:reviewer_answered": ("cspr.commission_local_review", "case", POST_ONLY),
    "cspr:first_meeting": ("cspr.commission_local_review", "case", ONLY_A),
    "cspr:delay": ("cspr.commission_local_review", "case", ONLY_A),
    "cspr:approval": ("cspr.commission_local_review", "case", ONLY_A),
    "cspr:plan_publication": ("cspr.commission_local_review", "case", ONLY_A),
    "cspr:report_sent": ("cspr.commission_local_review", "case", ONLY_A),
    "cspr:publish": ("cspr.commission_local_review", "case", ONLY_A),
    "cspr:late_reason": ("cspr.commission_local_review", "case", ONLY_A),
    "cspr:publication_delay": ("cspr.commission_local_review", "case", ONLY_A),
    "cspr:awaiting_approval": ("cspr.approve_final_report", None, 200),
    # Its own gate (reports waiting for the Executive): A's review is not waiting yet.
    "cspr:final_approval": ("cspr.approve_final_report", "local_review", {"A": 404}),
    # Drafts of case A's report: version 1 circulated to the police's Case Review Panel member
    # (not one of the people below), who has commented for the police.
    "cspr:drafts": ("cases.view_case", "case", ONLY_A),
    "cspr:draft": ("cases.view_case", "draft", {"A": 200}),
    "cspr:draft_file": ("cases.view_case", "draft", {"A": 200}),
    "cspr:circulate": ("cspr.work_on_local_review", "draft", {"A": 405}),
    "cspr:close_comments": ("cspr.work_on_local_review", "draft", {"A": 405}),
    "cspr:comments": ("cases.view_case", "agency_comments", {"A": 200}),
    "cspr:finish_comments": ("cases.view_case", "agency_comments", {"A": 405}),
    "cspr:comment": ("cases.view_case", "comment", {"A": 200}),
    "cspr:withdraw_comment": ("cases.view_case", "comment", {"A": 405}),
    "cspr:respond": ("cspr.work_on_local_review", "comment", {"A": 200}),
    # Case A's learning event (with a practitioner invited) and a family member approached.
    "cspr:learning_events": ("cases.view_case", "case", ONLY_A),
    "cspr:learning_event": ("cases.view_case", "event", {"A": 200}),
    "cspr:attendance": ("cases.view_case", "event", {"A": 200}),
    "cspr:family": ("cases.view_case", "case", ONLY_A),
    "cspr:family_edit": ("cases.view_case", "family", {"A": 200}),
    # Recommendations, the action plan and its sign-off, themes and the learning briefing (A's
    # review has a recommendation and a briefing; B has no review). The Executive's sign-off
    # of a plan has its own gate: A's plan is not waiting for it.
    "cspr:action_plan": ("cases.view_case", "case", ONLY_A),
    "cspr:recommendation_add": ("cspr.work_on_local_review", "case", ONLY_A),
    "cspr:recommendation_edit": ("cspr.work_on_local_review", "recommendation", {"A": 200}),
    "cspr:recommendation_action": ("actions.set_actions", "recommendation", {"A": 200}),
    "cspr:plan_sign_off": ("cspr.commission_local_review", "case", ONLY_A),
    "cspr:plan_approval": ("cspr.approve_final_report", "local_review", {"A": 404}),
    "cspr:themes": ("cspr.work_on_local_review", "case", ONLY_A),
    "cspr:briefing": ("cspr.work_on_local_review", "case", ONLY_A),
    "cspr:briefing_pdf": ("cases.view_case", "case", ONLY_A),
    "cspr:learning_themes": ("reports.view_reports", None, 200),
    # The CSPR Panel: its members and meetings (no case detail; see the agenda for cases).
    "panel:members": ("panel.view_panel", None, 200),
    "panel:member_add": ("panel.run_panel", None, 200),
    "panel:member_edit": ("panel.run_panel", "member", {"A": 200}),
    "panel:member_deputy": ("panel.run_panel", "member", {"A": 200}),
    "panel:meetings": ("panel.view_panel", None, 200),
    "panel:schedule": ("panel.run_panel", None, 200),
    "panel:call": ("panel.run_panel", None, 200),
    "panel:meeting": ("panel.view_panel", "meeting", {"A": 200}),
    "panel:meeting_move": ("panel.run_panel", "meeting", {"A": 200}),
    "panel:meeting_cancel": ("panel.run_panel", "meeting", {"A": 200}),
    "panel:meeting_ics": ("panel.view_panel", "meeting", {"A": 200}),
    "panel:item_add": ("panel.run_panel", "meeting", {"A": 200}),
    "panel:send_papers": ("panel.run_panel", "meeting", {"A": 405}),
    "panel:attendance": ("panel.conduct_panel", "meeting", {"A": 200}),
    "panel:item": ("panel.view_panel", "item", {"A": 200}),
    "panel:item_papers": ("panel.run_panel", "item", {"A": 200}),
    "panel:declare": ("panel.conduct_panel", "item", {"A": 200}),
    "panel:minutes": ("panel.run_panel", "item", {"A": 200}),
    "panel:decide": ("panel.conduct_panel", "item", {"A": 200}),
    "panel:virtual_decision": ("panel.conduct_panel", "case", OK),
    # Actions: A is the police's action on case A, B the hospital's from the Panel's action log
    # (no case). Deciding a closure answers with the action's page while none is proposed.
    "actions:list": ("actions.oversee_actions", None, 200),
    "actions:agency": ("actions.update_action", None, 200),
    "actions:new": ("actions.set_actions", None, 200),
    "actions:detail": ("actions.view_actions", "action", OK),
    "actions:update": ("actions.update_action", "action", OK),
    "actions:propose_closure": ("actions.update_action", "action", OK),
    "actions:decide_closure": ("actions.decide_closure", "action", {"A": 302, "B": 302}),
    "actions:carry": ("actions.decide_closure", "action", OK),
    "actions:evidence": ("actions.view_actions", "evidence", OK),
    "panel:approve_minutes": ("panel.conduct_panel", "meeting", {"A": 405}),
    "panel:minutes_pdf": ("panel.view_panel", "meeting", {"A": 200}),
    # The Panel's action log: through the actions gate (a member sees their agency's).
    "panel:action_log": ("panel.view_panel", None, 200),
    "panel:meeting_actions": ("panel.view_panel", "meeting", {"A": 200}),
    "panel:action_add": ("actions.set_actions", "meeting", {"A": 200}),
    "panel:action_escalate": ("panel.conduct_panel", "action", OK),
    # Highlight reports: the Business Manager and PDEO draft and issue them; the Executive and
    # the Panel read the issued versions (references and pseudonyms only).
    "panel:highlight_reports": ("panel.read_highlight_reports", None, 200),
    "panel:highlight_new": ("panel.run_panel", None, 200),
    "panel:highlight_report": ("panel.run_panel", "highlight", {"A": 200}),
    "panel:highlight_edit": ("panel.run_panel", "highlight", {"A": 200}),
    "panel:highlight_issue": ("panel.run_panel", "highlight", {"A": 405}),
    "panel:highlight_issued": ("panel.read_highlight_reports", "issued_highlight", {"A": 200}),
    "panel:highlight_pdf": ("panel.read_highlight_reports", "issued_highlight", {"A": 200}),
}

# Routes whose view also asks for one of these permissions, once the object is through its
# gate (a 403 inside it, a 404 outside): the chronology template is for the agency asked and
# the partnership team who send requests, not for everyone who can read the request.
ALSO_ONE_OF = {
    "requests:upload_template_xlsx": {
        "contributions.respond_to_request",
        "contributions.review_response",
    },
    "requests:upload_template_csv": {
        "contributions.respond_to_request",
        "contributions.review_response",
    },
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
    users[ADMIN_NO_ROLE] = UserFactory(agency=la, is_staff=True, is_superuser=True)
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
    local_review = cspr_services.start_local_review(
        case=case_a, user=pdeo, decided_on=date(2026, 11, 2), decided_by="The partners"
    )
    from cspr.models import LearningBriefing, Recommendation

    recommendation = Recommendation.objects.create(
        review=local_review, number=1, text="Share concerns early", added_by=pdeo
    )
    LearningBriefing.objects.create(
        review=local_review,
        summary="Child A was seriously harmed.",
        key_learning="See the child",
        questions="Who saw the child?",
        version=1,
        updated_by=pdeo,
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
        "export": {"A": "case-clocks"},
        "request": {},
        "entry": {},
        "document": {},
        "upload": {},
        "email": {"A": unknown_email},
        "local_review": {"A": local_review},
        "recommendation": {"A": recommendation},
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
        targets["upload"][key] = contributions.upload_chronology(
            request=request,
            user=author,
            upload=SimpleUploadedFile("chronology.csv", b"Date,What happened\n01/10/2025,Seen\n"),
        )
    targets.update(panel_targets(pdeo, users, police, case_a))
    targets.update(review_targets(pdeo, local_review, police))
    # Actions, each with an update carrying evidence from its own agency.
    from safeguarding.actions import services as actions

    targets["action"], targets["evidence"] = {}, {}
    for key, agency, case, author in (
        ("A", police, case_a, users[Role.AGENCY_CONTRIBUTOR]),
        ("B", hospital, None, hospital_contributor),
    ):
        action = actions.set_action(
            user=pdeo,
            case=case,
            source="recommendation" if case else "action_log",
            description="Train duty officers",
            owner_agency=agency,
            due_date=date(2027, 1, 29),
            measure_of_success="Audit",
        )
        targets["action"][key] = action
        targets["evidence"][key] = actions.add_update(
            action=action,
            user=author,
            text="Register attached",
            rag="green",
            upload=SimpleUploadedFile("register.txt", b"Training register", "text/plain"),
        )
    return {"users": users, "targets": targets, "A": case_a, "B": case_b}


PANEL_RECORDS = ("member", "meeting", "highlight", "issued_highlight")


def panel_targets(pdeo, users, police, case_a):
    """A member of the CSPR Panel, a meeting of it, and an item about case A."""
    from datetime import time

    from panel import services as panel_services

    member = panel_services.add_member(
        user=pdeo,
        person=users[Role.PANEL_MEMBER],
        agency=police,
        panel_role="member",
        deputy=UserFactory(agency=police),
        start_date=date(2026, 1, 1),
    )
    meeting = panel_services.call_extraordinary_meeting(
        user=pdeo,
        day=date(2030, 1, 10),
        start_time=time(10),
        end_time=time(12),
        place="Council House",
    )
    item = panel_services.add_item(user=pdeo, meeting=meeting, kind="rapid_review", case=case_a)
    report = panel_services.save_highlight_report(
        user=pdeo,
        executive_meeting="Executive Group meeting",
        executive_meeting_on=date(2026, 12, 3),
        key_messages="Key messages",
    )
    issued = panel_services.issue_highlight_report(user=pdeo, report=report)
    return {
        "member": {"A": member},
        "meeting": {"A": meeting},
        "item": {"A": item},
        "highlight": {"A": report},
        "issued_highlight": {"A": issued},
    }


REVIEW_RECORDS = ("draft", "agency_comments", "comment", "event", "family")


def review_targets(pdeo, local_review, police):
    """A draft of case A's report circulated to the police's Case Review Panel member (someone
    not in the matrix, so nobody's access to case A changes), with the police's comment."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    member = UserFactory(roles=[Role.PANEL_MEMBER], agency=police)
    cspr_services.appoint(review=local_review, user=pdeo, person=member, role="crp_member")
    draft = cspr_services.upload_draft(
        review=local_review,
        user=pdeo,
        upload=SimpleUploadedFile("draft.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf"),
    )
    cspr_services.circulate_draft(draft=draft, user=pdeo)
    comment = cspr_services.add_comment(draft=draft, user=member, agency=police, comment="Date")
    event = cspr_services.record_learning_event(
        review=local_review, user=pdeo, kind="learning_event", held_on=date(2026, 11, 10)
    )
    cspr_services.invite_practitioner(event=event, user=pdeo, agency=police, who="A. Officer, PC")
    family = cspr_services.record_family_engagement(
        review=local_review,
        user=pdeo,
        relationship="mother",
        how="letter",
        approached_on=date(2026, 11, 12),
        response="agreed",
        contributions="Wanted the school to be heard",
    )
    return {
        "event": {"A": event},
        "family": {"A": family},
        "draft": {"A": draft},
        "agency_comments": {"A": (draft, police)},
        "comment": {"A": comment},
    }


PARTNERSHIP_WIDE = (Role.BUSINESS_MANAGER, Role.PDEO, Role.PANEL_CHAIR, Role.DEPUTY_CHAIR)
# The pages that show a case's reference, pseudonym and status only: the rest show what the
# case says (free text, files, identifying details).
SEE_ONLY = {"cases:detail", "cases:conflict"}


def in_scope(role, case_key):
    """Who sees a case exists (docs/architecture.md), restated independently for the test."""
    if role in PARTNERSHIP_WIDE:
        return True
    if role == Role.PANEL_MEMBER:
        return case_key == "A"  # before the panel
    if role in (Role.LEAD_REVIEWER, Role.EXECUTIVE_MEMBER):
        return case_key == "A"  # on the case team
    return False  # agency contributors and people with no role see no case page


def reads(role, case_key):
    """Who may read what a case says: partnership staff and the case team; a Panel member who
    is not on the team sees the case, not its free text or files."""
    if role in PARTNERSHIP_WIDE:
        return True
    if role in (Role.LEAD_REVIEWER, Role.EXECUTIVE_MEMBER):
        return case_key == "A"  # on the case team
    return False


def visible(role, target_kind, key, route_name=None):
    if target_kind == "case":
        return (in_scope if route_name in SEE_ONLY else reads)(role, key)
    if target_kind == "email":
        return True  # the partnership's outbox: whoever may resend sees all of it
    if target_kind == "file":
        return role == Role.PDEO  # only the person who asked for a file sees it
    if target_kind == "export":
        return True  # the partnership's lists: whoever may export has every one
    if target_kind == "local_review":
        return True  # reports waiting for final approval: their own gate, not the case's
    if target_kind == "recommendation":
        return reads(role, "A")  # a recommendation on case A's review: read with the case
    if target_kind in ("member", "meeting", "item", "highlight", "issued_highlight"):
        return True  # the Panel's own records: whoever may see the Panel sees them all
    if target_kind in REVIEW_RECORDS:
        # Case A's: whoever may read it (all here work for the police, whose comments they are).
        return reads(role, "A")
    if target_kind in ("action", "evidence"):
        # The partnership team see every action on a case they see, and those on none; an
        # agency's contributors and Panel member see their own agency's (the police's: A).
        if role in PARTNERSHIP_WIDE:
            return key == "B" or in_scope(role, "A")
        return role in (Role.AGENCY_CONTRIBUTOR, Role.PANEL_MEMBER) and key == "A"
    # Requests and what hangs on them: everyone who may read case A, and the police contributor
    # sees the police's request (A) but never the hospital's (B).
    return reads(role, "A") or (role == Role.AGENCY_CONTRIBUTOR and key == "A")


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
        if route_name == "cases:household_remove":
            kwargs["member_id"] = 1
        if route_name == "rapid_reviews:section":
            kwargs["section"] = "child-and-family"
        if route_name == "cspr:remove":
            kwargs["appointment_id"] = 1
        if route_name == "cspr:reviewer_answered":
            kwargs["request_id"] = 1
        return kwargs
    if target_kind == "request":
        return {"pk": obj.pk}
    if target_kind == "entry":
        return {"pk": obj.request_id, "entry_id": obj.pk}
    if target_kind == "upload":
        return {"pk": obj.request_id, "upload_id": obj.pk}
    if target_kind in ("email", "file", "member", "meeting", "highlight", "issued_highlight"):
        return {"pk": obj.pk}
    if target_kind == "local_review":
        return {"review_id": obj.pk}
    if target_kind == "recommendation":
        return {"reference": obj.review.case.reference, "recommendation_id": obj.pk}
    if target_kind == "item":
        return {"pk": obj.meeting_id, "item_id": obj.pk}
    if target_kind == "action":
        return {"pk": obj.pk}
    if target_kind == "evidence":
        return {"pk": obj.action_id, "update_id": obj.pk}
    if target_kind == "export":
        return {"key": obj}
    if target_kind == "draft":
        return {"reference": obj.review.case.reference, "draft_id": obj.pk}
    if target_kind == "agency_comments":
        draft, agency = obj
        return {
            "reference": draft.review.case.reference,
            "draft_id": draft.pk,
            "agency_id": agency.pk,
        }
    if target_kind == "event":
        return {"reference": obj.review.case.reference, "event_id": obj.pk}
    if target_kind == "family":
        return {"reference": obj.review.case.reference, "record_id": obj.pk}
    if target_kind == "comment":
        return {
            "reference": obj.draft.review.case.reference,
            "draft_id": obj.draft_id,
            "comment_id": obj.pk,
        }
    if route_name == "requests:document":
        return {"pk": obj.pk}
    return {"pk": obj.request_id, "document_id": obj.pk}


def expected(route_name, role, key=None):
    permission, target_kind, ok = MATRIX[route_name]
    has = role in ROLE_PERMISSIONS and permission in ROLE_PERMISSIONS[role]
    if not has:
        return 403
    if target_kind is None:
        return ok
    if not visible(role, target_kind, key, route_name):
        return 404
    if route_name in ALSO_ONE_OF and not ALSO_ONE_OF[route_name] & ROLE_PERMISSIONS[role]:
        return 403
    return ok[key]


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
        if target_kind in PANEL_RECORDS:
            continue  # the Panel's own members and meetings are about no case
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


# Pages about one case's records: every one that answers must leave an access-log row.
CASE_DATA_TARGETS = {
    "case",
    "request",
    "entry",
    "document",
    "action",
    "evidence",
    "recommendation",
    *REVIEW_RECORDS,
}


def test_every_page_showing_case_data_is_in_the_access_log(world):
    """Walks every URL about a case, a request, an entry or a document as the PDEO (who may
    read all of them): each page shown must have logged who read it, from which path."""
    from safeguarding.audit.models import AccessLog

    client = verified_client(Client(), world["users"][Role.PDEO])
    shown = 0
    for name, (_, target_kind, _) in sorted(MATRIX.items()):
        if target_kind not in CASE_DATA_TARGETS:
            continue
        obj = world["targets"][target_kind]["A"]
        url = reverse(name, kwargs=kwargs_for(name, target_kind, obj))
        before = AccessLog.objects.count()
        response = client.get(url)
        if response.status_code != 200:
            continue  # POST-only, or a page not open in this state: nothing shown
        shown += 1
        logged = AccessLog.objects.filter(user=world["users"][Role.PDEO], path=url)
        assert AccessLog.objects.count() > before and logged.exists(), f"{name} left no row"
    assert shown >= 20  # the walk really walked (24 pages today)


# Form pages that show their form only in a later state, with where that state is tested: the
# send page's "record the date sent" appears once the final version is made (the steps before
# it are buttons posting elsewhere), tests/rapid_reviews/test_sending.py
# ::test_the_send_form_carries_its_one_time_token_and_sent_twice_is_saved_once.
# A draft's agency comments page shows its form to that agency's Case Review Panel member only,
# tests/cspr/test_drafts.py::test_the_comment_form_carries_its_one_time_token.
FORM_IN_A_LATER_STATE = {"rapid_reviews:send", "cspr:comments"}


def test_every_service_form_carries_its_one_time_token(world):
    """Every form page that runs a service carries the token that makes a double submission
    harmless: a template that renders fields one by one must not leave it out."""
    from safeguarding.web import FORM_TOKEN, ServiceFormView

    client = verified_client(Client(), world["users"][Role.PDEO])
    checked = 0
    for route in service_routes():
        view_class = route.callback.view_class
        if not issubclass(view_class, ServiceFormView):
            continue
        target_kind = MATRIX[route.name][1]
        obj = world["targets"][target_kind]["A"] if target_kind else None
        url = reverse(route.name, kwargs=kwargs_for(route.name, target_kind, obj))
        response = client.get(url)
        if response.status_code != 200:
            continue
        html = response.content.decode()
        if route.name in FORM_IN_A_LATER_STATE and not re.search(
            r'<form method="post"(?![^>]*action=)', html
        ):
            continue  # no form of its own in this state: checked where it has one
        checked += 1
        assert f'name="{FORM_TOKEN}"' in html, route.name
    assert checked >= 15


# Links that leave the service's pages for something other than a page: files, signing out.
NOT_A_PAGE = re.compile(r"/(sign-out|logout)|/admin/|\.(pdf|csv|xlsx|ics)$|/download|/static/")


def links_on(html):
    for href in re.findall(r'<a [^>]*href="(/[^"#]*)"', html):
        href = href.replace("&amp;", "&")
        if not NOT_A_PAGE.search(href):
            yield href


def test_no_link_a_person_is_shown_refuses_them(world):
    """Walk each person's pages two links deep from "Your work": every link they are shown
    must open for them. A clock's link goes where the clock is met only for someone that
    page lets in (the lead reviewer is reminded of the progress check, which the partners
    record); anyone else is sent to the case, or shown the words without a link."""
    refused = []
    for role in ROLES:
        if role in (NO_ROLE, ADMIN_NO_ROLE):
            continue  # refused the service itself (the matrix checks that); admin's own links
        client = verified_client(Client(), world["users"][role])
        seen, frontier = {"/"}, ["/"]
        for _ in range(2):
            found = []
            for path in frontier:
                response = client.get(path)
                if response.status_code in (401, 403):
                    refused.append(f"{role}: {path} ({response.status_code})")
                if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                    continue
                for href in links_on(response.content.decode()):
                    if href not in seen:
                        seen.add(href)
                        found.append(href)
            frontier = found
        for path in frontier:  # the last ring, asked for but not followed
            status = client.get(path).status_code
            if status in (401, 403):
                refused.append(f"{role}: {path} ({status})")
    assert not refused, "\n".join(refused)


def test_a_link_is_shown_by_the_permission_its_page_asks_for(world):
    """`may_open`, which decides whether a link is shown, reads each page's own permission:
    for every route and every role it agrees with the matrix."""
    from safeguarding.accounts.access import may_open
    from safeguarding.page_memo import one_page
    from safeguarding.paths import path_for

    disagree, as_rows = [], set()
    for route_name, (permission, target_kind, _) in sorted(MATRIX.items()):
        obj = world["targets"][target_kind]["A"] if target_kind else None
        url = reverse(route_name, kwargs=kwargs_for(route_name, target_kind, obj))
        for role in ROLES:
            if permission in (PUBLIC, FIRST_FACTOR):
                want = True
            else:
                want = role in ROLE_PERMISSIONS and permission in ROLE_PERMISSIONS[role]
            if may_open(world["users"][role], url) != want:
                disagree.append(f"{role}: {url} (expected {want})")
            # The same path as a list's row builds it (path_for), which is resolved by its
            # URL name once per page rather than walked again.
            with one_page(read_only=True):
                kwargs = kwargs_for(route_name, target_kind, obj) or {}
                row_path = path_for(route_name, *kwargs.values())
                if row_path == url:
                    as_rows.add(route_name)
                    if may_open(world["users"][role], row_path) != want:
                        disagree.append(f"{role}: {url} as a row's path (expected {want})")
    assert not disagree, "\n".join(disagree)
    assert len(as_rows) > len(MATRIX) * 0.9  # nearly every route, built as a row builds it
    assert not may_open(world["users"][Role.PDEO], "/no-such-page/")
