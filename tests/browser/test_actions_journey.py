"""An agency member updates their agency's overdue action with evidence and proposes closing
it; the PDEO returns it once with a reason, then accepts the better evidence. axe on every
page visited."""

import pytest
from playwright.sync_api import expect

from .conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_action_is_updated_closed_on_evidence_returned_once_then_accepted(
    open_page, demo, tmp_path
):
    from safeguarding.actions.demo import ACTIONS
    from safeguarding.actions.models import Action

    overdue_text = ACTIONS[0][6]
    action = Action.objects.get(description=overdue_text)
    evidence = tmp_path / "briefing-register.txt"
    evidence.write_text("Officers briefed: 42 of 45")

    agency = open_page()
    a = agency.page
    sign_in(agency, "contributor.police@northbridge.example")
    expect(a.get_by_text("Northbridge Police's actions").first).to_be_visible()
    agency.axe()
    a.get_by_role("link", name="Your agency's actions").click()
    expect(a.locator("h1")).to_have_text("Northbridge Police's actions")
    expect(a.get_by_test_id("overdue").first).to_be_visible()
    agency.axe()
    agency.assert_fits_the_screen()
    a.get_by_role("link", name=action.reference, exact=True).click()
    expect(a.locator("h1")).to_have_text(action.reference)
    expect(a.locator(".govuk-warning-text")).to_contain_text("is overdue")
    agency.axe()

    a.get_by_role("link", name="Add a progress update").click()
    expect(a.locator("h1")).to_have_text("Add a progress update")
    agency.axe()
    a.get_by_role("button", name="Save the update").click()  # nothing filled in
    expect(a.locator(".govuk-error-summary")).to_contain_text("Enter what has been done")
    agency.axe()
    a.get_by_label("What has been done?").fill("42 of 45 officers briefed; 3 on leave.")
    a.get_by_label("Amber: at risk").check()
    a.get_by_label("Evidence file (optional)").set_input_files(str(evidence))
    a.get_by_role("button", name="Save the update").click()
    expect(a.locator(".govuk-notification-banner")).to_contain_text("Progress update saved")
    expect(a.get_by_test_id("action-updates")).to_contain_text("42 of 45 officers briefed")
    expect(a.get_by_role("link", name="Download briefing-register.txt")).to_be_visible()
    agency.axe()

    a.get_by_role("link", name="Propose closing the action").click()
    expect(a.locator("h1")).to_have_text("Propose closing the action")
    agency.axe()
    a.get_by_role("button", name="Propose closing the action").click()
    expect(a.locator(".govuk-error-summary")).to_contain_text("Enter the evidence of impact")
    agency.axe()
    a.get_by_label("Evidence of impact").fill("Dip sample: health invited to 15 of 20.")
    a.get_by_role("button", name="Propose closing the action").click()
    expect(a.locator(".govuk-notification-banner")).to_contain_text("Closure proposed")
    agency.axe()

    pdeo = open_page()
    p = pdeo.page
    sign_in(pdeo, "pdeo@northbridge.example")
    expect(p.get_by_text("Action closures to decide")).to_be_visible()
    pdeo.axe()
    p.get_by_role("link", name="Actions", exact=True).click()
    expect(p.locator("h1")).to_have_text("Actions")
    pdeo.axe()
    p.get_by_label("Owner agency").select_option(label="Northbridge Police")
    p.get_by_role("button", name="Filter").click()
    expect(p.get_by_test_id("all-actions")).to_contain_text(action.reference)
    pdeo.axe()
    p.get_by_role("link", name=action.reference, exact=True).click()
    p.get_by_role("link", name="Decide on the closure").click()
    expect(p.get_by_test_id("evidence")).to_contain_text("15 of 20")
    pdeo.axe()
    p.get_by_label("No, return it to the agency").check()
    p.get_by_role("button", name="Save the decision").click()
    expect(p.locator(".govuk-error-summary")).to_contain_text("Enter why the closure is returned")
    pdeo.axe()
    p.get_by_label("No, return it to the agency").check()
    p.get_by_label("Reason").fill("The measure is 18 of 20: please re-sample after the briefing.")
    p.get_by_role("button", name="Save the decision").click()
    expect(p.locator(".govuk-notification-banner")).to_contain_text("Closure returned")
    pdeo.axe()

    agency.goto(f"/actions/{action.pk}/")
    expect(a.get_by_test_id("action-updates")).to_contain_text("please re-sample")
    a.get_by_role("link", name="Propose closing the action").click()
    a.get_by_label("Evidence of impact").fill("Re-sample: health invited to 19 of 20.")
    a.get_by_role("button", name="Propose closing the action").click()
    expect(a.locator(".govuk-notification-banner")).to_contain_text("Closure proposed")

    pdeo.goto(f"/actions/{action.pk}/decision/")
    expect(p.get_by_test_id("evidence")).to_contain_text("19 of 20")
    p.get_by_label("Yes, close the action").check()
    p.get_by_role("button", name="Save the decision").click()
    expect(p.locator(".govuk-notification-banner")).to_contain_text("Action closed")
    expect(p.locator("main")).to_contain_text("Closed on")
    pdeo.axe()
    pdeo.assert_assets_loaded()
    action.refresh_from_db()
    assert action.status == Action.Status.CLOSED
