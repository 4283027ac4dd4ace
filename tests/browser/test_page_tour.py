"""Every page that the journeys do not pass through, visited once with axe: each form as it
first opens and, where it has one, with its error summary."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from .conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def visit(page, path, *, submit=None):
    """Open a page (goto waits for it to load) and run axe; with `submit`, send the form as it
    is and wait for the page that comes back with its error summary before running axe again."""
    response = page.goto(path)
    assert response.status == 200, path
    expect(page.page.locator("h1")).to_be_visible()
    page.axe()
    page.assert_fits_the_screen()
    if submit:
        page.page.get_by_role("button", name=submit).click()
        expect(page.page.locator(".govuk-error-summary"), path).to_be_visible()
        expect(page.page).to_have_title(re.compile(r"^Error: "))
        page.axe()
        page.assert_fits_the_screen()


@pytest.mark.parametrize("width", [1280, 375])
def test_pdeo_pages(open_page, demo, width):
    from notifications.demo import demo_case
    from safeguarding.contributions.models import InformationRequest

    page = open_page(width)
    sign_in(page, "pdeo@northbridge.example")
    case = demo_case("notified-on-time")
    ref = case.reference
    child = case.children.first()
    visit(page, f"/cases/{ref}/edit/")
    visit(page, f"/cases/{ref}/children/add/", submit="Save")
    visit(page, f"/cases/{ref}/children/{child.pk}/edit/")
    visit(page, f"/cases/{ref}/escalations/add/", submit="Record escalation")
    visit(page, f"/cases/{ref}/team/", submit="Add to the team")
    visit(page, f"/cases/{ref}/household/add/", submit="Add to the household")
    visit(page, f"/cases/{ref}/conflict/", submit="Declare the conflict")
    visit(page, f"/cases/{ref}/notification/awareness-date/")
    visit(page, f"/cases/{ref}/requests/new/", submit="Send the requests")
    for section in ("key-dates", "incident", "analysis", "key-lines-of-enquiry"):
        visit(
            page,
            f"/cases/{ref}/rapid-review/{section}/",
            submit="Save and return to the task list",
        )
    visit(page, f"/cases/{ref}/rapid-review/reply/")
    visit(page, f"/cases/{ref}/rapid-review/send/")  # in progress: the steps, and what is open
    sent = demo_case("sent-awaiting-reply").reference
    visit(page, f"/cases/{sent}/rapid-review/send/")  # sent: the file kept, and its checksum
    expect(page.page.get_by_test_id("sha256")).to_be_visible()
    visit(page, f"/cases/{sent}/rapid-review/reply/", submit="Record the reply")
    visit(page, f"/cases/{sent}/rapid-review/")
    for key in ("awaiting-screening", "care-leaver-death", "notified-late"):
        other = demo_case(key).reference
        for section in ("overview", "referral", "rapid-review", "agencies", "team", "history"):
            visit(page, f"/cases/{other}/?section={section}")
    visit(page, f"/cases/{ref}/chronology/?date_from_0=31&date_from_1=2&date_from_2=2026")
    expect(page.page.locator(".govuk-error-summary")).to_contain_text("must be a real date")
    submitted = InformationRequest.objects.get(case=case, status="submitted")
    visit(page, f"/requests/{submitted.pk}/return/", submit="Return the response")
    visit(page, "/requests/")
    visit(page, "/reviews-to-commission/")
    visit(page, "/emails/")
    visit(page, f"/cases/{ref}/chronology/csv/")
    page.assert_assets_loaded()


@pytest.mark.parametrize("width", [1280, 375])
def test_panel_action_log_and_highlight_report_pages(open_page, demo, width):
    """The Panel's action log and highlight report pages the Panel journey does not pass
    through, as the PDEO (with the escalation and report forms' error summaries), a member and
    an Executive member."""
    from panel.models import AgendaItem, HighlightReport, IssuedHighlightReport
    from safeguarding.actions.models import Action

    pdeo = open_page(width)
    sign_in(pdeo, "pdeo@northbridge.example")
    visit(pdeo, "/panel/actions/?overdue=on&escalated=on")
    expect(pdeo.page.get_by_test_id("escalated").first).to_be_visible()
    on_track = Action.objects.filter(source_type__model="agendaitem").exclude(
        panel_escalation__isnull=False
    )
    action = on_track.get()
    visit(pdeo, f"/panel/actions/{action.pk}/escalate/", submit="Escalate the action")
    held = AgendaItem.objects.get(pk=action.source_id).meeting_id
    visit(pdeo, f"/panel/meetings/{held}/actions/")
    report = HighlightReport.objects.get()
    issued = IssuedHighlightReport.objects.get()
    visit(pdeo, "/panel/highlight-reports/new/", submit="Save the draft")
    visit(pdeo, f"/panel/highlight-reports/{report.pk}/")
    visit(pdeo, f"/panel/highlight-reports/{report.pk}/edit/")
    visit(pdeo, f"/panel/highlight-reports/issued/{issued.pk}/")
    member = open_page(width)
    sign_in(member, "panel.police@northbridge.example")
    visit(member, "/panel/actions/")
    expect(member.page.get_by_test_id("action-log")).to_contain_text("Northbridge Police")
    executive = open_page(width)
    sign_in(executive, "executive@northbridge.example")
    visit(executive, "/panel/highlight-reports/")
    visit(executive, f"/panel/highlight-reports/issued/{issued.pk}/pdf/")


def test_password_reset_pages(browser_page, demo):
    page = browser_page
    visit(page, "/account/password-reset/", submit="Send the link")
    page.page.get_by_label("Email address").fill("executive@northbridge.example")
    page.page.get_by_role("button", name="Send the link").click()
    expect(page.page.locator("h1")).to_have_text("Check your email")
    page.axe()
    link = re.search(r"https?://\S+/account/password-reset/\S+/", mail.outbox[-1].body).group(0)
    path = "/" + link.split("://", 1)[1].split("/", 1)[1]
    page.goto(path)
    expect(page.page.locator("h1")).to_have_text("Choose a new password")
    page.axe()
    page.page.get_by_role("button", name="Save the new password").click()
    expect(page.page.locator(".govuk-error-summary")).to_be_visible()
    page.axe()
    page.page.get_by_label("New password", exact=True).fill("a-long-new-password-2026")
    page.page.get_by_label("New password confirmation").fill("a-long-new-password-2026")
    page.page.get_by_role("button", name="Save the new password").click()
    expect(page.page.locator("h1")).to_have_text("Your password has been changed")
    page.axe()
    page.assert_assets_loaded()
