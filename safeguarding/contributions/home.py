"""The agency's section of the home page: its open information requests."""

from django.urls import reverse

from safeguarding.accounts.roles import Role
from safeguarding.home import LIST_LIMIT, Item, Section

from . import selectors


def agency_requests(user):
    if not user.has_role(Role.AGENCY_CONTRIBUTOR):
        return None
    agency = user.agency.name if user.agency else "your agency"
    return Section(
        f"Information requests for {agency}",
        "Requests for your agency's information about a case, and their due dates.",
        f"There are no open information requests for {agency}.",
        [
            Item(
                f"{r.case.reference} ({r.case.pseudonym}): {r.get_status_display().lower()},"
                f" due {r.due_date:%-d %B %Y}",
                reverse("requests:detail", kwargs={"pk": r.pk}),
            )
            for r in selectors.open_requests_for_agency(user)[:LIST_LIMIT]
        ],
    )
