"""The journeys this issue changed, each on a desktop (1280 px) and a phone (375 px) window,
with axe (WCAG 2.2 AA) on every page and nothing wider than the screen:

- the PDEO starts from what is waiting for them, reads What's due (coming up first, the
  overdue backlog counted) and a case page section by section;
- the PDEO asks an agency nobody can answer for (warned before and after) and another that
  can; that agency's contributor finds the request waiting, cannot submit an empty response,
  and makes a nil return in one step; the PDEO then finds it waiting to be accepted.
"""

import pytest
from playwright.sync_api import expect

from .conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)
WIDTHS = [1280, 375]


def check(page):
    page.axe()
    page.assert_fits_the_screen()


def go_to(page, name):
    """Follow a service navigation link: behind the Menu button on a phone (GOV.UK's service
    navigation folds below 641 px)."""
    p = page.page
    if p.viewport_size["width"] < 641:
        p.get_by_role("button", name="Menu").click()
    p.locator(".govuk-service-navigation__list").get_by_role("link", name=name).click()


@pytest.mark.parametrize("width", WIDTHS)
def test_pdeo_works_from_what_is_waiting_whats_due_and_the_case_page(open_page, demo, width):
    from notifications.demo import demo_case

    late = demo_case("notified-late").reference
    page = open_page(width)
    p = page.page
    sign_in(page, "pdeo@northbridge.example")
    expect(p.get_by_test_id("waiting-count")).to_contain_text("15")
    waiting = p.get_by_test_id("waiting-item")
    expect(waiting).to_have_count(15)
    # Soonest due first: the notified-late case's rapid review, overdue.
    expect(waiting.first).to_contain_text("Send the rapid review to the national Panel")
    expect(waiting.first).to_contain_text(late)
    expect(waiting.first).to_contain_text("Overdue")
    check(page)
    waiting.first.get_by_role("link").click()
    expect(p.locator("h1")).to_contain_text("Rapid review")  # straight to where it is done
    check(page)

    go_to(page, "What's due")
    expect(p.locator("h1")).to_have_text("What's due")
    counts = p.get_by_test_id("whats-due-counts")
    expect(counts).to_contain_text("coming up")
    expect(counts).to_contain_text("overdue")
    expect(p.get_by_test_id("whats-due").locator("tbody tr").first).to_contain_text("case lead")
    overdue = p.get_by_test_id("whats-due-overdue")
    expect(overdue.locator("tr", has_text="Northbridge Education Partnership")).to_be_visible()
    check(page)

    overdue.get_by_role("link", name=late).first.click()
    summary = p.get_by_test_id("case-summary")
    expect(summary).to_contain_text("Rapid review")
    expect(p.get_by_test_id("next-waits-on")).to_contain_text("Tom Ellis (case lead)")
    check(page)
    sections = p.get_by_test_id("case-sections")
    for title in (
        "Referral and notification",
        "Rapid review",
        "Information from agencies",
        "Team and escalations",
        "History",
        "Overview",
    ):
        sections.get_by_role("link", name=title).click()
        expect(p.get_by_test_id("section-title")).to_have_text(title)
        expect(summary).to_contain_text("Next deadline")  # the summary leads every section
        check(page)
    sections.get_by_role("link", name="History").click()
    pages = p.get_by_role("navigation", name="History: pages")
    expect(pages).to_contain_text("1 of 2")
    pages.get_by_role("link", name="Next").click()
    expect(pages).to_contain_text("2 of 2")
    expect(p.get_by_test_id("timeline")).to_contain_text("Case created")
    check(page)
    page.assert_assets_loaded()


@pytest.mark.parametrize("width", WIDTHS)
def test_an_agency_nobody_can_answer_for_and_a_nil_return(open_page, demo, width):
    from notifications.demo import demo_case

    case = demo_case("due-tomorrow").reference
    hospital = "Northbridge Hospitals NHS Foundation Trust"
    wyre = "Wyre Community Health Services"

    pdeo = open_page(width)
    p = pdeo.page
    sign_in(pdeo, "pdeo@northbridge.example")
    pdeo.goto(f"/cases/{case}/?section=agencies")
    p.get_by_role("link", name="Ask agencies for information").click()
    expect(p.locator("h1")).to_have_text("Ask agencies for information")
    expect(p.get_by_label(f"{wyre} (nobody there has an account")).to_be_visible()  # before
    check(pdeo)
    p.get_by_label(hospital).check()
    p.get_by_label(wyre, exact=False).check()
    p.get_by_label("What do you need from them?").fill("Your involvement with Noah and family.")
    p.get_by_role("button", name="Send the requests").click()
    expect(p.locator(".govuk-notification-banner").first).to_contain_text("2 requests sent")
    expect(p.get_by_role("main")).to_contain_text(f"Nobody at {wyre} has an account")  # after
    check(pdeo)
    pdeo.goto(f"/cases/{case}/?section=agencies")
    p.get_by_test_id("requests").get_by_role("link", name=wyre).click()
    expect(p.get_by_test_id("nobody-to-answer")).to_be_visible()  # on the request itself
    check(pdeo)

    nurse = open_page(width)
    n = nurse.page
    sign_in(nurse, "contributor.health@northbridge.example")
    item = n.get_by_test_id("waiting-item").filter(has_text=case)
    expect(item).to_contain_text("Answer the request for information")
    check(nurse)
    item.get_by_role("link").click()
    expect(n.locator("h1")).to_contain_text(f"Information request to {hospital}")
    check(nurse)
    n.get_by_role("link", name="Check and submit").click()
    n.get_by_role("button", name="Submit the response").click()  # nothing written yet
    expect(n.locator(".govuk-error-summary")).to_contain_text("Write a summary")
    expect(n.locator(".govuk-notification-banner")).to_have_count(0)
    check(nurse)
    n.get_by_role("link", name="Back").click()
    n.get_by_role("link", name="No involvement: make a nil return").click()
    expect(n.locator("h1")).to_have_text(f"{hospital} has had no involvement")
    check(nurse)
    n.get_by_role("button", name="Submit a nil return").click()
    expect(n.locator(".govuk-error-summary")).to_contain_text("Confirm your agency")
    check(nurse)
    n.get_by_label("Which records did you check?").fill("Patient administration system.")
    n.get_by_label("I confirm my agency has had no involvement").check()
    n.get_by_role("button", name="Submit a nil return").click()
    expect(n.locator(".govuk-notification-banner")).to_contain_text("nil return has been submitted")
    expect(n.locator("h1")).to_contain_text("Nil return")
    check(nurse)

    pdeo.goto("/")
    review = p.get_by_test_id("waiting-item").filter(has_text=f"Accept or return {hospital}")
    expect(review).to_contain_text(case)
    nobody = p.get_by_test_id("waiting-item").filter(has_text=f"Get an answer from {wyre}")
    expect(nobody.filter(has_text=case)).to_be_visible()
    check(pdeo)


@pytest.mark.parametrize("width", WIDTHS)
def test_every_role_starts_from_its_own_home_page(open_page, demo, width):
    """Each demo person signs in to 'Your work': what is waiting for them and the count in the
    navigation agree, and the page passes axe and fits the window."""
    from safeguarding import home
    from safeguarding.accounts.management.commands.seed_demo import USERS
    from safeguarding.accounts.models import User

    for email, _, _, _, roles, _ in USERS:
        if not roles:
            continue  # the administrator works in Django admin (tests/browser/test_admin.py)
        page = open_page(width)
        p = page.page
        sign_in(page, email)
        expect(p.locator("h1")).to_have_text("Your work")
        owed = home.waiting_for(User.objects.get(email=email)).total
        section = p.get_by_test_id("waiting-for-you")
        if owed:
            expect(section.locator("h2")).to_have_text(f"Waiting for you ({owed})")
            expect(p.get_by_test_id("waiting-count")).to_contain_text(str(owed))
        else:
            expect(section).to_contain_text("Nothing is waiting for you.")
            expect(p.get_by_test_id("waiting-count")).to_have_count(0)
        check(page)
