"""The Panel on the home page: the latest issued highlight reports, for whoever reads them
(the Executive above all). One query."""

from django.urls import reverse

from safeguarding.accounts.roles import READ_HIGHLIGHT_REPORTS
from safeguarding.home import Item, Section

from . import selectors

SHOWN = 3


def highlight_reports(user):
    if not user.has_perm(READ_HIGHLIGHT_REPORTS):
        return None
    # What a line shows (its title, number and date): not who issued it (their account).
    shown = ("number", "issued_on", "content", "report")
    report = ("report__executive_meeting", "report__executive_meeting_on")
    issued = list(
        selectors.issued_reports()
        .select_related(None)
        .select_related("report")
        .only(*shown, *report)[:SHOWN]
    )
    return Section(
        "Highlight reports from the CSPR Panel",
        "The Panel's latest reports to the Executive Group. All of them are on the highlight "
        "reports page.",
        "No highlight report has been issued yet.",
        [
            Item(
                f"{i.title}, version {i.number} (issued {i.issued_on:%-d %B %Y})",
                reverse("panel:highlight_issued", kwargs={"pk": i.pk}),
            )
            for i in issued
        ]
        + [Item("All highlight reports", reverse("panel:highlight_reports"))],
    )
