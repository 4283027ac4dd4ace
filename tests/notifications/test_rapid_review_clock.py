"""D5, the rapid review's 15 working days, runs from the decision to notify: nobody has to
press "Start the rapid review" for it to be chased. It follows its anchor, and a notification
that says no rapid review follows (a care leaver's death) has none."""

from datetime import date

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from notifications import services
from rapid_reviews.models import RapidReview
from safeguarding.cases.models import YesNoUnknown
from safeguarding.deadlines.models import Deadline
from safeguarding.deadlines.rules import Kind
from safeguarding.deadlines.selectors import whats_due

from ..helpers import notify, refer, verified_client

pytestmark = pytest.mark.django_db
AWARE = date(2026, 11, 16)


def d5(case):
    return Deadline.objects.filter(case=case, kind=Kind.RAPID_REVIEW).first()


def screen(pdeo, referral, la_aware_on=date(2026, 11, 16)):
    return services.screen_referral(
        referral=referral,
        user=pdeo,
        decision="notify",
        reason="Meets the definition.",
        la_aware_on=la_aware_on,
    )


def test_d5_is_open_and_on_whats_due_from_the_decision_to_notify(partners, today):
    pdeo = partners["pdeo"]
    referral = refer(pdeo, partners["hospital"], child_name="Casey", received_on=date(2026, 11, 16))
    assert d5(referral.case) is None  # a referral not yet screened owes nothing
    screen(pdeo, referral)
    case = referral.case
    clock = d5(case)
    assert not RapidReview.objects.filter(case=case).exists()  # nobody pressed "start"
    assert clock.status == Deadline.Status.OPEN
    assert (clock.anchor_date, clock.due_date) == (date(2026, 11, 16), date(2026, 12, 7))
    assert clock.content_object == case.notification
    assert clock.pk in [d.pk for d in whats_due(pdeo)]
    html = verified_client(Client(), pdeo).get(reverse("whats_due")).content.decode()
    assert "Send the rapid review to the national Panel" in html
    assert case.reference in html


def test_a_care_leavers_death_opens_no_rapid_review_clock(partners, today):
    pdeo = partners["pdeo"]
    referral = refer(
        pdeo,
        partners["la"],
        child_name="Jordan",
        nature="care_leaver_death",
        child_age_years=19,
        received_on=date(2026, 11, 16),
    )
    screen(pdeo, referral)
    case = referral.case
    assert case.notification.rapid_review_follows == YesNoUnknown.NO
    assert d5(case) is None
    assert Deadline.objects.filter(case=case, kind=Kind.NOTIFY_CARE_LEAVER_DEATH).exists()
    assert not [d for d in whats_due(pdeo) if d.kind == Kind.RAPID_REVIEW]


def test_correcting_the_awareness_date_recomputes_d5(partners, today):
    case = notify(
        partners["pdeo"],
        partners["hospital"],
        child_name="Casey",
        submitted_on=None,
        received_on=AWARE,
    )
    notification = case.notification
    services.correct_awareness_date(
        notification=notification,
        user=partners["pdeo"],
        expected_version=notification.version,
        la_aware_on=date(2026, 11, 9),
    )
    clock = d5(case)
    assert (clock.anchor_date, clock.due_date) == (date(2026, 11, 9), date(2026, 11, 30))


def record(notification, user, **changes):
    notification.refresh_from_db()
    fields = {
        "submitted_on": date(2026, 11, 17),
        "national_reference": "NP-1",
        "notifier_name": "Pat",
        "rapid_review_follows": YesNoUnknown.YES,
        **changes,
    }
    return services.record_notification(
        notification=notification, user=user, expected_version=notification.version, **fields
    )


def test_no_rapid_review_follows_cancels_d5_and_yes_opens_it_again(partners, today):
    pdeo = partners["pdeo"]
    case = notify(
        pdeo, partners["hospital"], child_name="Casey", submitted_on=None, received_on=AWARE
    )
    record(case.notification, pdeo, rapid_review_follows=YesNoUnknown.NO)
    assert d5(case).status == Deadline.Status.CANCELLED
    assert not [d for d in whats_due(pdeo) if d.kind == Kind.RAPID_REVIEW]
    record(case.notification, pdeo, rapid_review_follows=YesNoUnknown.UNKNOWN)
    assert d5(case).status == Deadline.Status.OPEN  # not known: still chased


def test_anchored_on_the_notification_d5_waits_for_it_and_follows_its_date(
    partners, today, settings
):
    settings.DEADLINE_RULES = {"D5": {"anchor": "notification_submitted"}}
    pdeo = partners["pdeo"]
    case = notify(
        pdeo, partners["hospital"], child_name="Casey", submitted_on=None, received_on=AWARE
    )
    assert d5(case) is None
    record(case.notification, pdeo, submitted_on=date(2026, 11, 18))
    assert (d5(case).anchor_date, d5(case).due_date) == (date(2026, 11, 18), date(2026, 12, 9))
    record(case.notification, pdeo, submitted_on=date(2026, 11, 17))  # a corrected date
    assert (d5(case).anchor_date, d5(case).due_date) == (date(2026, 11, 17), date(2026, 12, 8))


def test_changing_the_anchor_setting_recomputes_d5_with_the_command(partners, today, settings):
    pdeo = partners["pdeo"]
    case = notify(
        pdeo, partners["hospital"], child_name="Casey", submitted_on=None, received_on=AWARE
    )
    record(case.notification, pdeo, submitted_on=date(2026, 11, 19))
    assert d5(case).anchor_date == date(2026, 11, 16)
    settings.DEADLINE_RULES = {"D5": {"anchor": "notification_submitted"}}
    call_command("recompute_clocks", stdout=open("/dev/null", "w"))
    clock = d5(case)
    assert (clock.anchor_date, clock.due_date) == (date(2026, 11, 19), date(2026, 12, 10))
    assert "the notification was submitted" in clock.rule


def test_starting_the_review_is_a_step_and_sending_meets_d5(partners, today):
    from rapid_reviews import services as review_services

    pdeo = partners["pdeo"]
    case = notify(
        pdeo, partners["hospital"], child_name="Casey", submitted_on=None, received_on=AWARE
    )
    before = d5(case)
    review = review_services.open_rapid_review(case=case, user=pdeo)
    after = d5(case)
    assert (after.pk, after.due_date, after.status) == (before.pk, before.due_date, "open")
    assert review.status == RapidReview.Status.IN_PROGRESS


def test_no_review_can_start_where_none_follows(partners, today):
    from django.core.exceptions import ValidationError

    from rapid_reviews import services as review_services

    pdeo = partners["pdeo"]
    case = notify(
        pdeo, partners["hospital"], child_name="Casey", submitted_on=None, received_on=AWARE
    )
    record(case.notification, pdeo, rapid_review_follows=YesNoUnknown.NO)
    with pytest.raises(ValidationError, match="no rapid review follows"):
        review_services.open_rapid_review(case=case, user=pdeo)
