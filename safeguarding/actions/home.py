"""Actions on the home page: the agency's actions for its contributors and Panel member
(overdue first, then the next due), and closures waiting for the PDEO's or Chair's decision.
Two queries each at most."""

from django.urls import reverse
from django.utils import timezone

from safeguarding.accounts.roles import DECIDE_CLOSURE, UPDATE_ACTION
from safeguarding.home import LIST_LIMIT, Item, Section

from . import selectors
from .models import Action


def _where(action):
    if action.case_id:
        return f"{action.case.reference} – {action.case.pseudonym}"
    return action.get_source_display()


def agency_actions(user):
    if not (user.agency_id and user.has_perm(UPDATE_ACTION)):
        return None
    today = timezone.localdate()
    actions = (
        selectors.agency_actions(user)
        .unfinished()
        .select_related(None)
        .select_related("case")
        .only("case__reference", "case__pseudonym", "source", "due_date", "status")
    )
    shown = list(actions[:LIST_LIMIT])
    items = []
    for action in shown:
        when = (
            f"overdue since {action.due_date:%-d %B %Y}"
            if action.is_overdue(today)
            else f"due {action.due_date:%-d %B %Y}"
        )
        state = " (closure proposed)" if action.status == Action.Status.CLOSURE_PROPOSED else ""
        items.append(
            Item(
                f"{action.reference}, {_where(action)}: {when}{state}",
                reverse("actions:detail", kwargs={"pk": action.pk}),
            )
        )
    return Section(
        f"{user.agency.name}'s actions",
        "Actions your agency owns, from every review and the CSPR Panel, soonest due first. "
        "All of them are on your agency's actions page.",
        "Your agency has no actions open.",
        items,
    )


def closures_to_decide(user):
    if not user.has_perm(DECIDE_CLOSURE):
        return None
    proposed = (
        selectors.all_actions(user, status=Action.Status.CLOSURE_PROPOSED)
        .select_related(None)
        .select_related("case", "owner_agency")
        # What an item shows: not the action's text, its evidence or its owner.
        .only(
            "case",
            "owner_agency",
            "source",
            "case__reference",
            "case__pseudonym",
            "owner_agency__name",
        )[:LIST_LIMIT]
    )
    items = [
        Item(
            f"{action.reference} ({action.owner_agency.name}), {_where(action)}: closure "
            "proposed with evidence of impact",
            reverse("actions:decide_closure", kwargs={"pk": action.pk}),
        )
        for action in proposed
    ]
    if not items:
        return None
    return Section(
        "Action closures to decide",
        "The owner agency proposes closing these actions on evidence of impact: accept or "
        "return each.",
        "",
        items,
    )
