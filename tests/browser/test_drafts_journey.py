"""Hearing from practitioners and a draft's factual accuracy, in Chromium: the Lead Reviewer
records a feedback session (a practitioner invited, who attended) and the family's part,
uploads the next draft (a text file refused first) and circulates it to the Case Review
Panel; the police's and the health trust's members each comment for their own agency (the
police's member withdraws a comment added by mistake, and cannot open the health trust's
comments); the Lead Reviewer responds to both on the draft's one page, and an old link to a
comment answered shows why it can no longer change. axe on every page visited."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from ..contributions import files
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


def test_a_learning_event_and_a_draft_commented_on_by_two_agencies(open_page, demo, tmp_path):
    from cspr.demo import demo_review_case
    from cspr.models import FactualAccuracyComment, ReportDraft
    from safeguarding.accounts.models import User

    today = timezone.localdate()
    reference = demo_review_case("review-in-progress").reference
    police = User.objects.select_related("agency").get(email="panel.police@northbridge.example")
    health = User.objects.select_related("agency").get(email="panel.health@northbridge.example")

    # The Lead Reviewer records a feedback session from the review's page.
    lead = open_page()
    r = lead.page
    sign_in(lead, "lead.reviewer@northbridge.example")
    lead.goto(f"/cases/{reference}/local-review/")
    check(lead)
    r.get_by_role("link", name="Learning events and feedback sessions").click()
    expect(r.locator("h1")).to_have_text("Learning events and feedback sessions")
    expect(r.get_by_test_id("learning-events")).to_contain_text("Practitioner learning event")
    check(lead)
    r.get_by_label("Feedback session").check()
    r.get_by_role("button", name="Add the event").click()
    expect(r.locator(".govuk-error-summary")).to_contain_text("Enter the date of the event")
    check(lead)
    r.get_by_label("Feedback session").check()
    fill_date(r, "held_on", today)
    r.get_by_role("button", name="Add the event").click()
    banner(r, "Feedback session recorded")
    check(lead)
    r.get_by_label("Agency").select_option(label=police.agency.name)
    r.get_by_label("Practitioner's name and role").fill("PC Dana Hughes, response officer")
    r.get_by_role("button", name="Add the practitioner").click()
    banner(r, "Practitioner added")
    expect(r.get_by_test_id("practitioners")).to_contain_text("PC Dana Hughes")
    check(lead)
    r.get_by_role("link", name="Record who attended and the notes").click()
    check(lead)
    r.get_by_label("PC Dana Hughes, response officer").check()
    r.get_by_label("What was learned (notes)").fill("Findings shared; practitioners agreed them.")
    r.get_by_role("button", name="Save").click()
    banner(r, "Attendance and notes saved")
    expect(r.get_by_test_id("event-notes")).to_contain_text("Findings shared")
    check(lead)

    # The family's part, by relationship.
    lead.goto(f"/cases/{reference}/local-review/family/")
    expect(r.get_by_test_id("family")).to_contain_text("Agreed to take part")
    check(lead)
    r.get_by_label("Who was approached: their relationship to the child").fill("grandmother")
    r.get_by_label("Telephone").check()
    fill_date(r, "approached_on", today)
    r.get_by_label("Did not respond").check()
    r.get_by_role("button", name="Record").click()
    banner(r, "Recorded")
    expect(r.get_by_test_id("family")).to_contain_text("Grandmother")
    check(lead)

    # The next draft: a text file is refused, a PDF is version 2; circulated to the panel.
    lead.goto(f"/cases/{reference}/local-review/")
    r.get_by_role("link", name="Drafts of the report and factual-accuracy comments").click()
    expect(r.get_by_test_id("drafts")).to_contain_text("Version 1")
    check(lead)
    text = tmp_path / "draft.txt"
    text.write_text("Draft report")
    r.get_by_label("The draft report").set_input_files(str(text))
    r.get_by_label("What changed in this version (optional)").fill("Comments on v1 taken in")
    r.get_by_role("button", name="Upload the draft").click()
    expect(r.locator(".govuk-error-summary")).to_contain_text(
        "The draft must be a PDF, Word or OpenDocument text file"
    )
    expect(r.get_by_label("What changed in this version (optional)")).to_have_value(
        "Comments on v1 taken in"
    )
    check(lead)
    real = tmp_path / "draft-report-v2.pdf"
    real.write_bytes(files.pdf())
    r.get_by_label("The draft report").set_input_files(str(real))
    r.get_by_role("button", name="Upload the draft").click()
    banner(r, "Version 2 uploaded")
    check(lead)
    r.get_by_role("button", name="Circulate to the Case Review Panel").click()
    banner(r, "comments are due by")
    expect(r.get_by_test_id("circulated")).to_contain_text(police.agency.name)
    expect(r.get_by_test_id("circulated")).to_contain_text(health.agency.name)
    check(lead)
    draft = ReportDraft.objects.get(review__case__reference=reference, number=2)
    draft_url = f"/cases/{reference}/local-review/drafts/{draft.pk}/"

    # Each agency's member comments for their own agency.
    for person, comment in (
        (police, "The call to police was at 21:40, not 23:40."),
        (health, "The GP saw the child in May as well as June."),
    ):
        member = open_page()
        m = member.page
        sign_in(member, person.email)
        member.goto(draft_url)
        check(member)
        m.get_by_role("link", name=f"Comment for {person.agency.name}").click()
        check(member)
        m.get_by_role("button", name="Add the comment").click()
        expect(m.locator(".govuk-error-summary")).to_contain_text("Enter the comment")
        check(member)
        m.get_by_label("Section or page (optional)").fill("Section 2")
        m.get_by_label("Your agency's comment on the facts").fill(comment)
        m.get_by_role("button", name="Add the comment").click()
        banner(m, "Comment added")
        expect(m.get_by_test_id("agency-comments")).to_contain_text(comment)
        check(member)
        if person == police:
            # A second comment, added by mistake, is withdrawn from its own page.
            m.get_by_label("Your agency's comment on the facts").fill("Added twice by mistake.")
            m.get_by_role("button", name="Add the comment").click()
            banner(m, "Comment added")
            m.get_by_role("link", name="Change comment 2").click()
            expect(m.locator("h1")).to_have_text("Change your agency's comment")
            check(member)
            m.get_by_role("button", name="Withdraw the comment").click()
            banner(m, "Comment withdrawn")
            expect(m.get_by_test_id("agency-comments")).not_to_contain_text("Added twice")
            expect(m.get_by_test_id("agency-comments")).to_contain_text(comment)
            check(member)
        m.get_by_role("button", name=f"{person.agency.name}'s comments are complete").click()
        banner(m, "marked complete")
        check(member)
        if person == police:
            # The health trust's comments are not the police's to see.
            other = f"{draft_url}agencies/{health.agency.pk}/"
            assert member.goto(other).status == 404
            member.goto(draft_url)
            expect(m.get_by_test_id("comments")).not_to_contain_text("GP saw the child")

    # Both finished: the comments closed (D14 met). The Lead Reviewer responds to each.
    lead.goto(draft_url)
    expect(r.get_by_test_id("comments-status")).to_contain_text("Closed")
    expect(r.get_by_test_id("comments")).to_contain_text("21:40")
    expect(r.get_by_test_id("comments")).to_contain_text("GP saw the child")
    check(lead)
    for n in range(2):
        r.get_by_role("link", name="Respond", exact=False).first.click()
        expect(r.get_by_test_id("the-comment")).to_be_visible()
        check(lead)
        if n == 0:
            r.get_by_role("button", name="Save").click()
            expect(r.locator(".govuk-error-summary")).to_contain_text("Select whether")
            check(lead)
        r.get_by_label("The report is changed").check()
        r.get_by_label("Your response").fill(f"Corrected in version 3 ({n + 1})")
        r.get_by_role("button", name="Save").click()
        banner(r, "Response saved")
    expect(r.get_by_test_id("comments")).to_contain_text("Corrected in version 3 (2)")
    expect(r.get_by_test_id("comments")).not_to_contain_text("No response yet")
    check(lead)
    assert not FactualAccuracyComment.objects.filter(draft=draft, responded_at=None).exists()
    assert lead.audited and not lead.failed

    # The health trust's member, back on their comment's page from an old link, is told why
    # it can no longer be changed, with nothing to fill in or press.
    answered = FactualAccuracyComment.objects.get(draft=draft, agency=health.agency)
    assert member.goto(f"{draft_url}comments/{answered.pk}/").status == 200
    expect(m.get_by_test_id("comment-fixed")).to_contain_text(
        f"Comments on version {draft.number} closed on"
    )
    expect(m.locator("form textarea")).to_have_count(0)
    expect(m.get_by_role("button", name="Withdraw the comment")).to_have_count(0)
    check(member)
    m.get_by_role("link", name="Back to your agency's comments").click()
    expect(m.get_by_test_id("agency-comments")).to_contain_text("Corrected in version 3")
    check(member)


def test_the_pages_on_a_phone(open_page, demo):
    """Each page of drafts, learning events and the family's part at 375 px, with axe."""
    from cspr.demo import demo_review_case
    from cspr.models import LocalReview

    review = LocalReview.objects.get(case=demo_review_case("review-published"))
    base = f"/cases/{review.case.reference}/local-review/"
    draft = review.drafts.get()
    comment = draft.comments.first()
    event = review.learning_events.get()
    record = review.family_engagement.first()
    page = open_page(375)
    sign_in(page, "lead.reviewer@northbridge.example")
    for path in (
        base,
        f"{base}drafts/",
        f"{base}drafts/{draft.pk}/",
        f"{base}drafts/{draft.pk}/agencies/{comment.agency_id}/",
        f"{base}drafts/{draft.pk}/comments/{comment.pk}/respond/",
        f"{base}learning-events/",
        f"{base}learning-events/{event.pk}/",
        f"{base}learning-events/{event.pk}/attendance/",
        f"{base}family/",
        f"{base}family/{record.pk}/",
    ):
        assert page.goto(path).status == 200, path
        expect(page.page.locator("h1")).to_be_visible()
        check(page)


@pytest.mark.parametrize("width", [1280, 375])
def test_the_pdeo_flags_the_terms_and_an_overdue_request_to_the_reviewer(open_page, demo, width):
    """The first Case Review Panel meeting's date (an error first), the terms flagged while not
    agreed, and a request to the reviewer overdue (the Lead Reviewer sees it on their home page
    and the review's), then answered; axe on each page."""
    from datetime import timedelta

    from cspr import services
    from cspr.demo import demo_review_case
    from cspr.models import LocalReview
    from safeguarding.accounts.models import User

    review = LocalReview.objects.get(case=demo_review_case("review-in-progress"))
    pdeo_user = User.objects.get(email="pdeo@northbridge.example")
    services.record_reviewer_request(
        review=review,
        user=pdeo_user,
        kind="information",
        details="The school's attendance records",
        asked_on=review.decided_on + timedelta(days=7),
    )
    # The demo's terms are agreed: a new version makes them a draft again.
    terms = review.terms
    services.save_terms(
        review=review,
        user=pdeo_user,
        expected_version=terms.version,
        scope=terms.scope + " And the GP's records.",
    )
    base = f"/cases/{review.case.reference}/local-review/"
    today = timezone.localdate()
    pdeo = open_page(width)
    p = pdeo.page
    sign_in(pdeo, "pdeo@northbridge.example")
    pdeo.goto(base)
    expect(p.get_by_test_id("reviewer-requests-overdue")).to_contain_text(
        "1 request to the reviewer overdue"
    )
    check(pdeo)
    # The Lead Reviewer is asked for it on their home page, and reads it on the review's page.
    lead = open_page(width)
    sign_in(lead, "lead.reviewer@northbridge.example")
    lead.goto("/")
    lead.page.get_by_role("link", name="Send the information the partnership asked for").click()
    expect(lead.page.get_by_test_id("requests-to-reviewer")).to_contain_text(
        "The school's attendance records"
    )
    expect(lead.page.get_by_test_id("requests-to-reviewer")).to_contain_text("Overdue")
    check(lead)
    pdeo.goto(base + "terms/")
    check(pdeo)
    p.get_by_role("link", name="Record the date of the first Case Review Panel meeting").click()
    check(pdeo)
    p.locator("#id_first_panel_meeting_on_0").fill("45")
    p.get_by_role("button", name="Save the date").click()
    expect(p.locator(".govuk-error-summary")).to_be_visible()
    check(pdeo)
    fill_date(p, "first_panel_meeting_on", today + timedelta(days=7))
    p.get_by_role("button", name="Save the date").click()
    banner(p, "Date of the first Case Review Panel meeting saved")
    expect(p.get_by_test_id("terms-warning")).to_contain_text(
        "Agree the terms of reference before the first Case Review Panel meeting"
    )
    check(pdeo)
    pdeo.goto(base + "reviewer-requests/")
    expect(p.get_by_test_id("reviewer-requests")).to_contain_text("Overdue")
    check(pdeo)
    p.get_by_role("button", name="Record as answered").click()
    banner(p, "Recorded as answered")
    expect(p.get_by_test_id("reviewer-requests")).not_to_contain_text("Overdue")
    check(pdeo)
