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
    from notifications.demo import demo_case

    settings.MEDIA_ROOT = tmp_path
    today = timezone.localdate()
    case = demo_case("notified-on-time")
    reference = case.reference

    # The school's safeguarding lead answers the school's request.
    school = open_page()
    s = school.page
    sign_in(school, "contributor.school@northbridge.example")
    s.get_by_role("link", name="Requests").click()
    school.axe()
    assert "Northbridge Police" not in s.get_by_role("main").inner_text()  # own agency only
    s.get_by_role("link", name=reference).click()
    assert (
        "Information request to Northbridge Education Partnership" in s.locator("h1").inner_text()
    )
    assert "Leo Barker" not in s.content()  # minimum summary: no name
    school.axe()
    s.get_by_role("link", name="Write or change the response").click()
    school.axe()
    s.get_by_label("Summary of your agency's involvement").fill(
        "Attendance fell in the summer term; two welfare concerns were logged."
    )
    s.get_by_role("button", name="Save draft").click()
    s.get_by_role("link", name="Add a chronology entry").click()
    school.axe()
    fill_date(s, "date", today.replace(day=1))
    s.get_by_label("What happened").fill("Welfare concern logged by the class teacher.")
    s.get_by_role("button", name="Save entry").click()
    s.get_by_role("link", name="Upload a document").click()
    school.axe()
    fake = tmp_path / "minutes.pdf"
    fake.write_bytes(b"not a pdf")
    s.get_by_label("Choose a file").set_input_files(str(fake))
    s.get_by_label("What is it?").fill("Safeguarding minutes")
    s.get_by_role("button", name="Upload").click()
    assert "named as a PDF but it is not" in s.locator(".govuk-error-summary").inner_text()
    assert s.get_by_label("What is it?").input_value() == "Safeguarding minutes"
    school.axe()
    real = tmp_path / "minutes-real.pdf"
    real.write_bytes(files.pdf())
    s.get_by_label("Choose a file").set_input_files(str(real))
    s.get_by_role("button", name="Upload").click()
    assert "Document uploaded" in s.locator(".govuk-notification-banner").inner_text()
    assert "minutes-real.pdf" in s.get_by_test_id("documents").inner_text()
    s.get_by_role("link", name="Check and submit").click()
    school.axe()
    s.get_by_role("button", name="Submit the response").click()
    assert "submitted" in s.locator(".govuk-notification-banner").inner_text()
    school.axe()

    # The PDEO accepts both submitted responses.
    pdeo = open_page()
    p = pdeo.page
    sign_in(pdeo, "pdeo@northbridge.example")
    p.goto(pdeo.base_url + f"/cases/{reference}/")
    pdeo.axe()
    for agency in ("Northbridge Education Partnership", "Northbridge Police"):
        p.get_by_test_id("requests").get_by_role("link", name=agency).click()
        pdeo.axe()
        p.get_by_role("button", name="Accept the response").click()
        assert "Response accepted" in p.locator(".govuk-notification-banner").inner_text()
        p.goto(pdeo.base_url + f"/cases/{reference}/")
    p.get_by_role("link", name="Integrated chronology").first.click()
    assert p.get_by_test_id("chronology-entry").count() == 3
    pdeo.axe()

    # Criteria and decision.
    p.goto(pdeo.base_url + f"/cases/{reference}/rapid-review/")
    assert p.get_by_test_id("task-list").is_visible()
    pdeo.axe()
    p.get_by_role("link", name="Criteria and decision").click()
    pdeo.axe()
    p.get_by_role("button", name="Save and continue to the decision").click()
    assert p.locator(".govuk-error-summary").is_visible()  # nothing answered
    pdeo.axe()
    groups = p.locator(".app-criterion")
    for i in range(groups.count()):
        group = groups.nth(i)
        group.get_by_label("Yes" if i < 3 else "No", exact=True).check()
        group.get_by_label("Why").fill("Discussed at the panel.")
    p.get_by_role("button", name="Save and continue to the decision").click()
    assert p.locator("h1").inner_text() == "The decision"
    pdeo.axe()
    p.get_by_label("Local child safeguarding practice review").check()
    p.get_by_label("Rationale for the decision").fill("Concerns about agencies working together.")
    p.get_by_label("No", exact=True).check()
    fill_date(p, "decided_on", today)
    p.get_by_label("Who was present").fill("Chair (ICB), DCI (police), Head of Service (LA)")
    p.get_by_role("button", name="Record the decision").click()
    assert "Decision recorded" in p.locator(".govuk-notification-banner").inner_text()
    pdeo.axe()

    # The three safeguarding partners sign off.
    for email in (
        "deputy.chair@northbridge.example",
        "panel.police@northbridge.example",
        "chair@northbridge.example",
    ):
        partner = open_page()
        sign_in(partner, email)
        partner.page.goto(partner.base_url + f"/cases/{reference}/rapid-review/sign-off/")
        partner.axe()
        partner.page.get_by_role("button", name="Sign off for").click()
        assert "Signed off for" in partner.page.locator(".govuk-notification-banner").inner_text()
        partner.axe()

    # Sent.
    p.goto(pdeo.base_url + f"/cases/{reference}/rapid-review/send/")
    pdeo.axe()
    p.get_by_role("button", name="Make the final version for sending").click()
    expect(p.get_by_test_id("sha256")).to_be_visible()
    pdeo.axe()
    fill_date(p, "sent_on", today)
    p.get_by_role("button", name="Record as sent").click()
    assert "Marked as sent" in p.locator(".govuk-notification-banner").inner_text()
    assert "Sent to the national Panel" in p.locator("h1").inner_text()
    pdeo.axe()
    with p.expect_download() as download:
        p.get_by_role("link", name="Download the version sent on").click()
    assert download.value.path().read_bytes().startswith(b"%PDF")
    p.goto(pdeo.base_url + "/reviews-to-commission/")
    assert reference in p.get_by_test_id("to-commission").first.inner_text()
    pdeo.axe()
    pdeo.assert_assets_loaded()
