from datetime import date

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from rapid_reviews import services
from rapid_reviews.models import CriterionAnswer, RapidReview, RapidReviewPdf
from safeguarding.audit.models import StatusChange
from safeguarding.deadlines.models import Deadline
from safeguarding.deadlines.rules import Kind
from safeguarding.workflow import NotAllowed

pytestmark = pytest.mark.django_db


def clock(review, kind):
    """A clock of the review's case (D5 is the notification's, D6 the review's)."""
    return Deadline.objects.get(kind=kind, case_id=review.case_id)


def test_d5_counts_from_the_awareness_date_by_default(notified_case, partners):
    review = services.open_rapid_review(case=notified_case, user=partners["pdeo"])
    d5 = clock(review, Kind.RAPID_REVIEW)
    assert d5.anchor_date == date(2026, 11, 16)
    assert d5.due_date == date(2026, 12, 7)  # 15 working days
    notified_case.refresh_from_db()
    assert notified_case.stage == "rapid_review"


def test_d5_can_count_from_the_notification(partners, settings, today):
    from tests.helpers import notify

    settings.DEADLINE_RULES = {"D5": {"anchor": "notification_submitted"}}
    case = notify(
        partners["pdeo"],
        partners["hospital"],
        child_name="Casey Realname",
        received_on=date(2026, 11, 16),
        incident_date=date(2026, 11, 15),
        submitted_on=date(2026, 11, 19),
    )
    review = services.open_rapid_review(case=case, user=partners["pdeo"])
    d5 = clock(review, Kind.RAPID_REVIEW)
    assert d5.anchor_date == date(2026, 11, 19)
    assert d5.due_date == date(2026, 12, 10)
    assert "the notification was submitted" in d5.rule


def test_a_rapid_review_needs_a_notification_and_only_one(partners, notified_case):
    """A decision to notify, that is: the review may start before the notification is sent."""
    from tests.factories import CaseFactory

    with pytest.raises(ValidationError):
        services.open_rapid_review(case=CaseFactory(user=partners["pdeo"]), user=partners["pdeo"])
    services.open_rapid_review(case=notified_case, user=partners["pdeo"])
    with pytest.raises(ValidationError):
        services.open_rapid_review(case=notified_case, user=partners["pdeo"])


def answer_all(review, user):
    services.save_criteria(
        review=review,
        user=user,
        answers={code: ("yes", f"Because {code}") for code in CriterionAnswer.Criterion.values},
    )


def decide(review, user, decision="lcspr"):
    return services.record_decision(
        review=review,
        user=user,
        decision=decision,
        rationale="Learning about working together",
        national_review_view="no",
        decided_on=date(2026, 11, 23),
        decided_at_meeting="Chair, police, ICB, local authority",
    )


def test_the_decision_needs_every_criterion(notified_case, partners):
    pdeo = partners["pdeo"]
    review = services.open_rapid_review(case=notified_case, user=pdeo)
    with pytest.raises(NotAllowed, match="Answer every criterion"):
        decide(review, pdeo)
    answer_all(review, pdeo)
    decide(review, pdeo)
    review.refresh_from_db()
    assert review.status == RapidReview.Status.DECIDED


def test_signing_off_before_the_decision_is_refused(notified_case, partners):
    review = services.open_rapid_review(case=notified_case, user=partners["pdeo"])
    with pytest.raises(NotAllowed, match="Record the decision"):
        services.sign_off(review=review, user=partners["police_signer"])
    assert not review.sign_offs.exists()


def test_each_partner_signs_once_and_only_partners_sign(notified_case, partners):
    pdeo = partners["pdeo"]
    review = services.open_rapid_review(case=notified_case, user=pdeo)
    answer_all(review, pdeo)
    decide(review, pdeo)
    with pytest.raises(PermissionDenied):
        services.sign_off(review=review, user=partners["pdeo"])  # no sign-off permission
    from tests.factories import UserFactory

    hospital_member = UserFactory(roles=["Panel Member"], agency=partners["hospital"])
    with pytest.raises(NotAllowed, match="local authority, the police or the ICB"):
        services.sign_off(review=review, user=hospital_member)
    services.sign_off(review=review, user=partners["police_signer"])
    with pytest.raises(NotAllowed, match="already signed"):
        services.sign_off(review=review, user=partners["police_signer"])
    signed = review.sign_offs.get()
    assert (signed.partner, signed.name, signed.role) == ("police", "Dee Police", "DCI")
    with pytest.raises(NotAllowed, match="signed off this decision"):
        decide(review, pdeo, decision="no_further_action")


def test_sending_needs_all_three_and_closes_d5_and_keeps_the_pdf(notified_case, partners, today):
    pdeo = partners["pdeo"]
    review = services.open_rapid_review(case=notified_case, user=pdeo)
    answer_all(review, pdeo)
    decide(review, pdeo)
    services.sign_off(review=review, user=partners["police_signer"])
    services.sign_off(review=review, user=partners["la_signer"])
    with pytest.raises(NotAllowed, match="waiting for Integrated Care Board"):
        services.send_to_national_panel(review=review, user=pdeo, sent_on=today)
    with pytest.raises(NotAllowed, match="waiting for Integrated Care Board"):
        services.make_final(review=review, user=pdeo)
    services.sign_off(review=review, user=partners["icb_signer"])
    review.refresh_from_db()
    assert review.status == RapidReview.Status.SIGNED_OFF
    with pytest.raises(NotAllowed, match="Make the final version for sending first"):
        services.send_to_national_panel(review=review, user=pdeo, sent_on=today)
    services.make_final(review=review, user=pdeo)
    services.send_to_national_panel(review=review, user=pdeo, sent_on=today)
    review.refresh_from_db()
    assert review.status == RapidReview.Status.SENT
    d5 = clock(review, Kind.RAPID_REVIEW)
    assert d5.status == Deadline.Status.MET and d5.met_on == today
    d6 = clock(review, Kind.PANEL_REPLY)
    assert d6.anchor_date == today and d6.status == Deadline.Status.OPEN
    stored = RapidReviewPdf.objects.get(review=review, is_sent_version=True)
    assert stored.file.read().startswith(b"%PDF")
    # Sent is sent: no changes, and the stored version stays as it was.
    with pytest.raises(NotAllowed):
        services.save_section(
            review=review,
            user=pdeo,
            section="incident",
            expected_version=review.version,
            incident_and_current_situation="Changed",
        )
    with pytest.raises(NotAllowed):
        services.send_to_national_panel(review=review, user=pdeo, sent_on=today)
    assert RapidReviewPdf.objects.filter(review=review).count() == 1
    steps = list(
        StatusChange.objects.filter(object_id=str(review.pk)).values_list(
            "transition", "from_status", "to_status"
        )
    )
    assert steps == [
        ("decide", "in_progress", "decided"),
        ("complete_sign_off", "decided", "signed_off"),
        ("finalise", "signed_off", "final"),
        ("send", "final", "sent"),
    ]


def test_sending_late_misses_d5_and_the_reply_closes_d6(notified_case, partners):
    pdeo = partners["pdeo"]
    with time_machine.travel(date(2026, 11, 24), tick=False):
        review = services.open_rapid_review(case=notified_case, user=pdeo)
        answer_all(review, pdeo)
        decide(review, pdeo)
        for who in ("police_signer", "la_signer", "icb_signer"):
            services.sign_off(review=review, user=partners[who])
        services.make_final(review=review, user=pdeo)
    with time_machine.travel(date(2026, 12, 9), tick=False):
        services.send_to_national_panel(review=review, user=pdeo, sent_on=date(2026, 12, 9))
        assert clock(review, Kind.RAPID_REVIEW).status == Deadline.Status.MISSED
        with pytest.raises(ValidationError):
            services.record_reply(
                review=review, user=pdeo, received_on=date(2026, 12, 8), outcome="agrees"
            )
        services.record_reply(
            review=review,
            user=pdeo,
            received_on=date(2026, 12, 9),
            outcome="agrees",
            comments="The Panel agrees.",
        )
    assert clock(review, Kind.PANEL_REPLY).status == Deadline.Status.MET
    review.refresh_from_db()
    assert review.status == RapidReview.Status.REPLIED


def test_an_lcspr_decision_goes_on_the_list_to_commission_with_its_kloes(notified_case, partners):
    from rapid_reviews.selectors import reviews_to_commission

    pdeo = partners["pdeo"]
    review = services.open_rapid_review(case=notified_case, user=pdeo)
    services.save_section(
        review=review,
        user=pdeo,
        section="key-lines-of-enquiry",
        expected_version=review.version,
        completed=True,
        key_lines_of_enquiry="How did agencies share information?\n"
        "- Was the child's voice heard?\n",
    )
    answer_all(review, pdeo)
    assert list(reviews_to_commission(pdeo)) == []
    decide(review, pdeo)
    (listed,) = reviews_to_commission(pdeo)
    assert listed.kloe_list() == [
        "How did agencies share information?",
        "Was the child's voice heard?",
    ]
    review.refresh_from_db()
    services.save_criteria(review=review, user=pdeo, answers={})  # before sign-off: allowed
    decide(review, pdeo, decision="no_further_action")
    assert list(reviews_to_commission(pdeo)) == []
