"""Referral -> screening -> notification, with the D1–D4 clocks and the integrity rules."""

from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError

from notifications import services
from notifications.models import Notification, Referral
from safeguarding.accounts.models import Agency
from safeguarding.cases.models import Case
from safeguarding.cases.services import ConcurrentEdit, update_case_details
from safeguarding.deadlines.models import Deadline
from safeguarding.deadlines.rules import Kind

pytestmark = pytest.mark.django_db
D = date
TODAY = D(2026, 11, 24)


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def agency():
    return Agency.objects.create(name="Northbridge Hospitals", kind="health_provider")


def refer(user, agency, nature=Case.Nature.SERIOUS_HARM, **kwargs):
    data = dict(
        user=user,
        referring_agency=agency,
        referrer_name="Dr Referrer",
        received_on=D(2026, 11, 16),
        what_happened="What happened.",
        why_serious="Why it is serious.",
        nature=nature,
        child_name="Jamie Doe",
        child_date_of_birth=D(2020, 5, 1),
        incident_date=D(2026, 11, 15),
    )
    data.update(kwargs)
    return services.record_referral(**data)


def clocks(notification):
    return {
        d.kind: d
        for d in Deadline.objects.filter(object_id=notification.pk).exclude(status="cancelled")
    }


def test_referral_opens_a_case_with_reference_and_pseudonym(pdeo, agency, settings):
    referral = refer(pdeo, agency)
    case = referral.case
    assert case.reference == f"{settings.PARTNERSHIP_CODE}-2026-001"
    assert case.pseudonym == "Child A"
    assert case.stage == Case.Stage.REFERRAL
    assert case.children.get().name == "Jamie Doe"
    assert refer(pdeo, agency).case.reference.endswith("-2026-002")
    assert case.team.filter(user=pdeo).exists()


def test_references_restart_each_year(pdeo, agency):
    refer(pdeo, agency)
    with time_machine.travel(D(2027, 1, 4), tick=False):
        assert refer(
            pdeo, agency, received_on=D(2027, 1, 4), incident_date=None
        ).case.reference.endswith("-2027-001")


def test_screening_to_notify_opens_d1_and_d2(pdeo, agency):
    referral = refer(pdeo, agency)
    services.screen_referral(
        referral=referral,
        user=pdeo,
        decision=Referral.Decision.NOTIFY,
        reason="Meets it.",
        la_aware_on=D(2026, 11, 16),
    )
    notification = Notification.objects.get(case=referral.case)
    found = clocks(notification)
    # D1 and D2, and D5 (the rapid review) from the same decision: no D3 or D4 for this nature.
    assert set(found) == {Kind.NOTIFY_NATIONAL_PANEL, Kind.TELL_PARTNERS, Kind.RAPID_REVIEW}
    assert found[Kind.NOTIFY_NATIONAL_PANEL].due_date == D(2026, 11, 23)
    assert found[Kind.NOTIFY_NATIONAL_PANEL].status == Deadline.Status.MISSED  # 23rd has passed
    referral.case.refresh_from_db()
    assert referral.case.stage == Case.Stage.NOTIFICATION
    assert referral.case.before_panel_on == TODAY


def test_death_of_a_looked_after_child_adds_d3(pdeo, agency):
    referral = refer(pdeo, agency, nature=Case.Nature.LAC_DEATH)
    services.screen_referral(
        referral=referral, user=pdeo, decision="notify", reason="r", la_aware_on=D(2026, 11, 20)
    )
    found = clocks(Notification.objects.get(case=referral.case))
    assert found[Kind.NOTIFY_LAC_DEATH].due_date == D(2026, 11, 27)


def test_death_of_a_care_leaver_adds_d4_and_no_automatic_rapid_review(pdeo, agency):
    referral = refer(pdeo, agency, nature=Case.Nature.CARE_LEAVER_DEATH)
    services.screen_referral(
        referral=referral, user=pdeo, decision="notify", reason="r", la_aware_on=D(2026, 11, 20)
    )
    notification = Notification.objects.get(case=referral.case)
    assert Kind.NOTIFY_CARE_LEAVER_DEATH in clocks(notification)
    assert notification.rapid_review_follows == "no"


def test_correcting_the_nature_adds_or_cancels_d3(pdeo, agency):
    referral = refer(pdeo, agency)
    services.screen_referral(
        referral=referral, user=pdeo, decision="notify", reason="r", la_aware_on=D(2026, 11, 20)
    )
    case = Case.objects.get(pk=referral.case.pk)
    notification = Notification.objects.get(case=case)
    update_case_details(
        case=case, user=pdeo, expected_version=case.version, nature=Case.Nature.LAC_DEATH
    )
    assert Kind.NOTIFY_LAC_DEATH in clocks(notification)
    case.refresh_from_db()
    update_case_details(
        case=case, user=pdeo, expected_version=case.version, nature=Case.Nature.DEATH
    )
    assert Kind.NOTIFY_LAC_DEATH not in clocks(notification)


AWARE = D(2026, 11, 20)


def notified(pdeo, agency, aware=AWARE, nature=Case.Nature.SERIOUS_HARM):
    referral = refer(pdeo, agency, nature=nature)
    services.screen_referral(
        referral=referral, user=pdeo, decision="notify", reason="r", la_aware_on=aware
    )
    return Notification.objects.get(case=referral.case)


def test_recording_the_notification_in_time_meets_the_clocks(pdeo, agency):
    notification = notified(pdeo, agency)
    services.record_notification(
        notification=notification,
        user=pdeo,
        expected_version=1,
        submitted_on=D(2026, 11, 23),
        national_reference="NP-1",
        notifier_name="A Person",
        partners_told_on=D(2026, 11, 24),
    )
    found = clocks(notification)
    assert found[Kind.NOTIFY_NATIONAL_PANEL].status == Deadline.Status.MET
    assert found[Kind.NOTIFY_NATIONAL_PANEL].met_on == D(2026, 11, 23)
    assert found[Kind.TELL_PARTNERS].status == Deadline.Status.MET


def test_a_late_notification_needs_a_reason(pdeo, agency):
    notification = notified(pdeo, agency, aware=D(2026, 11, 9))  # D1 due 16 November
    with pytest.raises(ValidationError) as error:
        services.record_notification(
            notification=notification,
            user=pdeo,
            expected_version=1,
            submitted_on=D(2026, 11, 18),
            national_reference="NP-2",
            notifier_name="A Person",
        )
    assert "late_reason" in error.value.error_dict
    notification.refresh_from_db()
    assert notification.submitted_on is None  # nothing saved half-way
    services.record_notification(
        notification=notification,
        user=pdeo,
        expected_version=1,
        submitted_on=D(2026, 11, 18),
        national_reference="NP-2",
        notifier_name="A Person",
        late_reason="Not told until the 17th.",
    )
    assert clocks(notification)[Kind.NOTIFY_NATIONAL_PANEL].status == Deadline.Status.MISSED


def test_submission_before_awareness_is_refused(pdeo, agency):
    notification = notified(pdeo, agency)
    with pytest.raises(ValidationError) as error:
        services.record_notification(
            notification=notification,
            user=pdeo,
            expected_version=1,
            submitted_on=D(2026, 11, 19),
            national_reference="NP-3",
            notifier_name="A",
        )
    assert "submitted_on" in error.value.error_dict


def test_future_dates_are_refused(pdeo, agency):
    notification = notified(pdeo, agency)
    with pytest.raises(ValidationError) as error:
        services.record_notification(
            notification=notification,
            user=pdeo,
            expected_version=1,
            submitted_on=D(2026, 11, 25),
            national_reference="NP-4",
            notifier_name="A",
        )
    assert "submitted_on" in error.value.error_dict


def test_duplicate_national_reference_is_refused(pdeo, agency):
    first, second = notified(pdeo, agency), notified(pdeo, agency)
    services.record_notification(
        notification=first,
        user=pdeo,
        expected_version=1,
        submitted_on=D(2026, 11, 23),
        national_reference="NP-DUP",
        notifier_name="A",
    )
    with pytest.raises(ValidationError) as error:
        services.record_notification(
            notification=second,
            user=pdeo,
            expected_version=1,
            submitted_on=D(2026, 11, 23),
            national_reference="NP-DUP",
            notifier_name="A",
        )
    assert "national_reference" in error.value.error_dict
    second.refresh_from_db()
    assert second.submitted_on is None
    assert clocks(second)[Kind.NOTIFY_NATIONAL_PANEL].status == Deadline.Status.OPEN


def test_child_born_after_the_incident_is_refused(pdeo, agency):
    with pytest.raises(ValidationError) as error:
        refer(pdeo, agency, child_date_of_birth=D(2026, 11, 16), incident_date=D(2026, 11, 15))
    assert "date_of_birth" in error.value.error_dict
    assert not Case.objects.exists()  # nothing saved half-way


def test_concurrent_edits_are_detected(pdeo, agency):
    notification = notified(pdeo, agency)
    services.record_notification(
        notification=notification,
        user=pdeo,
        expected_version=1,
        submitted_on=D(2026, 11, 23),
        national_reference="NP-5",
        notifier_name="First",
    )
    with pytest.raises(ConcurrentEdit):
        services.record_notification(
            notification=notification,
            user=pdeo,
            expected_version=1,
            submitted_on=D(2026, 11, 24),
            national_reference="NP-5",
            notifier_name="Second",
        )
    notification.refresh_from_db()
    assert notification.notifier_name == "First"


def test_case_details_concurrent_edit_is_detected(pdeo, agency):
    case = refer(pdeo, agency).case
    version = case.version
    update_case_details(
        case=Case.objects.get(pk=case.pk),
        user=pdeo,
        expected_version=version,
        outline="First person's outline",
    )
    with pytest.raises(ConcurrentEdit):
        update_case_details(
            case=Case.objects.get(pk=case.pk),
            user=pdeo,
            expected_version=version,
            outline="Second person's outline",
        )
    assert Case.objects.get(pk=case.pk).outline == "First person's outline"


def test_correcting_the_awareness_date_recomputes_every_clock(pdeo, agency):
    notification = notified(pdeo, agency, aware=D(2026, 11, 20))
    services.correct_awareness_date(
        notification=notification, user=pdeo, expected_version=1, la_aware_on=D(2026, 11, 13)
    )
    found = clocks(notification)
    assert found[Kind.NOTIFY_NATIONAL_PANEL].due_date == D(2026, 11, 20)
    assert found[Kind.TELL_PARTNERS].anchor_date == D(2026, 11, 13)


def test_not_accepted_closes_the_case_with_a_reason(pdeo, agency):
    referral = refer(pdeo, agency)
    with pytest.raises(ValidationError):
        services.screen_referral(
            referral=referral, user=pdeo, decision="not_accepted", reason="A complaint"
        )
    services.screen_referral(
        referral=referral,
        user=pdeo,
        decision="not_accepted",
        reason="A complaint",
        not_accepted_reason="complaint",
    )
    referral.case.refresh_from_db()
    assert referral.case.status == Case.Status.CLOSED
    assert not Deadline.objects.exists()
    with pytest.raises(services.AlreadyScreened):
        services.screen_referral(
            referral=referral, user=pdeo, decision="notify", reason="x", la_aware_on=D(2026, 11, 20)
        )
