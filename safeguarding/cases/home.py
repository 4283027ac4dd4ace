"""The cases' sections of the home page."""

from django.urls import reverse

from safeguarding.accounts.roles import PARTNERSHIP_WIDE_ROLES, Role
from safeguarding.home import LIST_LIMIT, Item, Section

from .models import Case


def _items(cases):
    return [
        Item(
            f"{case.reference} – {case.pseudonym} ({case.get_stage_display().lower()})",
            reverse("cases:detail", kwargs={"reference": case.reference}),
        )
        for case in cases[:LIST_LIMIT]
    ]


def _open_cases(user):
    # What an item shows: never the outline (free text about the child).
    shown = ("reference", "pseudonym", "stage", "year", "sequence")
    return Case.objects.visible_to(user).filter(status=Case.Status.OPEN).only(*shown)


def in_progress(user):
    if not user.role_names & PARTNERSHIP_WIDE_ROLES:
        return None
    return Section(
        "Cases in progress",
        "Referrals, notifications, rapid reviews and local reviews the partnership is running.",
        "There are no cases in progress.",
        _items(_open_cases(user)),
    )


def before_the_panel(user):
    if not user.has_role(Role.PANEL_CHAIR, Role.DEPUTY_CHAIR, Role.PANEL_MEMBER):
        return None
    return Section(
        "Before the CSPR Panel",
        "Cases and decisions waiting for the next panel meeting.",
        "Nothing is waiting for the panel.",
        _items(_open_cases(user).filter(before_panel_on__isnull=False)),
    )


def your_reviews(user):
    if not user.has_role(Role.LEAD_REVIEWER):
        return None
    return Section(
        "Your reviews",
        "Cases you are on the team of.",
        "You are not on a case team at the moment.",
        _items(_open_cases(user).filter(team__user=user).distinct()),
    )
