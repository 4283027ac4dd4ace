"""An agency answers a request (several chronology entries at once); the PDEO accepts the
responses and records the criteria and decision; the three safeguarding partners each find
their sign-off waiting for them and sign; the PDEO makes the final version, sends it,
settles the request still open, and downloads the very file made for sending. axe on every
page visited, on a desktop and on a phone."""

import hashlib

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from ..contributions import files
from .conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)
WIDTHS = [1280, 375]


def fill_date(p, name, day):
    p.locator(f"#id_{name}_0").fill(str(day.day))
    p.locator(f"#id_{name}_1").fill(str(day.month))
    p.locator(f"#id_{name}_2").fill(str(day.year))


def check(page):
    page.axe()
    page.assert_fits_the_screen()


@pytest.mark.parametrize("width", WIDTHS)
def test_request_to_sent_rapid_review(open_page, demo, tmp_path, settings, width):
    from notifications.demo import demo_case
    from rapid_reviews.models import RapidReviewPdf

    settings.MEDIA_ROOT = tmp_path
    today = timezone.localdate()
    case = demo_case("notified-on-time")
    reference = case.reference

    # The school's safeguarding lead finds the school's request waiting and answers it.
    school = open_page(width)
    s = school.page
    sign_in(school, "contributor.school@northbridge.example")
    expect(s.get_by_test_id("waiting-count")).to_contain_text("1")
    check(school)
    # The requests list holds the school's own agency's requests only.
    school.goto("/requests/")
    expect(s.locator("h1")).to_have_text("Information requests")
    expect(s.get_by_role("main")).to_contain_text(reference)
    expect(s.get_by_role("main")).not_to_contain_text("Northbridge Police")  # own agency only
    check(school)
    school.goto("/")
    s.get_by_role("link", name="Answer the request for information").click()
    expect(s.locator("h1")).to_contain_text(
        "Information request to Northbridge Education Partnership"
    )
    # While the request is open, the school sees who it is about, to find its own records:
    # the name and date of birth, and the address (a school's records are kept by address).
    identifiers = s.get_by_test_id("identifiers")
    expect(identifiers).to_contain_text("Leo Barker")
    expect(identifiers).to_contain_text("Address")
    expect(identifiers).not_to_contain_text("NHS number")
    check(school)
    s.get_by_role("link", name="Write or change the response").click()
    expect(s.locator("h1")).to_have_text("Northbridge Education Partnership's response")
    check(school)
    s.get_by_label("Summary of your agency's involvement").fill(
        "Attendance fell in the summer term; two welfare concerns were logged."
    )
    s.get_by_role("button", name="Save draft").click()
    expect(s.locator(".govuk-notification-banner")).to_contain_text("Draft saved")
    s.get_by_role("link", name="Add chronology entries").click()
    expect(s.locator("h1")).to_have_text("Add chronology entries")
    check(school)
    # Two events at once; the second is missing what happened.
    fill_date(s, "entries-0-date", today.replace(day=1))
    s.locator("#id_entries-0-what_happened").fill("Welfare concern logged by the class teacher.")
    fill_date(s, "entries-1-date", today.replace(day=2))
    s.get_by_role("button", name="Save entries").click()
    summary = s.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Entry 2: Enter what happened")
    check(school)
    s.locator("#id_entries-1-what_happened").fill("Second concern: hungry and unkempt.")
    s.get_by_role("button", name="Save entries").click()
    expect(s.locator(".govuk-notification-banner")).to_contain_text("2 chronology entries added")
    expect(s.get_by_test_id("entries")).to_contain_text("Second concern")
    s.get_by_role("link", name="Upload a document").click()
    expect(s.locator("h1")).to_have_text("Upload a document")
    check(school)
    fake = tmp_path / "minutes.pdf"
    fake.write_bytes(b"not a pdf")
    s.get_by_label("Choose a file").set_input_files(str(fake))
    s.get_by_label("What is it?").fill("Safeguarding minutes")
    s.get_by_role("button", name="Upload").click()
    expect(s.locator(".govuk-error-summary")).to_contain_text("named as a PDF but it is not")
    expect(s.get_by_label("What is it?")).to_have_value("Safeguarding minutes")
    check(school)
    real = tmp_path / "minutes-real.pdf"
    real.write_bytes(files.pdf())
    s.get_by_label("Choose a file").set_input_files(str(real))
    s.get_by_role("button", name="Upload").click()
    expect(s.locator(".govuk-notification-banner")).to_contain_text("Document uploaded")
    expect(s.get_by_test_id("documents")).to_contain_text("minutes-real.pdf")
    s.get_by_role("link", name="Check and submit").click()
    expect(s.locator("h1")).to_have_text("Check your response before you submit it")
    check(school)
    s.get_by_role("button", name="Submit the response").click()
    expect(s.locator(".govuk-notification-banner")).to_contain_text("submitted")
    assert "Leo Barker" not in s.content()  # answered: the name is no longer shown
    check(school)

    # The PDEO accepts the two submitted responses, from the case's agencies section.
    pdeo = open_page(width)
    p = pdeo.page
    sign_in(pdeo, "pdeo@northbridge.example")
    pdeo.goto(f"/cases/{reference}/")
    expect(p.get_by_test_id("case-summary")).to_contain_text("Waits on")
    check(pdeo)
    p.get_by_test_id("case-sections").get_by_role("link", name="Information from agencies").click()
    expect(p.get_by_test_id("section-title")).to_have_text("Information from agencies")
    check(pdeo)
    for agency in ("Northbridge Education Partnership", "Northbridge Police"):
        p.get_by_test_id("requests").get_by_role("link", name=agency).click()
        expect(p.locator("h1")).to_contain_text(f"Information request to {agency}")
        check(pdeo)
        p.get_by_role("button", name="Accept the response").click()
        expect(p.locator(".govuk-notification-banner")).to_contain_text("Response accepted")
        pdeo.goto(f"/cases/{reference}/?section=agencies")
    p.get_by_role("link", name="Integrated chronology").first.click()
    expect(p.locator("h1")).to_have_text("Integrated chronology")
    expect(p.get_by_test_id("chronology-entry")).to_have_count(4)
    check(pdeo)

    # Criteria and decision.
    pdeo.goto(f"/cases/{reference}/rapid-review/")
    expect(p.get_by_test_id("task-list")).to_be_visible()
    check(pdeo)
    p.get_by_role("link", name="Criteria and decision").click()
    expect(p.locator("h1")).to_have_text("Criteria for a local review")
    check(pdeo)
    p.get_by_role("button", name="Save and continue to the decision").click()
    expect(p.locator(".govuk-error-summary")).to_be_visible()  # nothing answered
    check(pdeo)
    groups = p.locator(".app-criterion")
    expect(groups).to_have_count(8)  # four statutory criteria, four from guidance
    for i in range(groups.count()):
        group = groups.nth(i)
        group.get_by_label("Yes" if i < 3 else "No", exact=True).check()
        group.get_by_label("Why").fill("Discussed at the panel.")
    p.get_by_role("button", name="Save and continue to the decision").click()
    expect(p.locator("h1")).to_have_text("The decision")
    check(pdeo)
    p.get_by_label("Local child safeguarding practice review").check()
    p.get_by_label("Rationale for the decision").fill("Concerns about agencies working together.")
    p.get_by_label("No", exact=True).check()
    fill_date(p, "decided_on", today)
    p.get_by_label("Who was present").fill("Chair (ICB), DCI (police), Head of Service (LA)")
    p.get_by_role("button", name="Record the decision").click()
    expect(p.locator(".govuk-notification-banner")).to_contain_text("Decision recorded")
    check(pdeo)

    # The police's Panel member is not on the case team, so sees the case but cannot read it:
    # the PDEO puts them on the team for the decision.
    police = open_page(width)
    sign_in(police, "panel.police@northbridge.example")
    police.goto(f"/cases/{reference}/rapid-review/sign-off/")
    expect(police.page.locator("h1")).to_have_text("Page not found")
    police.goto(f"/cases/{reference}/")
    expect(police.page.get_by_test_id("read-rule")).to_be_visible()
    check(police)
    pdeo.goto(f"/cases/{reference}/team/")
    p.get_by_label("Person").select_option(label="DCI Sarah Lowe")
    p.get_by_label("CSPR Panel member (for a decision or sign-off)").check()
    p.get_by_role("button", name="Add to the team").click()
    expect(p.locator(".govuk-notification-banner")).to_contain_text("added to the case team")
    check(pdeo)

    # Each safeguarding partner finds the sign-off waiting for them, and signs (the police's
    # member is still signed in: a second sign-in in the same 30 seconds would reuse a code,
    # which is refused).
    for email in (
        "deputy.chair@northbridge.example",
        "panel.police@northbridge.example",
        "chair@northbridge.example",
    ):
        if email == "panel.police@northbridge.example":
            partner = police
            partner.goto("/")
        else:
            partner = open_page(width)
            sign_in(partner, email)
        q = partner.page
        waiting = q.get_by_test_id("waiting-list")
        expect(waiting).to_contain_text(reference)
        check(partner)
        waiting.locator("li", has_text=reference).get_by_role("link").click()
        expect(q.locator("h1")).to_have_text("Sign-off by the safeguarding partners")
        check(partner)
        q.get_by_role("button", name="Sign off for").click()
        expect(q.locator(".govuk-notification-banner")).to_contain_text("Signed off for")
        check(partner)

    # The final version, then sent; the request nobody could answer is closed.
    pdeo.goto(f"/cases/{reference}/rapid-review/send/")
    expect(p.get_by_test_id("open-requests")).to_contain_text("Wyre Community Health Services")
    check(pdeo)
    p.get_by_role("button", name="Make the final version for sending").click()
    expect(p.get_by_test_id("sha256")).to_be_visible()
    check(pdeo)
    with p.expect_download() as made:
        p.get_by_test_id("final-version").get_by_role("link").click()
    final = made.value.path().read_bytes()
    assert final.startswith(b"%PDF")
    expect(p.get_by_test_id("sha256")).to_have_text(hashlib.sha256(final).hexdigest())
    fill_date(p, "sent_on", today)
    p.get_by_role("button", name="Record as sent").click()
    expect(p.locator(".govuk-error-summary")).to_contain_text(
        "Choose whether to close the request to Wyre Community Health Services"
    )
    check(pdeo)
    p.get_by_label("Close it: tell the agency it is no longer needed").check()
    p.get_by_role("button", name="Record as sent").click()
    expect(p.locator(".govuk-notification-banner")).to_contain_text("Recorded as sent")
    expect(p.locator("h1")).to_contain_text("Sent to the national Panel")
    check(pdeo)
    with p.expect_download() as download:
        p.get_by_role("link", name="Download the version sent on").click()
    assert download.value.path().read_bytes() == final  # the file kept is the file sent
    assert RapidReviewPdf.objects.filter(review__case=case).count() == 1
    pdeo.goto("/reviews-to-commission/")
    expect(p.get_by_test_id("to-commission").filter(has_text=reference)).to_be_visible()
    check(pdeo)
    pdeo.assert_assets_loaded()
