"""Who is reminded about a deadline: its owners, and for escalations the Panel Chair and the
Business Manager. Each resolver works on a whole batch of deadlines in a fixed number of
queries. Stage apps register resolvers for their own kinds (agency contributors for an
information request, an action's owner agency...)."""

from collections import defaultdict

from django.contrib.auth import get_user_model

from safeguarding.accounts.roles import Role
from safeguarding.cases.models import CaseTeamMember

from .rules import Kind

_RESOLVERS = {}


def register(kind, resolver):
    """`resolver(deadlines)` -> {deadline_id: set of user ids}."""
    _RESOLVERS[kind] = resolver


def _case_team(deadlines, team_roles, fallback_role=None):
    case_ids = {d.case_id for d in deadlines}
    by_case = defaultdict(set)
    for case_id, user_id in CaseTeamMember.objects.filter(
        case_id__in=case_ids, role__in=team_roles, user__is_active=True
    ).values_list("case_id", "user_id"):
        by_case[case_id].add(user_id)
    fallback = set()
    if fallback_role and any(not by_case[c] for c in case_ids):
        fallback = set(
            get_user_model()
            .objects.filter(groups__name=fallback_role, is_active=True)
            .values_list("id", flat=True)
        )
    return {d.id: (by_case[d.case_id] or fallback) for d in deadlines}


def case_lead(deadlines):
    """The PDEO leading the case (or every PDEO when no one is named)."""
    return _case_team(deadlines, [CaseTeamMember.Role.CASE_LEAD], Role.PDEO)


def review_leads(deadlines):
    """The lead reviewer and the chair of the review panel (or the case lead)."""
    return _case_team(
        deadlines,
        [CaseTeamMember.Role.LEAD_REVIEWER, CaseTeamMember.Role.REVIEW_CHAIR],
        Role.PDEO,
    )


DEFAULT_RESOLVERS = {
    Kind.LCSPR_PUBLISHED: review_leads,
    Kind.PROGRESS_CHECK: review_leads,
    Kind.FACTUAL_ACCURACY: review_leads,
}


def owners(deadlines):
    """Owners of each deadline, one resolver call per kind present."""
    by_kind = defaultdict(list)
    for deadline in deadlines:
        by_kind[deadline.kind].append(deadline)
    result = {}
    for kind, batch in by_kind.items():
        resolver = _RESOLVERS.get(kind) or DEFAULT_RESOLVERS.get(kind, case_lead)
        result.update(resolver(batch))
    return result


def escalation_recipients():
    return set(
        get_user_model()
        .objects.filter(groups__name__in=[Role.PANEL_CHAIR, Role.BUSINESS_MANAGER], is_active=True)
        .values_list("id", flat=True)
    )
