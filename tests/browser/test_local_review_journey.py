"""A local review from the third sign-off to publication, in Chromium: the police and the ICB
sign the decision and the review opens with its clocks; the PDEO finds it on the reviews to
commission and commissions it; the Lead Reviewer finds it on their home page and writes the
terms of reference, which the Chair agrees; the PDEO records a progress check and the
approvals (out of order refused); an Executive member finds the report waiting and gives final
approval; the PDEO plans, sends and records publication, and is asked why it came so soon
after sending. axe on every page visited."""

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


def test_local_review_from_sign_off_to_publication(open_page, demo):
    from cspr.models import LocalReview
    from notifications.demo import demo_case
    from safeguarding.accounts.models import User

    def person(email):
        user = User.objects.select_related("agency").get(email=email)
        return f"{user.full_name}, {user.agency}"

    today = timezone.localdate()
    reference = demo_case("notified-late").reference

    # The police and the ICB sign the decision: the third signature opens the local review.
    partners = {}
    for email in ("panel.police@northbridge.example", "chair@northbridge.example"):
        partner = partners[email] = open_page()
        sign_in(partner, email)
        partner.goto(f"/cases/{reference}/rapid-review/sign-off/")
        check(partner)
        partner.page.get_by_role("button", name="Sign off for").click()
        banner(partner.page, "Signed off for")
    assert LocalReview.objects.get(case__reference=reference).decided_on == today
    chair = partners["chair@northbridge.example"]
    c = chair.page
    chair.goto("/")
    expect(c.get_by_role("main")).to_contain_text("Local reviews in progress")
    expect(c.get_by_role("main")).to_contain_text(reference)
    check(chair)
    chair.goto(f"/cases/{reference}/?section=local-review")
    expect(c.get_by_test_id("local-review-clocks")).to_contain_text(
        "Complete and publish the local review"
    )
    check(chair)

    # The PDEO commissions it from the reviews to commission.
    pdeo = open_page()
    p = pdeo.page
    sign_in(pdeo, "pdeo@northbridge.example")
    p.get_by_role("link", name="Reviews to commission").first.click()
    card = p.get_by_test_id("to-commission").filter(has_text=reference)
    expect(card).to_be_visible()
    check(pdeo)
    card.get_by_role("link", name="Commission").click()
    expect(p.locator("h1")).to_have_text("Commission the local review")
    check(pdeo)
    p.get_by_role("button", name="Appoint").click()
    expect(p.locator(".govuk-error-summary")).to_contain_text("Choose the person to appoint")
    check(pdeo)
    for role, email, involved in (
        ("Lead Reviewer", "lead.reviewer@northbridge.example", False),
        ("Chair of the review", "chair@northbridge.example", False),
        ("Case Review Panel member", "panel.police@northbridge.example", True),
    ):
        p.get_by_label(role, exact=True).check()
        p.get_by_label("Who", exact=True).select_option(label=person(email))
        if involved:
            p.get_by_label("directly involved with the child or family").check()
        p.get_by_role("button", name="Appoint").click()
        banner(p, "appointed as")
    banner(p, "directly involved with the family")
    expect(p.get_by_test_id("review-team")).to_contain_text("Ruth Adeyemi")
    check(pdeo)
    pdeo.goto(f"/cases/{reference}/local-review/national-panel-told/")
    fill_date(p, "told_on", today)
    p.get_by_role("button", name="Record as sent").click()
    banner(p, "were told of the review")
    expect(p.get_by_test_id("task-list")).to_contain_text("Completed")
    check(pdeo)

    # The Lead Reviewer finds it on their home page and writes the terms of reference.
    lead = open_page()
    r = lead.page
    sign_in(lead, "lead.reviewer@northbridge.example")
    expect(r.get_by_role("main")).to_contain_text("Your local reviews")
    check(lead)
    r.get_by_role("main").get_by_role("link", name=reference).first.click()
    expect(r.locator("h1")).to_contain_text("Local review")
    check(lead)
    lead.goto(f"/cases/{reference}/local-review/terms/")
    expect(r.get_by_label("Key lines of enquiry (one per line)")).not_to_be_empty()
    check(lead)
    r.get_by_label("Scope").fill("Agencies' work with the family in the last two years")
    fill_date(r, "period_from", today - timedelta(days=730))
    fill_date(r, "period_to", today - timedelta(days=30))
    r.get_by_label("Significant Incident Learning Process (SILP)").check()
    r.get_by_role("button", name="Save a new version").click()
    banner(r, "saved as a new version")
    check(lead)

    # The Chair of the review agrees it with the Lead Reviewer.
    chair.goto(f"/cases/{reference}/local-review/terms/")
    c.get_by_role("button", name="Agree version 1 with the Lead Reviewer").click()
    banner(c, "agreed with Ruth Adeyemi")
    check(chair)

    # A progress check, then the approvals in order.
    pdeo.goto(f"/cases/{reference}/local-review/progress/")
    fill_date(p, "checked_on", today)
    p.get_by_label("Timeliness").fill("On track")
    p.get_by_label("Quality").fill("Good agency reports")
    p.get_by_role("button", name="Record the check").click()
    banner(p, "Progress check recorded")
    check(pdeo)
    pdeo.goto(f"/cases/{reference}/local-review/approval/")
    p.get_by_label("Approved by the Case Review Group").check()
    fill_date(p, "approved_on", today)
    p.get_by_label("Who was present").fill("CRG members")
    p.get_by_role("button", name="Record the approval").click()
    expect(p.locator(".govuk-error-summary")).to_contain_text("Approvals go in order")
    check(pdeo)
    for step in ("Agreed by the Case Review Panel", "Approved by the Case Review Group"):
        p.get_by_label(step).check()
        fill_date(p, "approved_on", today)
        p.get_by_label("Who was present").fill("Members as minuted")
        p.get_by_role("button", name="Record the approval").click()
        banner(p, "Approval recorded")
    check(pdeo)

    # An Executive member finds the report waiting and gives final approval.
    executive = open_page()
    e = executive.page
    sign_in(executive, "executive@northbridge.example")
    waiting = e.get_by_test_id("waiting-list")
    expect(waiting).to_contain_text(reference)
    check(executive)
    waiting.locator("li", has_text=reference).get_by_role("link").click()
    expect(e.locator("h1")).to_contain_text("Final approval")
    check(executive)
    fill_date(e, "approved_on", today)
    e.get_by_label("Who was present").fill("Executive Group")
    e.get_by_role("button", name="Give final approval").click()
    banner(e, "Final approval recorded")
    check(executive)

    # Publication: planned, the report sent, published too soon after: kept, and asked why.
    pdeo.goto(f"/cases/{reference}/local-review/publication/plan/")
    fill_date(p, "planned_on", today + timedelta(days=21))
    p.get_by_role("button", name="Save the date").click()
    banner(p, "Planned publication date saved")
    pdeo.goto(f"/cases/{reference}/local-review/publication/report-sent/")
    fill_date(p, "sent_on", today)
    p.get_by_role("button", name="Record as sent").click()
    banner(p, "Recorded as sent")
    pdeo.goto(f"/cases/{reference}/local-review/publication/publish/")
    check(pdeo)
    fill_date(p, "published_on", today)
    p.get_by_label("Where it is published (the link)").fill("https://www.northbridge.example/r")
    p.get_by_role("button", name="Record publication").click()
    banner(p, "record why")
    expect(p.locator("h1")).to_have_text("Why the report was sent late")
    check(pdeo)
    p.get_by_label("Why the report was sent fewer than 7 working days").fill("Inquest moved")
    p.get_by_role("button", name="Save the reason").click()
    expect(p.locator("h1")).to_contain_text("Published")
    check(pdeo)
