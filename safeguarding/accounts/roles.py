"""The partnership-wide roles and the named permissions each one holds.

A role is a Django group. The groups are created by a data migration; the permissions each holds
are this table, applied after every migrate (so a later app's permission reaches its roles
without a hand-edited data migration). Per-case roles (lead reviewer of one review, the agency
asked for information) are object permissions granted by services, not groups.
"""

from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.db import models

from safeguarding.outbox.models import RESEND_EMAIL


class Role(models.TextChoices):
    BUSINESS_MANAGER = "Business Manager"
    PDEO = "PDEO", "Partnership Development and Engagement Officer"
    PANEL_CHAIR = "Panel Chair"
    DEPUTY_CHAIR = "Deputy Chair"
    PANEL_MEMBER = "Panel Member"
    EXECUTIVE_MEMBER = "Executive Member"
    AGENCY_CONTRIBUTOR = "Agency Contributor"
    LEAD_REVIEWER = "Lead Reviewer"


# Roles that see every case and every child's identifying details.
PARTNERSHIP_WIDE_ROLES = frozenset(
    {Role.BUSINESS_MANAGER, Role.PDEO, Role.PANEL_CHAIR, Role.DEPUTY_CHAIR}
)

USE_SERVICE = "accounts.use_service"
VIEW_SECURITY_EVENTS = "audit.view_securityevent"
VIEW_ACCESS_LOG = "audit.view_accesslog"
VIEW_CASE_LIST = "cases.view_case_list"
VIEW_CASE = "cases.view_case"
RUN_CASES = "cases.run_cases"
SCREEN_REFERRAL = "cases.screen_referral"
MANAGE_CASE_TEAM = "cases.manage_case_team"
DECLARE_CONFLICT = "cases.declare_conflict"
EXPORT_CASES = "cases.export_cases"
VIEW_WHATS_DUE = "deadlines.view_whats_due"
VIEW_REQUESTS = "contributions.view_informationrequest"
RESPOND_TO_REQUEST = "contributions.respond_to_request"
REVIEW_RESPONSE = "contributions.review_response"
RUN_RAPID_REVIEW = "rapid_reviews.run_rapid_review"
SIGN_OFF_RAPID_REVIEW = "rapid_reviews.sign_off_rapid_review"
VIEW_REPORTS = "reports.view_reports"
EXPORT_DATA = "reports.export_data"
COMMISSION_LOCAL_REVIEW = "cspr.commission_local_review"
VIEW_REVIEWS_TO_COMMISSION = "cspr.view_reviews_to_commission"
REVISE_DECISION = "cspr.revise_decision"
WORK_ON_LOCAL_REVIEW = "cspr.work_on_local_review"
APPROVE_FINAL_REPORT = "cspr.approve_final_report"
VIEW_ACTIONS = "actions.view_actions"
UPDATE_ACTION = "actions.update_action"
OVERSEE_ACTIONS = "actions.oversee_actions"
DECIDE_CLOSURE = "actions.decide_closure"
SET_ACTIONS = "actions.set_actions"

# What each role may do ("app_label.codename"). Which cases they may do it to is the
# visibility gate's business (Case.objects.visible_to). Apps add theirs as they land.
_CASE_READER = {USE_SERVICE, VIEW_CASE_LIST, VIEW_CASE, DECLARE_CONFLICT, VIEW_REQUESTS}
ROLE_PERMISSIONS: dict[str, set[str]] = {
    Role.BUSINESS_MANAGER: _CASE_READER
    | {
        VIEW_SECURITY_EVENTS,
        VIEW_ACCESS_LOG,
        EXPORT_CASES,
        MANAGE_CASE_TEAM,
        VIEW_WHATS_DUE,
        RESEND_EMAIL,
        VIEW_REPORTS,
        EXPORT_DATA,
    },
    Role.PDEO: _CASE_READER
    | {
        RUN_CASES,
        SCREEN_REFERRAL,
        MANAGE_CASE_TEAM,
        EXPORT_CASES,
        VIEW_WHATS_DUE,
        REVIEW_RESPONSE,
        RUN_RAPID_REVIEW,
        RESEND_EMAIL,
        VIEW_REPORTS,
        EXPORT_DATA,
    },
    Role.PANEL_CHAIR: _CASE_READER
    | {SCREEN_REFERRAL, VIEW_WHATS_DUE, SIGN_OFF_RAPID_REVIEW, VIEW_REPORTS},
    Role.DEPUTY_CHAIR: _CASE_READER
    | {SCREEN_REFERRAL, VIEW_WHATS_DUE, SIGN_OFF_RAPID_REVIEW, VIEW_REPORTS},
    Role.PANEL_MEMBER: _CASE_READER | {VIEW_WHATS_DUE, SIGN_OFF_RAPID_REVIEW},
    Role.EXECUTIVE_MEMBER: _CASE_READER | {SIGN_OFF_RAPID_REVIEW, VIEW_REPORTS},
    Role.AGENCY_CONTRIBUTOR: {USE_SERVICE, VIEW_REQUESTS, RESPOND_TO_REQUEST},
    Role.LEAD_REVIEWER: _CASE_READER | {VIEW_WHATS_DUE},
}

# Local reviews (cspr): the PDEO starts and commissions them; the partnership team and the
# Panel's chairs see what waits to be commissioned.
ROLE_PERMISSIONS[Role.PDEO] |= {COMMISSION_LOCAL_REVIEW, VIEW_REVIEWS_TO_COMMISSION}
for _role in (Role.BUSINESS_MANAGER, Role.PANEL_CHAIR, Role.DEPUTY_CHAIR):
    ROLE_PERMISSIONS[_role] |= {VIEW_REVIEWS_TO_COMMISSION}
# The Chair records a revised decision after the national Panel challenges; the people working
# on a review (the PDEO, Lead Reviewers, the Panel's chairs and members who chair a review)
# edit its terms of reference (the service checks they are appointed to it).
for _role in (Role.PANEL_CHAIR, Role.DEPUTY_CHAIR):
    ROLE_PERMISSIONS[_role] |= {REVISE_DECISION, WORK_ON_LOCAL_REVIEW}
for _role in (Role.PDEO, Role.LEAD_REVIEWER, Role.PANEL_MEMBER):
    ROLE_PERMISSIONS[_role] |= {WORK_ON_LOCAL_REVIEW}
# The Executive gives final approval to a local review's report.
ROLE_PERMISSIONS[Role.EXECUTIVE_MEMBER] |= {APPROVE_FINAL_REPORT}
# Actions (safeguarding/actions): the partnership team oversee every action; the PDEO and the
# Chairs decide closures; an agency's contributors and Panel member update their agency's.
for _role, _perms in {
    Role.BUSINESS_MANAGER: {VIEW_ACTIONS, OVERSEE_ACTIONS},
    Role.PDEO: {VIEW_ACTIONS, OVERSEE_ACTIONS, DECIDE_CLOSURE, SET_ACTIONS},
    Role.PANEL_CHAIR: {VIEW_ACTIONS, OVERSEE_ACTIONS, DECIDE_CLOSURE},
    Role.DEPUTY_CHAIR: {VIEW_ACTIONS, OVERSEE_ACTIONS, DECIDE_CLOSURE},
    Role.PANEL_MEMBER: {VIEW_ACTIONS, UPDATE_ACTION},
    Role.AGENCY_CONTRIBUTOR: {VIEW_ACTIONS, UPDATE_ACTION},
}.items():
    ROLE_PERMISSIONS[_role] = ROLE_PERMISSIONS[_role] | _perms


# The CSPR Panel (panel/): who sees its members and meetings, who runs them (membership,
# scheduling, agenda, papers, minutes), and who conducts a meeting (attendance, declared
# interests, decisions; the PDEO records on the Chair's behalf, and the record says so).
VIEW_PANEL = "panel.view_panel"
RUN_PANEL = "panel.run_panel"
CONDUCT_PANEL = "panel.conduct_panel"
for _role, _perms in {
    Role.BUSINESS_MANAGER: {VIEW_PANEL, RUN_PANEL},
    Role.PDEO: {VIEW_PANEL, RUN_PANEL, CONDUCT_PANEL},
    Role.PANEL_CHAIR: {VIEW_PANEL, CONDUCT_PANEL},
    Role.DEPUTY_CHAIR: {VIEW_PANEL, CONDUCT_PANEL},
    Role.PANEL_MEMBER: {VIEW_PANEL},
}.items():
    ROLE_PERMISSIONS[_role] = ROLE_PERMISSIONS[_role] | _perms

# The Panel's highlight reports to the Executive Group: the Business Manager and the PDEO draft
# and issue them (RUN_PANEL); the Executive and the Panel read the issued versions, which name
# cases by reference and pseudonym only.
READ_HIGHLIGHT_REPORTS = "panel.read_highlight_reports"
for _role in (
    Role.BUSINESS_MANAGER,
    Role.PDEO,
    Role.PANEL_CHAIR,
    Role.DEPUTY_CHAIR,
    Role.PANEL_MEMBER,
    Role.EXECUTIVE_MEMBER,
):
    ROLE_PERMISSIONS[_role] = ROLE_PERMISSIONS[_role] | {READ_HIGHLIGHT_REPORTS}

# The criteria, the decision and the national Panel's reply on a rapid review: the PDEO, and
# the Chair and Deputy Chair, whose job it is to record the Panel's decisions.
DECIDE_RAPID_REVIEW = "rapid_reviews.record_decision"
for _role in (Role.PDEO, Role.PANEL_CHAIR, Role.DEPUTY_CHAIR):
    ROLE_PERMISSIONS[_role] = ROLE_PERMISSIONS[_role] | {DECIDE_RAPID_REVIEW}

# Every permission a role can hold: the service's own. Being a superuser (an admin working in
# Django admin) gives none of these; only roles do (User.has_perm).
SERVICE_PERMISSIONS = frozenset().union(*ROLE_PERMISSIONS.values())


def permissions_of(role_names):
    """What a person holding these roles may do."""
    return frozenset().union(*(ROLE_PERMISSIONS.get(role, set()) for role in role_names))


def sync_role_permissions(sender=None, using="default", **kwargs):
    """Make each role group hold exactly the permissions in ROLE_PERMISSIONS."""
    with_models = [a for a in apps.get_app_configs() if a.models_module is not None]
    if sender is not None and sender is not with_models[-1]:
        return  # post_migrate fires per app; wait for the last, when every permission exists

    wanted = {codename for perms in ROLE_PERMISSIONS.values() for codename in perms}
    by_name = {}
    for perm in Permission.objects.using(using).select_related("content_type"):
        key = f"{perm.content_type.app_label}.{perm.codename}"
        if key in wanted:
            by_name[key] = perm
    for role, perms in ROLE_PERMISSIONS.items():
        # The data migration made the groups; a flushed database (tests) gets them back here.
        group, _ = Group.objects.using(using).get_or_create(name=role)
        group.permissions.set([by_name[p] for p in perms if p in by_name])
