"""The CSPR Panel in a browser: the PDEO calls a meeting, builds its agenda and sends the
papers; a police member then reads the case on the agenda; the Chair records attendance (the
police member sends apologies, their deputy attends), a declaration of interest and the rapid
review's decision (quorate, who was present from the attendance), and approves the last
meeting's minutes. The deputy then reads the case in the member's place, and the member no
longer can; the deputy declares a conflict of interest on the case, and the agenda withholds
its item from them. The PDEO adds an action arising at the meeting and escalates it; the Business
Manager issues the highlight report to the Executive Group, and an Executive member reads it
and downloads its PDF. axe on every page visited, on a desktop and on a phone."""

import re
from datetime import timedelta

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
    from cspr.models import NoLocalReview
    from notifications.demo import demo_case
    from panel import services as panel_services
    from panel.models import AgendaItem, IssuedHighlightReport, PanelDecision, PanelMember
    from rapid_reviews import services as rapid_reviews
    from rapid_reviews.models import CriterionAnswer, RapidReview
    from safeguarding.accounts.models import User
    from safeguarding.actions.models import Action

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

    # A second item: whether to hold a local review of a case no rapid review decides. The
    # Panel decides on another learning activity (which one, an error first); the case closes.
    other = demo_case("awaiting-screening")
    local_item = panel_services.add_item(
        user=pdeo_user, meeting=item.meeting, kind="local_review", case=other
    )
    chair.goto(f"{meeting_url}items/{local_item.pk}/")
    c.get_by_role("link", name="Record the Panel's decision").click()
    expect(c.locator("h1")).to_have_text("Record the Panel's decision")
    check(chair)
    c.get_by_label("No local review, but another learning activity").check()
    c.get_by_label("Why the Panel decided as it did").fill("A single-agency review will do")
    c.get_by_role("button", name="Record the decision").click()
    expect(c.locator(".govuk-error-summary")).to_contain_text("Choose the learning activity")
    check(chair)
    c.get_by_label("If another learning activity, which?").select_option("single_agency")
    c.get_by_role("button", name="Record the decision").click()
    expect(c.get_by_test_id("decision")).to_contain_text("Recorded by Dr Helen Okafor")
    check(chair)
    record = NoLocalReview.objects.get(case=other)
    assert record.learning_activity == "single_agency" and record.decided_by.startswith(
        "The CSPR Panel"
    )

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

    # The police member sent apologies: their deputy reads the case in their place, and the
    # member no longer can.
    item_url = f"{meeting_url}items/{item.pk}/"
    deputy = open_page(width)
    d = deputy.page
    sign_in(deputy, "deputy.police@northbridge.example")
    deputy.goto(item_url)
    expect(d.locator("h1")).to_have_text("Item 1: Rapid review for decision")
    expect(d.get_by_test_id("papers")).to_be_visible()
    check(deputy)
    member.goto(item_url)
    expect(m.get_by_test_id("papers-closed")).to_be_visible()
    check(member)

    # Reading the papers, the deputy finds they know the family: they declare a conflict of
    # interest on the case, and the meeting's agenda then withholds the item from them.
    deputy.goto(f"/cases/{case.reference}/conflict/")
    expect(d.locator("h1")).to_have_text("Declare a conflict of interest")
    check(deputy)
    d.get_by_label("What is the conflict of interest?").fill("A relative of the child's family")
    d.get_by_label("I understand I will no longer be able to see this case").check()
    d.get_by_role("button", name="Declare the conflict").click()
    expect(d.locator(".govuk-notification-banner")).to_contain_text("no longer see this case")
    check(deputy)
    deputy.goto(meeting_url)
    expect(d.get_by_test_id("agenda")).to_contain_text(
        "1. Withheld: you declared a conflict of interest on its case"
    )
    expect(d.get_by_test_id("agenda")).not_to_contain_text(case.reference)
    check(deputy)

    # The PDEO adds an action arising from the item, escalated to the Executive Group at once.
    pdeo.goto(item_url)
    p.get_by_role("link", name="Add an action arising from this item").click()
    expect(p.locator("h1")).to_have_text("Add an action arising at the meeting")
    check(pdeo)
    p.get_by_role("button", name="Add the action").click()
    expect(p.locator(".govuk-error-summary")).to_be_visible()
    check(pdeo)
    p.get_by_label("What is the action?").fill("Review the police's strategy discussion log")
    p.get_by_label("Owner agency").select_option(label="Northbridge Police")
    fill_date(p, "due_date", today + timedelta(days=28))
    p.get_by_label("How will success be measured?").fill("A dip sample of 20 discussions")
    p.get_by_label("Escalate it to the Executive Group now").check()
    p.get_by_label("Why it is escalated (if it is)").fill("Third time raised at the Panel")
    p.get_by_role("button", name="Add the action").click()
    expect(p.locator(".govuk-notification-banner")).to_contain_text("added to the action log")
    expect(p.get_by_test_id("meeting-actions")).to_contain_text("Escalated")
    check(pdeo)
    p.get_by_role("link", name="The whole action log").click()
    expect(p.get_by_test_id("action-log")).to_contain_text("Overdue")  # the demo's overdue one
    check(pdeo)
    action = Action.objects.get(description="Review the police's strategy discussion log")
    assert action.case == case and action.source_label.endswith(", item 1")

    # The Business Manager issues the highlight report to the next Executive Group meeting.
    manager = open_page(width)
    b = manager.page
    sign_in(manager, "business.manager@northbridge.example")
    manager.goto("/panel/highlight-reports/")
    expect(b.locator("h1")).to_have_text("Highlight reports")
    check(manager)
    b.get_by_role("link", name="Start a highlight report").click()
    expect(b.locator("h1")).to_have_text("Start a highlight report")
    check(manager)
    b.get_by_label("Executive Group meeting", exact=True).fill("Executive Group (journey)")
    fill_date(b, "executive_meeting_on", today + timedelta(days=14))
    b.get_by_label("Key messages").fill("Strategy discussions must include health.")
    b.get_by_role("button", name="Save the draft").click()
    expect(b.locator(".govuk-notification-banner")).to_contain_text("Draft saved")
    expect(b.get_by_test_id("escalations")).to_contain_text(action.reference)
    check(manager)
    b.get_by_role("button", name="Issue the report").click()
    expect(b.locator(".govuk-notification-banner")).to_contain_text("Version 1 issued")
    expect(b.get_by_test_id("issued")).to_contain_text("Version 1, issued")
    check(manager)
    issued = IssuedHighlightReport.objects.get(
        report__executive_meeting="Executive Group (journey)"
    )

    # An Executive member reads it from their home page, by reference and pseudonym only, and
    # downloads the PDF as it was issued.
    executive = open_page(width)
    e = executive.page
    sign_in(executive, "executive@northbridge.example")
    e.get_by_role(
        "link", name=re.compile(r"Highlight report to the Executive Group \(journey\)")
    ).click()
    expect(e.locator("h1")).to_contain_text("Executive Group (journey)")
    expect(e.get_by_test_id("key-messages")).to_contain_text("must include health")
    expect(e.get_by_test_id("escalations")).to_contain_text(f"{case.reference} – {case.pseudonym}")
    child = case.children.get()
    expect(e.locator("main")).not_to_contain_text(child.name)
    check(executive)
    e.get_by_role("link", name="Download this version (PDF)").click()
    expect(e.locator("h1")).to_have_text("Download the highlight report as a PDF")
    check(executive)
    e.get_by_role("button", name="Create the file").click()
    expect(e.get_by_test_id("download")).to_be_visible()
    check(executive)
    with e.expect_download() as download:
        e.get_by_test_id("download").click()
    assert download.value.suggested_filename.endswith(f"version-{issued.number}.pdf")
    issued.refresh_from_db()
    assert issued.pdf_sha256  # the PDF is kept with the version
