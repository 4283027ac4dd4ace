"""Deadlines as data: each rule of D1–D4 gives the right date, a corrected anchor recomputes
it, recording the event closes it met or missed."""

from datetime import date

import pytest
import time_machine

from safeguarding.deadlines import services
from safeguarding.deadlines.models import Deadline
from safeguarding.deadlines.rules import Kind, Unit, rule_for

from ..factories import CaseFactory

pytestmark = pytest.mark.django_db
D = date


@pytest.fixture
def case():
    return CaseFactory()


@pytest.mark.parametrize(
    "kind, anchor, expected",
    [
        (Kind.NOTIFY_NATIONAL_PANEL, D(2026, 12, 21), D(2026, 12, 30)),  # over Christmas
        (Kind.TELL_PARTNERS, D(2026, 12, 22), D(2026, 12, 31)),
        (Kind.NOTIFY_LAC_DEATH, D(2027, 3, 24), D(2027, 4, 2)),  # over Easter 2027
        (Kind.NOTIFY_CARE_LEAVER_DEATH, D(2026, 8, 27), D(2026, 9, 4)),  # August holiday
        (Kind.NOTIFY_NATIONAL_PANEL, D(2026, 11, 28), D(2026, 12, 4)),  # a Saturday anchor
        (Kind.RAPID_REVIEW, D(2026, 12, 14), D(2027, 1, 7)),
    ],
)
def test_rule_gives_the_due_date(case, kind, anchor, expected):
    deadline = services.open_deadline(kind=kind, obj=case, case=case, anchor_date=anchor)
    assert deadline.due_date == expected
    assert deadline.anchor_date == anchor
    assert deadline.limit == rule_for(kind).limit
    assert deadline.unit == Unit.WORKING_DAYS
    assert deadline.rule.startswith(rule_for(kind).code + ":")


def test_six_calendar_months_for_the_local_review(case):
    deadline = services.open_deadline(
        kind=Kind.LCSPR_PUBLISHED, obj=case, case=case, anchor_date=D(2026, 8, 31)
    )
    assert deadline.due_date == D(2027, 2, 28)  # no 31 February


def test_correcting_the_anchor_recomputes(case):
    with time_machine.travel(D(2026, 11, 2)):
        deadline = services.open_deadline(
            kind=Kind.NOTIFY_NATIONAL_PANEL, obj=case, case=case, anchor_date=D(2026, 11, 2)
        )
        assert deadline.due_date == D(2026, 11, 9)
        services.recompute_deadline(
            kind=Kind.NOTIFY_NATIONAL_PANEL, obj=case, anchor_date=D(2026, 10, 30)
        )
    deadline.refresh_from_db()
    assert deadline.due_date == D(2026, 11, 6)
    assert deadline.anchor_date == D(2026, 10, 30)
    assert Deadline.objects.count() == 1  # recomputed, not duplicated


def test_recording_the_event_in_time_meets_it(case):
    with time_machine.travel(D(2026, 11, 3)):
        services.open_deadline(
            kind=Kind.NOTIFY_NATIONAL_PANEL, obj=case, case=case, anchor_date=D(2026, 11, 2)
        )
        deadline = services.record_event(
            kind=Kind.NOTIFY_NATIONAL_PANEL, obj=case, on=D(2026, 11, 9)
        )
    assert deadline.status == Deadline.Status.MET
    assert deadline.met_on == D(2026, 11, 9)


def test_recording_the_event_late_misses_it(case):
    with time_machine.travel(D(2026, 11, 3)):
        services.open_deadline(
            kind=Kind.NOTIFY_NATIONAL_PANEL, obj=case, case=case, anchor_date=D(2026, 11, 2)
        )
    with time_machine.travel(D(2026, 11, 12)):
        deadline = services.record_event(
            kind=Kind.NOTIFY_NATIONAL_PANEL, obj=case, on=D(2026, 11, 10)
        )
    assert deadline.status == Deadline.Status.MISSED
    assert deadline.met_on == D(2026, 11, 10)


def test_a_corrected_anchor_can_turn_missed_into_met(case):
    with time_machine.travel(D(2026, 11, 20)):
        services.open_deadline(
            kind=Kind.NOTIFY_NATIONAL_PANEL, obj=case, case=case, anchor_date=D(2026, 11, 2)
        )
        services.record_event(kind=Kind.NOTIFY_NATIONAL_PANEL, obj=case, on=D(2026, 11, 12))
        assert services.deadline_for(kind=Kind.NOTIFY_NATIONAL_PANEL, obj=case).status == "missed"
        services.recompute_deadline(
            kind=Kind.NOTIFY_NATIONAL_PANEL, obj=case, anchor_date=D(2026, 11, 6)
        )
    deadline = services.deadline_for(kind=Kind.NOTIFY_NATIONAL_PANEL, obj=case)
    assert deadline.due_date == D(2026, 11, 13)
    assert deadline.status == Deadline.Status.MET


def test_an_open_deadline_whose_date_passed_is_missed(case):
    with time_machine.travel(D(2026, 11, 2)):
        services.open_deadline(
            kind=Kind.TELL_PARTNERS, obj=case, case=case, anchor_date=D(2026, 11, 2)
        )
    assert services.mark_missed(today=D(2026, 11, 9)) == 0  # due that day: not yet missed
    assert services.mark_missed(today=D(2026, 11, 10)) == 1
    assert Deadline.objects.get().status == Deadline.Status.MISSED


def test_cancelled_deadline_stays_cancelled(case):
    services.open_deadline(
        kind=Kind.NOTIFY_LAC_DEATH, obj=case, case=case, anchor_date=D(2026, 11, 2)
    )
    services.cancel_deadline(kind=Kind.NOTIFY_LAC_DEATH, obj=case)
    deadline = services.record_event(kind=Kind.NOTIFY_LAC_DEATH, obj=case, on=D(2026, 11, 3))
    assert deadline.status == Deadline.Status.CANCELLED


def test_configurable_rule_takes_the_setting(case, settings):
    settings.DEADLINE_RULES = {"D13": {"limit": 10}}
    assert rule_for(Kind.AGENCY_RESPONSE).limit == 10
    deadline = services.open_deadline(
        kind=Kind.AGENCY_RESPONSE, obj=case, case=case, anchor_date=D(2026, 11, 2)
    )
    assert deadline.due_date == D(2026, 11, 16)
    assert "10 working days" in deadline.rule


def test_statutory_rule_cannot_be_changed_in_settings(settings):
    settings.DEADLINE_RULES = {"D1": {"limit": 10}}
    with pytest.raises(ValueError, match="fixed by law"):
        rule_for(Kind.NOTIFY_NATIONAL_PANEL)


def test_each_deadline_keeps_the_rule_that_made_it(case, settings):
    deadline = services.open_deadline(
        kind=Kind.AGENCY_RESPONSE, obj=case, case=case, anchor_date=D(2026, 11, 2)
    )
    settings.DEADLINE_RULES = {"D13": {"limit": 3}}
    deadline.refresh_from_db()
    assert deadline.limit == 8 and "8 working days" in deadline.rule
