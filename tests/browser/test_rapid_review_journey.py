"""An agency answers a request; the PDEO accepts it and records the criteria and decision; the
three safeguarding partners sign off; the review is sent. axe on every page visited."""

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


def test_request_to_sent_rapid_review(open_page, demo, tmp_path, settings):
    from notifications.models import Referral

    settings.MEDIA_ROOT = tmp_path
    today = timezone.localdate()
    case = Referral.objects.get(why_serious__endswith="[demo:notified-on-time]").case
    reference = case.reference

    # The school's safeguarding lead answers the school's request.
    school = open_page()
    s = school.page
    sign_in(school, "contributor.school@northbridge.example")
    s.get_by_role("link", name="Requests").click()
    expect(s.locator("h1")).to_have_text("Information requests")
    school.axe()
    expect(s.get_by_role("main")).to_contain_text(reference)
    expect(s.get_by_role("main")).not_to_contain_text("Northbridge Police")  # own agency only
    s.get_by_role("link", name=reference).click()
    expect(s.locator("h1")).to_contain_text(
        "Information request to Northbridge Education Partnership"
    )
    # While the request is open, the school sees who it is about, to find its own records:
    # the name and date of birth, and the address (a school's records are kept by address).
    identifiers = s.get_by_test_id("identifiers")
    expect(identifiers).to_contain_text("Leo Barker")
    expect(identifiers).to_contain_text("Address")
    expect(identifiers).not_to_contain_text("NHS number")
    school.axe()
    s.get_by_role("link", name="Write or change the response").click()
    expect(s.locator("h1")).to_have_text("Northbridge Education Partnership's response")
    school.axe()
    s.get_by_label("Summary of your agency's involvement").fill(
        "Attendance fell in the summer term; two welfare concerns were logged."
    )
    s.get_by_role("button", name="Save draft").click()
    expect(s.locator("h1")).to_contain_text("Information request to")
    s.get_by_role("link", name="Add a chronology entry").click()
    expect(s.locator("h1")).to_have_text("Add a chronology entry")
    school.axe()
    fill_date(s, "date", today.replace(day=1))
    s.get_by_label("What happened").fill("Welfare concern logged by the class teacher.")
    s.get_by_role("button", name="Save entry").click()
    expect(s.locator("h1")).to_contain_text("Information request to")
    s.get_by_role("link", name="Upload a document").click()
    expect(s.locator("h1")).to_have_text("Upload a document")
    school.axe()
    fake = tmp_path / "minutes.pdf"
    fake.write_bytes(b"not a pdf")
    s.get_by_label("Choose a file").set_input_files(str(fake))
    s.get_by_label("What is it?").fill("Safeguarding minutes")
    s.get_by_role("button", name="Upload").click()
    expect(s.locator(".govuk-error-summary")).to_contain_text("named as a PDF but it is not")
    expect(s.get_by_label("What is it?")).to_have_value("Safeguarding minutes")
    school.axe()
    real = tmp_path / "minutes-real.pdf"
    real.write_bytes(files.pdf())
    s.get_by_label("Choose a file").set_input_files(str(real))
    s.get_by_role("button", name="Upload").click()
    expect(s.locator(".govuk-notification-banner")).to_contain_text("Document uploaded")
    expect(s.get_by_test_id("documents")).to_contain_text("minutes-real.pdf")
    s.get_by_role("link", name="Check and submit").click()
    expect(s.locator("h1")).to_have_text("Check your response before you submit it")
    school.axe()
    s.get_by_role("button", name="Submit the response").click()
    expect(s.locator(".govuk-notification-banner")).to_contain_text("submitted")
    assert "Leo Barker" not in s.content()  # answered: the name is no longer shown
    school.axe()

    # The PDEO accepts both submitted responses.
    pdeo = open_page()
    p = pdeo.page
    sign_in(pdeo, "pdeo@northbridge.example")
    p.goto(pdeo.base_url + f"/cases/{reference}/")
    pdeo.axe()
    for agency in ("Northbridge Education Partnership", "Northbridge Police"):
        p.get_by_test_id("requests").get_by_role("link", name=agency).click()
        expect(p.locator("h1")).to_contain_text(f"Information request to {agency}")
        pdeo.axe()
        p.get_by_role("button", name="Accept the response").click()
        expect(p.locator(".govuk-notification-banner")).to_contain_text("Response accepted")
        p.goto(pdeo.base_url + f"/cases/{reference}/")
    p.get_by_role("link", name="Integrated chronology").first.click()
    expect(p.locator("h1")).to_have_text("Integrated chronology")
    expect(p.get_by_test_id("chronology-entry")).to_have_count(3)
    pdeo.axe()

    # Criteria and decision.
    p.goto(pdeo.base_url + f"/cases/{reference}/rapid-review/")
    expect(p.get_by_test_id("task-list")).to_be_visible()
    pdeo.axe()
    p.get_by_role("link", name="Criteria and decision").click()
    expect(p.locator("h1")).to_have_text("Criteria for a local review")
    pdeo.axe()
    p.get_by_role("button", name="Save and continue to the decision").click()
    expect(p.locator(".govuk-error-summary")).to_be_visible()  # nothing answered
    pdeo.axe()
    groups = p.locator(".app-criterion")
    expect(groups).to_have_count(8)  # four statutory criteria, four from guidance
    for i in range(groups.count()):
        group = groups.nth(i)
        group.get_by_label("Yes" if i < 3 else "No", exact=True).check()
        group.get_by_label("Why").fill("Discussed at the panel.")
    p.get_by_role("button", name="Save and continue to the decision").click()
    expect(p.locator("h1")).to_have_text("The decision")
    pdeo.axe()
    p.get_by_label("Local child safeguarding practice review").check()
    p.get_by_label("Rationale for the decision").fill("Concerns about agencies working together.")
    p.get_by_label("No", exact=True).check()
    fill_date(p, "decided_on", today)
    p.get_by_label("Who was present").fill("Chair (ICB), DCI (police), Head of Service (LA)")
    p.get_by_role("button", name="Record the decision").click()
    expect(p.locator(".govuk-notification-banner")).to_contain_text("Decision recorded")
    pdeo.axe()

    # The police's Panel member is not on the case team, so sees the case but cannot read it:
    # the PDEO puts them on the team for the decision.
    police = open_page()
    sign_in(police, "panel.police@northbridge.example")
    police.page.goto(police.base_url + f"/cases/{reference}/rapid-review/sign-off/")
    expect(police.page.locator("h1")).to_have_text("Page not found")
    police.page.goto(police.base_url + f"/cases/{reference}/")
    expect(police.page.get_by_test_id("read-rule")).to_be_visible()
    police.axe()
    p.goto(pdeo.base_url + f"/cases/{reference}/team/")
    p.get_by_label("Person").select_option(label="DCI Sarah Lowe")
    p.get_by_label("CSPR Panel member (for a decision or sign-off)").check()
    p.get_by_role("button", name="Add to the team").click()
    expect(p.locator(".govuk-notification-banner")).to_contain_text("added to the case team")
    pdeo.axe()

    # The three safeguarding partners sign off (the police's member is still signed in: a
    # second sign-in in the same 30 seconds would reuse a code, which is refused).
    for email in (
        "deputy.chair@northbridge.example",
        "panel.police@northbridge.example",
        "chair@northbridge.example",
    ):
        if email == "panel.police@northbridge.example":
            partner = police
        else:
            partner = open_page()
            sign_in(partner, email)
        partner.page.goto(partner.base_url + f"/cases/{reference}/rapid-review/sign-off/")
        expect(partner.page.locator("h1")).to_have_text("Sign-off by the safeguarding partners")
        partner.axe()
        partner.page.get_by_role("button", name="Sign off for").click()
        banner = partner.page.locator(".govuk-notification-banner")
        expect(banner).to_contain_text("Signed off for")
        partner.axe()

    # Sent.
    p.goto(pdeo.base_url + f"/cases/{reference}/rapid-review/send/")
    expect(p.locator("h1")).to_have_text("Send to the national Panel")
    pdeo.axe()
    fill_date(p, "sent_on", today)
    p.get_by_role("button", name="Record as sent").click()
    expect(p.locator(".govuk-notification-banner")).to_contain_text("Marked as sent")
    expect(p.locator("h1")).to_contain_text("Sent to the national Panel")
    pdeo.axe()
    with p.expect_download() as download:
        p.get_by_role("link", name="Download the version sent on").click()
    assert download.value.path().read_bytes().startswith(b"%PDF")
    p.goto(pdeo.base_url + "/reviews-to-commission/")
    expect(p.get_by_test_id("to-commission").first).to_contain_text(reference)
    pdeo.axe()
    pdeo.assert_assets_loaded()
