"""Who is reminded about a deadline: its owners, and for escalations the Panel Chair and the
Business Manager. Each resolver works on a whole batch of deadlines in a fixed number of
queries. Stage apps register resolvers for their own kinds (agency contributors for an
information request, an action's owner agency...).

The same owners, in words, for the pages: every deadline row says whom it waits on ("Tom
Ellis (case lead)", "Northbridge Police", "The national Panel"). A labeller works on a batch
too, and `waits_on` calls each labeller once for a whole page, so a list costs the same
number of queries for 5 rows or 500."""

from collections import defaultdict
from dataclasses import dataclass

from django.contrib.auth import get_user_model

from safeguarding.accounts.roles import Role
from safeguarding.cases.models import CaseTeamMember

from . import caseless
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


def resolver_for(kind):
    return _RESOLVERS.get(kind) or DEFAULT_RESOLVERS.get(kind, case_lead)


def owners(deadlines):
    """Owners of each deadline, one resolver call per kind present. A clock without a case is
    chased only as its owner's registered rule says (caseless.py), never by a case's team."""
    by_kind = defaultdict(list)
    without_case = []
    for deadline in deadlines:
        if deadline.case_id is None:
            without_case.append(deadline)
        else:
            by_kind[deadline.kind].append(deadline)
    result = caseless.recipients(without_case) if without_case else {}
    for kind, batch in by_kind.items():
        result.update(resolver_for(kind)(batch))
    return result


# Labels: who a deadline waits on, in words.
PARTNERSHIP_TEAM = "The partnership team (no case lead named)"
NATIONAL_PANEL = "The national Panel"
NOBODY_NAMED = "Nobody named"

_LABELLERS = {}


def register_label(kind, labeller):
    """`labeller(deadlines)` -> {deadline_id: "who it waits on", or a `FromTeam`}, in a fixed
    number of queries."""
    _LABELLERS[kind] = labeller


@dataclass(frozen=True)
class FromTeam:
    """A labeller's answer that names people on the clock's case team (a submitted response
    waits on "Tom Ellis (case lead), to accept or return the response"): `waits_on` names
    them in its one query of the teams, with every other clock's, rather than the labeller
    in a query of its own."""

    roles: tuple  # as CASE_LEAD_ROLES
    wording: str = "{}"  # the names, as `_team_names` writes them, where {} stands


# Whom a case's clock waits on among its team: the first of these roles anyone active holds
# on the case, with each person in it by name.
CASE_LEAD_ROLES = ((CaseTeamMember.Role.CASE_LEAD, "case lead"),)
REVIEW_LEAD_ROLES = (
    (CaseTeamMember.Role.LEAD_REVIEWER, "lead reviewer"),
    (CaseTeamMember.Role.REVIEW_CHAIR, "review chair"),
    (CaseTeamMember.Role.CASE_LEAD, "case lead"),
)


# No object or case has this id. A batch's ids are never an empty list, so a labeller's query
# runs even for a kind the page does not show (Django skips a query on `__in=[]`): What's due
# then costs the same queries whichever kinds of clock fall on it (`waits_on(every_kind=True)`).
NO_ID = 0


def object_ids(deadlines):
    """The ids of the clocks' objects, for a labeller's or describer's one query."""
    return {d.object_id for d in deadlines} or {NO_ID}


def _team_names(pairs):
    """[(deadline, roles)] -> {deadline_id: label}: one query for the batch, whichever roles
    each clock looks for (an empty batch included)."""
    wanted = {role for _, roles in pairs for role, _ in roles} or {CaseTeamMember.Role.CASE_LEAD}
    held = defaultdict(lambda: defaultdict(list))  # case id -> role -> names
    for case_id, role, name in (
        CaseTeamMember.objects.filter(
            case_id__in={d.case_id for d, _ in pairs} or {NO_ID},
            role__in=wanted,
            user__is_active=True,
        )
        .order_by("user__full_name")
        .values_list("case_id", "role", "user__full_name")
    ):
        held[case_id][role].append(name)
    labels = {}
    for deadline, roles in pairs:
        team = held.get(deadline.case_id, {})
        labels[deadline.id] = next(
            (f"{', '.join(team[role])} ({suffix})" for role, suffix in roles if team.get(role)),
            PARTNERSHIP_TEAM,
        )
    return labels


def case_lead_names(deadlines):
    """The case lead by name (one query for the batch, an empty one included)."""
    return _team_names([(d, CASE_LEAD_ROLES) for d in deadlines])


def review_lead_names(deadlines):
    """The lead reviewer and chair by name, else the case lead (one query)."""
    return _team_names([(d, REVIEW_LEAD_ROLES) for d in deadlines])


# The team's labellers, by the roles each looks for: `waits_on` asks for all of them at once.
_TEAM_LABELLERS = {case_lead_names: CASE_LEAD_ROLES, review_lead_names: REVIEW_LEAD_ROLES}


def the_national_panel(deadlines):
    return {d.id: NATIONAL_PANEL for d in deadlines}


DEFAULT_LABELLERS = {
    Kind.LCSPR_PUBLISHED: review_lead_names,
    Kind.PROGRESS_CHECK: review_lead_names,
    Kind.FACTUAL_ACCURACY: review_lead_names,
    Kind.PANEL_REPLY: the_national_panel,
}


def labeller_for(kind):
    return _LABELLERS.get(kind) or DEFAULT_LABELLERS.get(kind, case_lead_names)


def nobody_named(deadlines):
    return {d.id: NOBODY_NAMED for d in deadlines}


def _every_labeller():
    """Each labeller that is not the team's, once: the registered ones and the defaults."""
    found = [nobody_named, *DEFAULT_LABELLERS.values(), *_LABELLERS.values()]
    return [labeller for labeller in dict.fromkeys(found) if labeller not in _TEAM_LABELLERS]


def waits_on(deadlines, *, every_kind=False):
    """{deadline_id: whom it waits on}: each labeller called once for all its deadlines. A
    clock without a case has no case lead: only a labeller its kind registered names anyone.

    With `every_kind`, every labeller is called, with an empty batch when its kind is not
    among the clocks: each costs its queries whatever its batch, so the list costs the same
    queries whichever kinds it holds (What's due; docs/performance.md, "Tenth round")."""
    by_labeller = defaultdict(list)
    if every_kind:
        for labeller in _every_labeller():
            by_labeller[labeller] = []
    team = []  # [(deadline, roles)]: the case lead's and the lead reviewer's, in one query
    for deadline in deadlines:
        if deadline.case_id is None:
            labeller = _LABELLERS.get(deadline.kind, nobody_named)
        else:
            labeller = labeller_for(deadline.kind)
        if labeller in _TEAM_LABELLERS:
            team.append((deadline, _TEAM_LABELLERS[labeller]))
        else:
            by_labeller[labeller].append(deadline)
    labels = {}
    for labeller, batch in by_labeller.items():
        labels.update(labeller(batch))
    by_id = {deadline.id: deadline for deadline in deadlines}
    wording = {}
    for deadline_id, label in labels.items():
        if isinstance(label, FromTeam):
            team.append((by_id[deadline_id], label.roles))
            wording[deadline_id] = label.wording
    if team or every_kind:
        for deadline_id, names in _team_names(team).items():
            labels[deadline_id] = wording.get(deadline_id, "{}").format(names)
    return labels


def escalation_recipients():
    return set(
        get_user_model()
        .objects.filter(groups__name__in=[Role.PANEL_CHAIR, Role.BUSINESS_MANAGER], is_active=True)
        .values_list("id", flat=True)
    )
