"""The decision opens the clocks: D7 and D8 from the day the third partner signs off, the case
moved to "local review" with no other step; other learning or no further action takes the case
out of the review stages; a review started without a rapid review carries its own date."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from cspr import services
from cspr.models import LocalReview, NoLocalReview
from safeguarding.cases.models import Case
from safeguarding.deadlines.calendar import WorkingCalendar
from safeguarding.deadlines.models import Deadline
from safeguarding.deadlines.rules import Kind, rule_for
from safeguarding.outbox.models import OutboundEmail
from safeguarding.workflow import NotAllowed
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db


def clock(review, kind):
    return Deadline.objects.get(kind=kind, object_id=review.pk, case_id=review.case_id)


def test_the_third_sign_off_opens_d7_and_d8_and_moves_the_case(signed_off, partners):
    # The meeting decided on 23 November; the third partner signs on 26 November.
    rapid = signed_off(on=date(2026, 11, 26))
    review = LocalReview.objects.get(case=rapid.case)
    assert review.rapid_review == rapid
    assert review.decided_on == date(2026, 11, 26)  # the sign-off, not the meeting
    assert review.status == LocalReview.Status.TO_COMMISSION
    assert review.kloe_list() == ["How was information shared?", "Was the child's voice heard?"]
    d7 = clock(review, Kind.NOTIFY_LCSPR_DECISION)
    d8 = clock(review, Kind.LCSPR_PUBLISHED)
    assert (d7.anchor_date, d7.due_date, d7.status) == (
        date(2026, 11, 26),
        date(2026, 12, 3),
        "open",
    )
    assert (d8.anchor_date, d8.due_date) == (date(2026, 11, 26), date(2027, 5, 26))
    rapid.case.refresh_from_db()
    assert rapid.case.stage == Case.Stage.LOCAL_REVIEW


def test_two_sign_offs_open_nothing(notified_case, partners):
    from rapid_reviews import services as rapid_reviews

    from .conftest import decide

    review = rapid_reviews.open_rapid_review(case=notified_case, user=partners["pdeo"])
    decide(review, partners["pdeo"])
    rapid_reviews.sign_off(review=review, user=partners["police_signer"])
    rapid_reviews.sign_off(review=review, user=partners["la_signer"])
    assert not LocalReview.objects.exists()
    assert not Deadline.objects.filter(kind=Kind.LCSPR_PUBLISHED).exists()


@pytest.mark.parametrize(
    ("decided", "d8_due"),
    [
        (date(2026, 8, 31), date(2027, 2, 28)),  # no 31 February: its last day
        (date(2027, 8, 31), date(2028, 2, 29)),  # a leap year
        (date(2027, 8, 29), date(2028, 2, 29)),
        (date(2027, 8, 30), date(2028, 2, 29)),
        (date(2026, 3, 31), date(2026, 9, 30)),
        (date(2026, 7, 15), date(2027, 1, 15)),  # across the year
    ],
)
def test_d8_is_six_calendar_months_the_month_end_kept(decided, d8_due):
    assert rule_for(Kind.LCSPR_PUBLISHED).due_date(decided, WorkingCalendar()) == d8_due


def test_d7_is_five_working_days_over_christmas():
    calendar = WorkingCalendar()
    # Decided on Wednesday 23 December 2026: 24th, 29th, 30th, 31st, 4 January (25, 28
    # December and 1 January are bank holidays, 26 and 27 a weekend).
    assert rule_for(Kind.NOTIFY_LCSPR_DECISION).due_date(date(2026, 12, 23), calendar) == date(
        2027, 1, 4
    )


def test_started_without_a_rapid_review_carries_its_own_date(partners, today):
    pdeo = partners["pdeo"]
    case = CaseFactory(user=pdeo)
    with pytest.raises(ValidationError) as refused:
        services.start_local_review(
            case=case, user=pdeo, decided_on=date(2026, 11, 25), decided_by="The Executive"
        )
    assert "today or in the past" in str(refused.value)
    with pytest.raises(ValidationError, match="who decided"):
        services.start_local_review(case=case, user=pdeo, decided_on=today, decided_by="  ")
    assert not LocalReview.objects.exists()
    review = services.start_local_review(
        case=case,
        user=pdeo,
        decided_on=date(2026, 8, 31),
        decided_by="The three safeguarding partners at the Executive Group",
        reasons="Learning about neglect",
    )
    assert clock(review, Kind.LCSPR_PUBLISHED).due_date == date(2027, 2, 28)
    # Both clocks are missed already (the decision was recorded late); still there to be met.
    assert clock(review, Kind.NOTIFY_LCSPR_DECISION).status == Deadline.Status.MISSED
    case.refresh_from_db()
    assert case.stage == Case.Stage.LOCAL_REVIEW
    with pytest.raises(NotAllowed, match="already has a local review"):
        services.start_local_review(case=case, user=pdeo, decided_on=today, decided_by="X")


def test_a_decision_at_the_rapid_review_is_not_started_by_hand(notified_case, partners, today):
    from rapid_reviews import services as rapid_reviews

    from .conftest import decide

    review = rapid_reviews.open_rapid_review(case=notified_case, user=partners["pdeo"])
    decide(review, partners["pdeo"])
    with pytest.raises(NotAllowed, match="three partners have signed it off"):
        services.start_local_review(
            case=notified_case, user=partners["pdeo"], decided_on=today, decided_by="X"
        )


@pytest.mark.parametrize(
    ("decision", "extra"),
    [
        ("no_further_action", {}),
        ("other_learning", {"other_learning_activity": "single_agency"}),
    ],
)
def test_no_local_review_takes_the_case_out_with_its_reasons(signed_off, partners, decision, extra):
    rapid = signed_off(decision=decision, **extra)
    case = rapid.case
    case.refresh_from_db()
    assert case.status == Case.Status.CLOSED
    assert case.stage == Case.Stage.RAPID_REVIEW
    record = NoLocalReview.objects.get(case=case)
    assert record.reasons == "Learning about working together"
    assert record.decision == decision
    assert not LocalReview.objects.exists()
    assert not Deadline.objects.filter(
        kind__in=[Kind.NOTIFY_LCSPR_DECISION, Kind.LCSPR_PUBLISHED]
    ).exists()


def test_agencies_asked_for_other_learning_are_told(signed_off, partners):
    rapid = signed_off(decision="other_learning", other_learning_activity="single_agency")
    record = NoLocalReview.objects.get(case=rapid.case)
    with pytest.raises(ValidationError, match="at least one agency"):
        services.tell_agencies(record=record, user=partners["pdeo"], agencies=[], what="x")
    services.tell_agencies(
        record=record,
        user=partners["pdeo"],
        agencies=[partners["hospital"]],
        what="A single-agency review of discharge planning",
    )
    (asked,) = record.asked.all()
    assert asked.agency == partners["hospital"]
    (email,) = OutboundEmail.objects.filter(subject__contains="learning asked")
    assert email.recipient == partners["hospital_contributor"]
    assert "single-agency review of discharge planning" in email.body_text
    assert "Casey" not in email.body_text  # reference and pseudonym only
