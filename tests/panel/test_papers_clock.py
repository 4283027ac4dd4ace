"""D16: papers to members 5 working days before a meeting (configurable), or the day the
meeting is called when that is sooner; a clock of the meeting's, with no case."""

from datetime import date, time

import pytest

from panel import selectors, services
from safeguarding.deadlines.models import Deadline


def call(panel, day):
    return services.call_extraordinary_meeting(
        user=panel["pdeo"], day=day, start_time=time(10), end_time=time(12), place="Room 1"
    )


def d16(meeting):
    return selectors.papers_deadline(meeting)


@pytest.mark.parametrize(
    ("meeting_on", "papers_due"),
    [
        # Counting back from Wednesday 6 January 2027: Tue 5, Mon 4, (New Year's Day), Thu 31,
        # Wed 30, Tue 29 December (Monday 28 is Boxing Day's substitute, Friday 25 Christmas).
        (date(2027, 1, 6), date(2026, 12, 29)),
        # From Thursday 1 April 2027: Wed 31, Tue 30, (Easter Monday 29), (Good Friday 26),
        # Thu 25, Wed 24, Tue 23 March.
        (date(2027, 4, 1), date(2027, 3, 23)),
        # An ordinary week: Monday 14 December 2026 -> Monday 7 December.
        (date(2026, 12, 14), date(2026, 12, 7)),
    ],
)
def test_papers_are_due_five_working_days_before_across_bank_holidays(
    panel, meeting_on, papers_due
):
    clock = d16(call(panel, meeting_on))
    assert clock.due_date == papers_due
    assert clock.case_id is None and clock.kind == "meeting_papers"
    assert clock.rule.startswith("D16: 5 working days before")


def test_an_extraordinary_meeting_called_two_days_ahead_has_its_papers_due_today(panel, today):
    meeting = call(panel, date(2026, 11, 26))  # called Tuesday 24th for Thursday 26th
    assert d16(meeting).due_date == today


def test_the_days_before_are_configurable(panel, settings):
    settings.DEADLINE_RULES = {"D16": {"limit": 3}}
    assert d16(call(panel, date(2026, 12, 14))).due_date == date(2026, 12, 9)


def test_moving_recomputes_sending_meets_and_cancelling_cancels(panel, today):
    meeting = call(panel, date(2026, 12, 14))
    services.move_meeting(
        user=panel["pdeo"],
        meeting=meeting,
        expected_version=meeting.version,
        day=date(2027, 1, 6),
        start_time=time(10),
        end_time=time(12),
        place="Room 1",
    )
    assert d16(meeting).due_date == date(2026, 12, 29)
    services.send_papers(user=panel["pdeo"], meeting=meeting)
    clock = d16(meeting)
    assert (clock.status, clock.met_on) == ("met", today)
    other = call(panel, date(2026, 12, 10))
    services.cancel_meeting(user=panel["pdeo"], meeting=other, reason="No items")
    assert d16(other).status == "cancelled"


def test_the_clock_is_seen_by_the_partnership_team_not_by_members(panel):
    meeting = call(panel, date(2026, 12, 14))
    clock = d16(meeting)
    assert Deadline.objects.visible_to(panel["pdeo"]).filter(pk=clock.pk).exists()
    member = panel["members"]["police"].user
    assert not Deadline.objects.visible_to(member).filter(pk=clock.pk).exists()
