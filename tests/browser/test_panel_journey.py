"""The CSPR Panel in a browser: the PDEO calls a meeting, builds its agenda and sends the
papers; a police member then reads the case on the agenda; the Chair records attendance, a
declaration of interest and the rapid review's decision (quorate, who was present from the
attendance), and approves the last meeting's minutes. axe on every page visited, on a desktop
and on a phone."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from .conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)
WIDTHS = [1280, 375]


def check(page):
    page.axe()
    page.assert_fits_the_screen()


def fill_date(p, name, day):
    p.locator(f"#id_{name}_0").fill(str(day.day))
    p.locator(f"#id_{name}_1").fill(str(day.month))
    p.locator(f"#id_{name}_2").fill(str(day.year))


@pytest.mark.parametrize("width", WIDTHS)
def test_a_panel_meeting_from_calling_it_to_its_decision(open_page, demo, width):
    from notifications.demo import demo_case
    from panel.models import AgendaItem, PanelDecision, PanelMember
    from rapid_reviews import services as rapid_reviews
    from rapid_reviews.models import CriterionAnswer, RapidReview
    from safeguarding.accounts.models import User

    today = timezone.localdate()
    case = demo_case("notified-on-time")
    review = RapidReview.objects.get(case=case)
    pdeo_user = User.objects.get(email="pdeo@northbridge.example")
    rapid_reviews.save_criteria(
        review=review,
        user=pdeo_user,
        answers={c: ("yes", f"Because {c}") for c in CriterionAnswer.Criterion.values},
    )

    # The PDEO calls an extraordinary meeting for today and builds its agenda.
    pdeo = open_page(width)
    p = pdeo.page
    sign_in(pdeo, "pdeo@northbridge.example")
    pdeo.goto("/panel/meetings/")
    expect(p.locator("h1")).to_have_text("CSPR Panel")
    check(pdeo)
    p.get_by_role("link", name="Call an extraordinary meeting").click()
    expect(p.locator("h1")).to_have_text("Call an extraordinary meeting")
    check(pdeo)
    p.get_by_label("Name of the meeting").fill("Extraordinary CSPR Panel meeting (rapid review)")
    fill_date(p, "day", today)
    p.get_by_label("Start time").fill("14:00")
    p.get_by_label("End time").fill("15:30")
    p.get_by_label("Place").fill("Council House, Committee Room 2")
    p.get_by_role("button", name="Call the meeting").click()
    expect(p.locator(".govuk-notification-banner")).to_contain_text("invitations sent")
    expect(p.locator("h1")).to_contain_text("Extraordinary CSPR Panel meeting (rapid review)")
    check(pdeo)
    p.get_by_role("link", name="Add an item").click()
    expect(p.locator("h1")).to_have_text("Add an item to the agenda")
    check(pdeo)
    p.get_by_label("Rapid review for decision").check()
    p.get_by_label("Case reference (if the item is about a case)").fill(case.reference)
    p.get_by_role("button", name="Add the item").click()
    expect(p.get_by_test_id("agenda")).to_contain_text(case.reference)
    check(pdeo)
    p.get_by_role("button", name="Send the papers to members").click()
    expect(p.get_by_test_id("papers-sent")).to_contain_text("Papers sent")
    check(pdeo)
    item = AgendaItem.objects.get(case=case)
    meeting_url = f"/panel/meetings/{item.meeting_id}/"

    # A police member, now on the case's team, reads the item and its case.
    member = open_page(width)
    m = member.page
    sign_in(member, "panel.police@northbridge.example")
    member.goto(meeting_url)
    expect(m.get_by_test_id("agenda")).to_contain_text(case.reference)
    check(member)
    m.get_by_role("link", name=f"1. Rapid review for decision: {case.reference}").click()
    expect(m.locator("h1")).to_have_text("Item 1: Rapid review for decision")
    expect(m.get_by_test_id("papers")).to_be_visible()
    check(member)

    # The Chair records attendance, a declaration of interest and the decision.
    chair = open_page(width)
    c = chair.page
    sign_in(chair, "chair@northbridge.example")
    chair.goto(meeting_url)
    expect(c.get_by_test_id("agenda")).to_contain_text("Not quorate")
    check(chair)
    c.get_by_role("link", name="Record attendance").click()
    expect(c.locator("h1")).to_have_text("Attendance")
    check(chair)
    members = PanelMember.objects.select_related("user")
    for pm in members:
        status = "deputy" if pm.user.email == "panel.police@northbridge.example" else "present"
        c.locator(f"input[name='member_{pm.pk}'][value='{status}']").check()
    c.get_by_role("button", name="Save attendance").click()
    expect(c.get_by_test_id("agenda")).to_contain_text("Quorate")
    expect(c.get_by_test_id("attendance")).to_contain_text("DI Marcus Reid")
    check(chair)
    c.get_by_role("link", name=f"1. Rapid review for decision: {case.reference}").click()
    expect(c.get_by_test_id("quoracy")).to_contain_text("Quorate")
    check(chair)
    c.get_by_role("link", name="Record a declaration of interest").click()
    expect(c.locator("h1")).to_have_text("Declare an interest in the item")
    check(chair)
    c.get_by_label("Who declares the interest").select_option(label="Dr James Patel")
    c.get_by_label("What the interest is").fill("Treated the child's sibling")
    c.get_by_role("button", name="Record the declaration").click()
    expect(c.get_by_test_id("declarations")).to_contain_text("Dr James Patel")
    expect(c.get_by_test_id("quoracy")).to_contain_text("Quorate")  # the Chair is the ICB's
    check(chair)
    c.get_by_role("link", name="Record the Panel's decision").click()
    expect(c.locator("h1")).to_have_text("Record the Panel's decision")
    check(chair)
    c.get_by_label("Local child safeguarding practice review").check()
    c.get_by_label("Rationale for the decision").fill("Concerns about agencies working together")
    c.locator("input[name='national_review_view'][value='no']").check()
    c.get_by_role("button", name="Record the decision").click()
    expect(c.get_by_test_id("decision")).to_contain_text("Recorded by Dr Helen Okafor")
    expect(c.get_by_test_id("decision")).to_contain_text("DI Marcus Reid (deputy for DCI Sarah")
    check(chair)
    decision = PanelDecision.objects.get(item=item)
    assert decision.decided_by.email == "chair@northbridge.example"
    review.refresh_from_db()
    assert review.status == "decided" and "Dr James Patel" in review.decided_at_meeting

    # At this meeting, the Chair approves the last meeting's minutes.
    chair.goto(meeting_url)
    expect(c.locator("h1")).to_contain_text("Extraordinary CSPR Panel meeting")
    c.get_by_role("button", name="Approve the minutes of the meeting of").click()
    expect(c.locator(".govuk-notification-banner")).to_contain_text("minutes of the")
    check(chair)
    held = AgendaItem.objects.exclude(meeting_id=item.meeting_id).filter(
        minutes_approved_on__isnull=False
    )
    assert held.count() == 3
