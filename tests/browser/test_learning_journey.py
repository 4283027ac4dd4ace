"""Learning from a local review, in Chromium: the Lead Reviewer adds a recommendation (an empty one
refused) and corrects its words, tags a theme and writes the learning briefing (a child's name
refused), then makes its PDF; the PDEO sets a SMART action for the recommendation (a due date
before today refused); the police's contributor updates it with evidence and proposes closing
it; the PDEO accepts the evidence; the PDEO records the Case Review Group's sign-off of the
action plan and an Executive member, finding it waiting, signs it off; the Business Manager
reads the themes across reviews. axe on every page visited, each page checked to fit the screen."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from .conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def fill_date(p, name, day):
    p.locator(f"#id_{name}_0").fill(str(day.day))
    p.locator(f"#id_{name}_1").fill(str(day.month))
    p.locator(f"#id_{name}_2").fill(str(day.year))


def check(page):
    page.axe()
    page.assert_fits_the_screen()


def banner(p, text):
    expect(p.locator(".govuk-notification-banner")).to_contain_text(text)


def error_summary(p, text):
    expect(p.locator(".govuk-error-summary")).to_contain_text(text)


@pytest.mark.parametrize("width", [1280, 375])
def test_recommendations_actions_closure_on_evidence_and_the_plan_signed_off(
    open_page, demo, tmp_path, width
):
    from cspr.demo import demo_review_case
    from cspr.models import Approval, LocalReview
    from safeguarding.actions.models import Action
    from safeguarding.files.models import GeneratedFile

    case = demo_review_case("review-in-progress")
    reference, today = case.reference, timezone.localdate()
    plan_path = f"/cases/{reference}/local-review/action-plan/"

    # The Lead Reviewer: a recommendation, a theme and the learning briefing.
    lead = open_page(width)
    lr = lead.page
    sign_in(lead, "lead.reviewer@northbridge.example")
    lead.goto(f"/cases/{reference}/local-review/")
    expect(lr.locator("h1")).to_contain_text("Local review")
    check(lead)
    lr.get_by_role("link", name="Recommendations and the action plan").click()
    expect(lr.locator("h1")).to_have_text("Action plan")
    check(lead)
    lr.get_by_role("link", name="Add a recommendation").click()
    expect(lr.locator("h1")).to_have_text("Add a recommendation")
    check(lead)
    lead.click_to_next_page(lr.get_by_role("button", name="Add the recommendation"))
    error_summary(lr, "Enter the recommendation")
    check(lead)
    lr.get_by_label("The recommendation").fill(
        "Schools and health share attendance and weight concerns about a child out of school "
        "within five working days."
    )
    lr.get_by_role("button", name="Add the recommendation").click()
    banner(lr, "Recommendation 1 added")
    expect(lr.get_by_test_id("recommendation")).to_contain_text("Recommendation 1")
    check(lead)
    # A word corrected on its own page.
    lr.get_by_role("link", name="Change recommendation 1").click()
    expect(lr.locator("h1")).to_have_text("Change recommendation 1")
    check(lead)
    lr.get_by_label("The recommendation").fill(
        "Schools and health share attendance and weight concerns about a child missing "
        "education within five working days."
    )
    lr.get_by_role("button", name="Save the recommendation").click()
    banner(lr, "Recommendation 1 changed")
    expect(lr.get_by_test_id("recommendation")).to_contain_text("a child missing education")
    check(lead)

    lead.goto(f"/cases/{reference}/local-review/")
    lr.get_by_role("link", name="Learning themes", exact=True).click()
    expect(lr.locator("h1")).to_have_text("Learning themes")
    check(lead)
    lr.get_by_label("The child's lived experience and voice").check()
    lr.get_by_role("button", name="Save the themes").click()
    banner(lr, "Learning themes saved")
    expect(lr.get_by_test_id("learning-links")).to_contain_text("lived experience and voice")
    lr.get_by_role("link", name="Write the learning briefing").click()
    expect(lr.locator("h1")).to_have_text("Learning briefing")
    check(lead)
    lr.get_by_label("The case in brief").fill("Leo Marsh was admitted with malnutrition.")
    lr.get_by_label("Key learning (one point per line)").fill(
        "A child out of school is seen by no one\nWeight and attendance tell one story"
    )
    lr.get_by_label("Questions for practitioners (one per line)").fill(
        "Who has seen this child in the last month?"
    )
    lead.click_to_next_page(lr.get_by_role("button", name="Save the briefing"))
    error_summary(lr, "must not name the child or their family")
    check(lead)
    lr.get_by_label("The case in brief").fill(
        f"{case.pseudonym}, eleven, was admitted with severe malnutrition after months out of "
        "school."
    )
    lr.get_by_role("button", name="Save the briefing").click()
    banner(lr, "Learning briefing saved")
    lr.get_by_role("link", name="Make the learning briefing (PDF)").click()
    expect(lr.locator("h1")).to_have_text("Make the learning briefing (PDF)")
    check(lead)
    lr.get_by_role("button", name="Create the file").click()
    download = lr.get_by_test_id("download")
    expect(download).to_be_visible()
    check(lead)
    with lr.expect_download() as got:
        download.click()
    assert got.value.path().read_bytes().startswith(b"%PDF")
    assert GeneratedFile.objects.get(kind="learning_briefing").status == "ready"

    # The PDEO sets a SMART action for it.
    pdeo = open_page(width)
    p = pdeo.page
    sign_in(pdeo, "pdeo@northbridge.example")
    pdeo.goto(plan_path)
    expect(p.locator("h1")).to_have_text("Action plan")
    p.get_by_role("link", name="Set an action for Recommendation 1").click()
    expect(p.locator("h1")).to_have_text("Set an action for Recommendation 1")
    check(pdeo)
    p.get_by_label("What is the action?").fill(
        "Share the school's attendance record with the health visitor for every child "
        "withdrawn to home education."
    )
    p.get_by_label("Owner agency").select_option(label="Northbridge Police")
    fill_date(p, "due_date", today - timedelta(days=1))
    p.get_by_label("How will success be measured?").fill("An audit of 10 withdrawals: 9 shared")
    pdeo.click_to_next_page(p.get_by_role("button", name="Set the action"))
    error_summary(p, "The due date must be on or after the day the action was set")
    check(pdeo)
    fill_date(p, "due_date", today + timedelta(days=60))
    p.get_by_role("button", name="Set the action").click()
    banner(p, "set for Recommendation 1")
    action = Action.objects.get(source_label="Recommendation 1", case=case)
    expect(p.get_by_test_id("plan-actions")).to_contain_text(action.reference)
    check(pdeo)

    # The police's contributor updates it with evidence and proposes closing it.
    police = open_page(width)
    a = police.page
    sign_in(police, "contributor.police@northbridge.example")
    police.goto("/actions/agency/")
    expect(a.locator("h1")).to_have_text("Northbridge Police's actions")
    a.get_by_role("link", name=action.reference, exact=True).click()
    expect(a.locator("h1")).to_have_text(action.reference)
    expect(a.locator("main")).to_contain_text("Recommendation 1")
    check(police)
    evidence = tmp_path / "sharing-audit.txt"
    evidence.write_text("Withdrawals audited: 9 of 10 shared")
    a.get_by_role("link", name="Add a progress update").click()
    a.get_by_label("What has been done?").fill("The sharing protocol is agreed and in use.")
    a.get_by_label("Green: on track").check()
    a.get_by_label("Evidence file (optional)").set_input_files(str(evidence))
    a.get_by_role("button", name="Save the update").click()
    banner(a, "Progress update saved")
    a.get_by_role("link", name="Propose closing the action").click()
    a.get_by_label("Evidence of impact").fill("Audit of 10 withdrawals: 9 shared within a week.")
    a.get_by_role("button", name="Propose closing the action").click()
    banner(a, "Closure proposed")
    check(police)

    # The PDEO accepts the evidence; the plan shows it closed.
    pdeo.goto(f"/actions/{action.pk}/decision/")
    expect(p.get_by_test_id("evidence")).to_contain_text("9 shared within a week")
    check(pdeo)
    p.get_by_label("Yes, close the action").check()
    p.get_by_role("button", name="Save the decision").click()
    banner(p, "Action closed")
    pdeo.goto(plan_path)
    expect(p.get_by_test_id("plan-progress")).to_contain_text("1 closed on evidence of impact")

    # The Case Review Group's sign-off (the PDEO records it), then the Executive's.
    p.get_by_role("link", name="Record the Case Review Group's sign-off").click()
    expect(p.locator("h1")).to_have_text("Sign-off of the action plan by the Case Review Group")
    check(pdeo)
    pdeo.click_to_next_page(p.get_by_role("button", name="Record the sign-off"))
    error_summary(p, "Enter who was present")
    check(pdeo)
    fill_date(p, "approved_on", today)
    p.get_by_label("Who was present").fill("Chair, police, ICB and local authority members")
    p.get_by_role("button", name="Record the sign-off").click()
    banner(p, "signed off by the Case Review Group")
    expect(p.get_by_test_id("plan-sign-offs")).to_contain_text("Signed off by the Case Review")
    check(pdeo)

    executive = open_page(width)
    e = executive.page
    sign_in(executive, "executive@northbridge.example")
    expect(e.get_by_role("main")).to_contain_text("Sign off the local review's action plan")
    check(executive)
    e.get_by_role("link", name="Sign off the local review's action plan").click()
    expect(e.locator("h1")).to_contain_text("Sign off the action plan")
    expect(e.get_by_test_id("plan-actions")).to_contain_text(action.reference)
    check(executive)
    fill_date(e, "approved_on", today)
    e.get_by_label("Who was present").fill("The Executive Group")
    e.get_by_role("button", name="Sign off the action plan").click()
    banner(e, "signed off by the Executive")
    check(executive)
    review = LocalReview.objects.get(case=case)
    assert list(
        review.approvals.filter(subject=Approval.Subject.ACTION_PLAN).values_list("step", flat=True)
    ) == ["crg", "executive"]

    # The themes across reviews, from the navigation.
    manager = open_page(width)
    m = manager.page
    sign_in(manager, "business.manager@northbridge.example")
    expect(m.locator("a[href='/learning-themes/']")).to_have_count(1)  # in the navigation
    manager.goto("/learning-themes/")
    expect(m.locator("h1")).to_have_text("Learning themes across reviews")
    expect(m.get_by_test_id("learning-themes")).to_contain_text(reference)
    check(manager)
    for page in (lead, pdeo, police, executive, manager):
        page.assert_assets_loaded()
