"""Keeping it on time (D12, reg. 14, D8 at risk), approval in order, publication (D9, D10,
D11) and D8 met by publication."""

from datetime import date, timedelta

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from cspr import services
from cspr.models import Appointment, LocalReview
from safeguarding.accounts.roles import Role
from safeguarding.deadlines.calendar import WorkingCalendar
from safeguarding.deadlines.models import Deadline
from safeguarding.deadlines.rules import Kind, rule_for
from safeguarding.home import waiting_for
from tests.factories import CaseFactory, UserFactory
from tests.helpers import verified_client

pytestmark = pytest.mark.django_db
R = Appointment.Role
STEPS = {"crp": "Present: CRP", "crg": "Present: CRG"}


def clock(review, kind, obj=None):
    obj = obj or review
    return Deadline.objects.get(
        kind=kind,
        object_id=obj.pk,
        content_type=ContentType.objects.get_for_model(obj),
        case_id=review.case_id,
    )


@pytest.fixture
def review(partners, reviewers):
    """A review started by hand on 1 June 2026, commissioned."""
    pdeo = partners["pdeo"]
    with time_machine.travel(date(2026, 6, 1), tick=False):
        review = services.start_local_review(
            case=CaseFactory(user=pdeo, incident_date=date(2026, 5, 1)),
            user=pdeo,
            decided_on=date(2026, 6, 1),
            decided_by="The three safeguarding partners",
        )
        services.appoint(review=review, user=pdeo, person=reviewers["lead"], role=R.LEAD_REVIEWER)
        services.appoint(review=review, user=pdeo, person=reviewers["chair"], role=R.REVIEW_CHAIR)
    review.refresh_from_db()
    return review


def test_progress_checks_every_eight_weeks(review, partners):
    d12 = clock(review, Kind.PROGRESS_CHECK)
    assert d12.due_date == date(2026, 7, 27)  # 8 weeks from the decision
    with time_machine.travel(date(2026, 7, 20), tick=False):
        check = services.record_progress_check(
            review=review,
            user=partners["pdeo"],
            checked_on=date(2026, 7, 20),
            timeliness="On track for November",
            quality="Agency reports thorough",
        )
    d12.refresh_from_db()
    assert (d12.status, d12.met_on) == (Deadline.Status.MET, date(2026, 7, 20))
    assert clock(review, Kind.PROGRESS_CHECK, check).due_date == date(2026, 9, 14)
    with pytest.raises(ValidationError, match="note on quality"):
        services.record_progress_check(
            review=review,
            user=partners["pdeo"],
            checked_on=date(2026, 7, 21),
            timeliness="x",
            quality="",
        )


def test_requests_to_the_reviewer_and_a_delay_are_recorded(review, partners, today):
    pdeo = partners["pdeo"]
    services.record_reviewer_request(
        review=review, user=pdeo, kind="draft", details="First draft by Friday", asked_on=today
    )
    delay = services.record_delay(
        review=review,
        user=pdeo,
        expected_on=date(2027, 2, 1),
        reasons="Criminal trial listed for January",
        panel_told_on=today,
        executive_told_on=today,
    )
    assert review.reviewer_requests.count() == 1 and delay.panel_told_on == today
    # The 6-month clock stays where the law puts it.
    assert clock(review, Kind.LCSPR_PUBLISHED).due_date == date(2026, 12, 1)


def approve(review, user, step, on):
    return services.record_approval(
        review=review, user=user, step=step, approved_on=on, present=STEPS.get(step, "Exec")
    )


def test_approvals_go_in_order_and_the_executive_gives_the_last(review, partners, today):
    pdeo = partners["pdeo"]
    executive = UserFactory(roles=[Role.EXECUTIVE_MEMBER], agency=partners["la"])
    with pytest.raises(ValidationError, match="must first be agreed by the Case Review Panel"):
        approve(review, pdeo, "crg", today)
    approve(review, pdeo, "crp", date(2026, 11, 2))
    with pytest.raises(PermissionDenied):
        approve(review, pdeo, "executive", today)
    assert waiting_for(executive).total == 0
    with pytest.raises(ValidationError, match="before the previous step"):
        approve(review, pdeo, "crg", date(2026, 11, 1))
    approve(review, pdeo, "crg", date(2026, 11, 10))
    owed = waiting_for(executive)
    assert [o.case for o in owed.items] == [f"{review.case.reference} – {review.case.pseudonym}"]
    approve(review, executive, "executive", today)
    review.refresh_from_db()
    assert review.status == LocalReview.Status.APPROVED
    assert list(review.approvals.values_list("step", "recorded_by")) == [
        ("crp", pdeo.pk),
        ("crg", pdeo.pk),
        ("executive", executive.pk),
    ]
    with pytest.raises(ValidationError, match="already recorded"):
        approve(review, pdeo, "crp", today)


def test_out_of_order_approval_comes_back_as_an_error_summary(review, partners):
    client = verified_client(Client(), partners["pdeo"])
    url = reverse("cspr:approval", kwargs={"reference": review.case.reference})
    response = client.post(
        url,
        {
            "step": "crg",
            "approved_on_0": "2",
            "approved_on_1": "11",
            "approved_on_2": "2026",
            "present": "Panel",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "govuk-error-summary" in html and "must first be agreed" in html


def test_the_executive_approves_through_its_own_page(review, partners):
    executive = UserFactory(roles=[Role.EXECUTIVE_MEMBER], agency=partners["la"])
    client = verified_client(Client(), executive)
    url = reverse("cspr:final_approval", kwargs={"review_id": review.pk})
    assert client.get(url).status_code == 404  # not waiting for it yet
    approve(review, partners["pdeo"], "crp", date(2026, 11, 2))
    approve(review, partners["pdeo"], "crg", date(2026, 11, 3))
    assert review.case.reference in client.get(reverse("home")).content.decode()
    page = client.get(url)
    assert page.status_code == 200
    assert "Casey" not in page.content.decode()
    with time_machine.travel(date(2026, 11, 24), tick=False):
        done = client.post(
            url,
            {
                "approved_on_0": "24",
                "approved_on_1": "11",
                "approved_on_2": "2026",
                "present": "Executive Group",
            },
        )
    assert done.status_code == 302
    review.refresh_from_db()
    assert review.status == LocalReview.Status.APPROVED


@pytest.fixture
def approved(review, partners):
    executive = UserFactory(roles=[Role.EXECUTIVE_MEMBER], agency=partners["la"])
    approve(review, partners["pdeo"], "crp", date(2026, 11, 2))
    approve(review, partners["pdeo"], "crg", date(2026, 11, 3))
    with time_machine.travel(date(2026, 11, 4), tick=False):
        approve(review, executive, "executive", date(2026, 11, 4))
    review.refresh_from_db()
    return review


def test_d9_is_seven_working_days_before_the_planned_date():
    # Planned for Monday 4 January 2027: back over New Year and Christmas.
    assert rule_for(Kind.PRE_PUBLICATION_COPY).due_date(
        date(2027, 1, 4), WorkingCalendar()
    ) == date(2026, 12, 21)


def test_publishing_before_final_approval_is_refused(review, partners, today):
    with pytest.raises(ValidationError, match="before the Executive's final approval"):
        services.publish(
            review=review,
            user=partners["pdeo"],
            published_on=today,
            link="https://x.example",
            media_plan="",
        )


def test_publication_on_time_meets_d8_d9_and_opens_d10(approved, partners):
    pdeo = partners["pdeo"]
    with time_machine.travel(date(2026, 11, 5), tick=False):
        services.plan_publication(review=approved, user=pdeo, planned_on=date(2026, 11, 24))
        assert clock(approved, Kind.PRE_PUBLICATION_COPY).due_date == date(2026, 11, 13)
        services.record_report_sent(review=approved, user=pdeo, sent_on=date(2026, 11, 5))
    with time_machine.travel(date(2026, 11, 24), tick=False):
        services.publish(
            review=approved,
            user=pdeo,
            published_on=date(2026, 11, 24),
            link="https://www.northbridge.example/lcspr-child-a",
            media_plan="Press statement on the day",
        )
    approved.refresh_from_db()
    assert approved.status == LocalReview.Status.PUBLISHED
    assert approved.earliest_removal_on == date(2027, 11, 24)
    assert clock(approved, Kind.PRE_PUBLICATION_COPY).status == Deadline.Status.MET
    assert clock(approved, Kind.LCSPR_PUBLISHED).status == Deadline.Status.MET
    assert clock(approved, Kind.KEEP_PUBLISHED).due_date == date(2027, 11, 24)
    assert clock(approved, Kind.PROGRESS_CHECK).status == Deadline.Status.CANCELLED
    assert not services.sent_late(approved)


def test_a_publication_too_soon_after_sending_is_kept_misses_d9_and_asks_why(approved, partners):
    pdeo = partners["pdeo"]
    client = verified_client(Client(), pdeo)
    ref = approved.case.reference
    with time_machine.travel(date(2026, 11, 20), tick=False):
        services.record_report_sent(review=approved, user=pdeo, sent_on=date(2026, 11, 18))
        response = client.post(
            reverse("cspr:publish", kwargs={"reference": ref}),
            {
                "published_on_0": "20",
                "published_on_1": "11",
                "published_on_2": "2026",
                "link": "https://www.northbridge.example/lcspr",
            },
        )
    assert response.status_code == 302
    assert response.url == reverse("cspr:late_reason", kwargs={"reference": ref})
    approved.refresh_from_db()
    assert approved.status == LocalReview.Status.PUBLISHED  # kept
    d9 = clock(approved, Kind.PRE_PUBLICATION_COPY)
    assert (d9.due_date, d9.status) == (date(2026, 11, 11), Deadline.Status.MISSED)
    services.record_late_sending_reason(
        review=approved, user=pdeo, reason="The inquest date moved forward"
    )


def test_a_withheld_publication_records_its_reasons_and_d11(review, partners, today):
    delay = services.record_publication_delay(
        review=review,
        user=partners["pdeo"],
        kind="delayed",
        reasons="Criminal trial",
        decided_on=today - timedelta(days=1),
    )
    d11 = clock(review, Kind.PUBLICATION_REASONS, delay)
    assert d11.due_date == today - timedelta(days=1)
    assert "D11" in d11.rule
    services.record_delay_reasons_sent(delay=delay, user=partners["pdeo"], sent_on=today)
    d11.refresh_from_db()
    assert d11.status == Deadline.Status.MISSED and d11.met_on == today
