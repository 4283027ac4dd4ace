"""Issue 13's gaps: the terms of reference are agreed before the Case Review Panel first meets
(flagged on the review and the terms until they are), and each request to the reviewer has a
date it is wanted by (10 working days when none is given), flagged when overdue unanswered."""

from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cspr import services
from cspr.models import Appointment, LocalReview
from safeguarding import home
from safeguarding.outbox.models import OutboundEmail
from safeguarding.workflow import NotAllowed
from tests.helpers import verified_client

pytestmark = pytest.mark.django_db
R = Appointment.Role


@pytest.fixture
def review(signed_off, partners, reviewers):
    review = LocalReview.objects.get(case=signed_off().case)  # decided 24 November 2026
    pdeo = partners["pdeo"]
    services.appoint(review=review, user=pdeo, person=reviewers["lead"], role=R.LEAD_REVIEWER)
    services.appoint(review=review, user=pdeo, person=reviewers["chair"], role=R.REVIEW_CHAIR)
    review.refresh_from_db()
    return review


def url(name, review, *args):
    return reverse(name, args=[review.case.reference, *args])


def agreed_terms(review, partners, reviewers):
    terms = services.save_terms(
        review=review,
        user=partners["pdeo"],
        expected_version=0,
        scope="Two years",
        period_from=date(2024, 11, 1),
        period_to=date(2026, 11, 1),
        key_lines_of_enquiry="Sharing",
        method="silp",
    )
    return services.agree_terms(
        terms=terms, user=reviewers["chair"], expected_version=terms.version
    )


def test_the_first_meeting_flags_terms_not_yet_agreed(review, partners, reviewers):
    pdeo = partners["pdeo"]
    with pytest.raises(ValidationError, match="cannot be before the decision"):
        services.set_first_panel_meeting(
            review=review, user=pdeo, first_panel_meeting_on=date(2026, 11, 1)
        )
    assert services.terms_warning(review, None) is None  # no meeting date: nothing to flag
    services.set_first_panel_meeting(
        review=review, user=pdeo, first_panel_meeting_on=date(2026, 12, 10)
    )
    review.refresh_from_db()
    assert services.terms_warning(review, None) == (
        "Agree the terms of reference before the first Case Review Panel meeting on "
        "10 December 2026"
    )
    client = verified_client(Client(), pdeo)
    page = client.get(url("cspr:detail", review)).content.decode()
    assert "Agree the terms of reference before the first Case Review Panel meeting" in page
    with time_machine.travel(date(2026, 12, 11), tick=False):
        client = verified_client(Client(), pdeo)
        assert "met on 10 December 2026 without agreed terms" in services.terms_warning(
            review, None
        )
        terms_page = client.get(url("cspr:terms", review)).content.decode()
        assert 'data-testid="terms-warning"' in terms_page
        terms = agreed_terms(review, partners, reviewers)
        assert services.terms_warning(review, terms) is None
        terms_page = client.get(url("cspr:terms", review)).content.decode()
        assert 'data-testid="terms-warning"' not in terms_page


def test_the_first_meeting_page(review, partners, reviewers):
    client = verified_client(Client(), partners["pdeo"])
    page = url("cspr:first_meeting", review)
    bad = client.post(page, {"first_panel_meeting_on_0": "40"}).content.decode()
    assert "govuk-error-summary" in bad
    response = client.post(
        page,
        {
            "first_panel_meeting_on_0": "10",
            "first_panel_meeting_on_1": "12",
            "first_panel_meeting_on_2": "2026",
        },
    )
    assert response["Location"] == url("cspr:terms", review)
    review.refresh_from_db()
    assert review.first_panel_meeting_on == date(2026, 12, 10)
    lead = verified_client(Client(), reviewers["lead"])
    assert lead.get(page).status_code == 403  # the PDEO records it


def test_a_request_to_the_reviewer_is_due_and_flagged_when_overdue(review, partners):
    pdeo = partners["pdeo"]
    # Asked with no date: 10 working days.
    asked = services.record_reviewer_request(
        review=review,
        user=pdeo,
        kind="information",
        details="The school's attendance records",
        asked_on=date(2026, 11, 24),
    )
    assert asked.due_on == date(2026, 12, 8)
    with time_machine.travel(date(2026, 12, 16), tick=False):  # a Wednesday, before Christmas
        christmas = services.record_reviewer_request(
            review=review, user=pdeo, kind="draft", details="A first draft", asked_on=date.today()
        )
    # 25 and 28 December and 1 January are bank holidays.
    assert christmas.due_on == date(2027, 1, 4)
    with time_machine.travel(date(2026, 12, 9), tick=False):
        client = verified_client(Client(), pdeo)
        assert asked.is_overdue(date.today()) and not christmas.is_overdue(date.today())
        detail = client.get(url("cspr:detail", review)).content.decode()
        assert "1 request to the reviewer overdue" in detail
        listing = client.get(url("cspr:reviewer_requests", review)).content.decode()
        assert listing.count("Overdue</strong>") == 1
        client.post(url("cspr:reviewer_answered", review, asked.pk))
        asked.refresh_from_db()
        assert asked.answered_on == date(2026, 12, 9)
        with pytest.raises(NotAllowed, match="Already recorded as answered"):
            services.record_reviewer_answer(request=asked, user=pdeo)
        detail = client.get(url("cspr:detail", review)).content.decode()
        assert 'data-testid="reviewer-requests-overdue"' not in detail


def test_a_request_to_the_reviewer_emails_each_lead_reviewer(review, partners, reviewers):
    """The Lead Reviewer hears of the request at once, with when it is wanted by; what was
    asked (free text) stays in the service."""
    pdeo, case = partners["pdeo"], review.case
    services.appoint(review=review, user=pdeo, person=reviewers["other_lead"], role=R.LEAD_REVIEWER)
    services.remove(appointment=review.appointments.get(user=reviewers["other_lead"]), user=pdeo)
    services.record_reviewer_request(
        review=review,
        user=pdeo,
        kind="draft",
        details="The chapter on Jamie's school",
        asked_on=date(2026, 11, 24),
    )
    emails = OutboundEmail.objects.filter(kind=OutboundEmail.Kind.NOTICE)
    # The Chair and a Lead Reviewer no longer on the review are not told.
    assert [e.recipient for e in emails] == [reviewers["lead"]]
    (email,) = emails
    assert email.subject.startswith(
        f"{case.reference}: a request for a draft of the report, wanted by 8 December 2026"
    )
    child_names = [child.name for child in case.children.all()]
    assert child_names
    for body in (email.body_text, email.body_html):
        assert case.reference in body and case.pseudonym in body
        assert "24 November 2026" in body and "8 December 2026" in body
        assert f"/cases/{case.reference}/local-review/#requests-to-the-reviewer" in body
        assert "Jamie" not in body and not any(name in body for name in child_names)


def test_the_lead_reviewer_sees_what_they_are_asked_for_until_it_is_answered(
    review, partners, reviewers
):
    pdeo, lead = partners["pdeo"], reviewers["lead"]
    services.record_reviewer_request(
        review=review,
        user=pdeo,
        kind="information",
        details="The school's attendance records",
        asked_on=date(2026, 11, 24),
    )
    with time_machine.travel(date(2026, 12, 9), tick=False):
        client = verified_client(Client(), lead)
        page = client.get(reverse("home")).content.decode()
        assert "Send the information the partnership asked for" in page
        assert f"{review.case.reference} – {review.case.pseudonym}" in page
        # Wanted by 8 December: overdue on the 9th.
        waiting = page.split('data-testid="waiting-list"')[1].split("</ul>")[0]
        assert "Overdue" in waiting and "8 December 2026" in waiting
        assert f"{url('cspr:detail', review)}#requests-to-the-reviewer" in waiting
        # The review's page lists it, and the overdue warning points there, not to the PDEO's
        # page the reviewer may not open.
        detail = client.get(url("cspr:detail", review)).content.decode()
        listed = detail.split('data-testid="requests-to-reviewer"')[1].split("</table>")[0]
        assert "The school&#x27;s attendance records" in listed and "Overdue" in listed
        assert 'href="#requests-to-the-reviewer"' in detail
        assert url("cspr:reviewer_requests", review) not in detail
        # Another Lead Reviewer, not on this review, is asked for nothing.
        other = verified_client(Client(), reviewers["other_lead"]).get(reverse("home"))
        assert "the partnership asked for" not in other.content.decode()
        # The same queries however many requests wait (a list with a query-count guard).
        home.waiting_for(lead)  # the working-day calendar is read once, then kept
        with CaptureQueriesContext(connection) as one:
            home.waiting_for(lead)
        for n in range(3):
            services.record_reviewer_request(
                review=review, user=pdeo, kind="draft", details=f"D{n}", asked_on=date.today()
            )
        with CaptureQueriesContext(connection) as four:
            items = home.waiting_for(lead).items
        assert sum("the partnership asked for" in owed.text for owed in items) == 4
        assert len(one) == len(four)
        # Answered: gone from the home page and the review's page.
        for request in review.reviewer_requests.all():
            services.record_reviewer_answer(request=request, user=pdeo)
        assert "the partnership asked for" not in client.get(reverse("home")).content.decode()
        detail = client.get(url("cspr:detail", review)).content.decode()
        assert 'data-testid="requests-to-reviewer"' not in detail


def test_a_case_review_panel_member_is_told_a_request_is_overdue_but_not_what_it_asks(
    review, partners, reviewers
):
    pdeo = partners["pdeo"]
    services.appoint(
        review=review, user=pdeo, person=reviewers["hospital_member"], role=R.CRP_MEMBER
    )
    services.record_reviewer_request(
        review=review,
        user=pdeo,
        kind="information",
        details="The school's attendance records",
        asked_on=date(2026, 11, 24),
    )
    with time_machine.travel(date(2026, 12, 9), tick=False):
        member = verified_client(Client(), reviewers["hospital_member"])
        detail = member.get(url("cspr:detail", review)).content.decode()
        assert "1 request to the reviewer overdue." in detail
        assert "attendance records" not in detail
        assert "See the requests" not in detail


def test_a_lead_reviewer_who_declares_a_conflict_owes_none_of_the_reviews_clocks(review, reviewers):
    """The review's clocks reach "Waiting for you" through the case gate once, in the reviews
    the person leads (`reviews_led_by`): a conflict of interest declared on the case takes
    them out, on a page that only reads and off one."""
    from safeguarding.accounts.models import User
    from safeguarding.cases import services as case_services
    from safeguarding.page_memo import one_page

    def owed(person):
        reference = review.case.reference
        return [o.text for o in home.waiting_for(person).items if o.case.startswith(reference)]

    lead = reviewers["lead"]
    assert owed(lead)  # the review's 6-month clock (D8)
    case_services.declare_conflict(case=review.case, user=lead, nature="Knows the family")
    assert owed(User.objects.get(pk=lead.pk)) == []
    with one_page(read_only=True):
        assert owed(User.objects.get(pk=lead.pk)) == []
