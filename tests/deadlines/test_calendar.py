"""Working days in England: the dates that are easy to get wrong. Plain unit tests (no
database: closure days are empty here, tested separately with a calendar that has some)."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from safeguarding.deadlines.calendar import (
    WorkingCalendar,
    add_working_days,
    is_working_day,
    subtract_working_days,
    working_days_between,
)

D = date


@pytest.mark.parametrize(
    "anchor, n, expected",
    [
        # 2020: Christmas Friday, Boxing Day Saturday -> substitute Monday 28th.
        (D(2020, 12, 23), 1, D(2020, 12, 24)),
        (D(2020, 12, 24), 1, D(2020, 12, 29)),
        (D(2020, 12, 24), 5, D(2021, 1, 5)),  # and New Year's Day on the Friday
        # 2021: Christmas Saturday, Boxing Day Sunday -> substitutes Monday 27th and Tuesday 28th.
        (D(2021, 12, 24), 1, D(2021, 12, 29)),
        (D(2021, 12, 24), 3, D(2021, 12, 31)),
        # 2022: New Year's Day on a Saturday -> substitute Monday 3 January.
        (D(2021, 12, 24), 4, D(2022, 1, 4)),
        # 2022: Christmas Sunday -> substitute Tuesday 27th (Boxing Day Monday).
        (D(2022, 12, 23), 1, D(2022, 12, 28)),
        # 2032: Christmas Saturday again.
        (D(2032, 12, 24), 1, D(2032, 12, 29)),
        # Easter: Good Friday and Easter Monday.
        (D(2026, 4, 2), 1, D(2026, 4, 7)),
        (D(2027, 3, 25), 1, D(2027, 3, 30)),
        (D(2025, 4, 17), 5, D(2025, 4, 28)),
        # Early May, late May (spring) and August bank holidays.
        (D(2026, 5, 1), 1, D(2026, 5, 5)),
        (D(2026, 5, 22), 1, D(2026, 5, 26)),
        (D(2026, 8, 28), 1, D(2026, 9, 1)),
        (D(2025, 8, 22), 5, D(2025, 9, 1)),
        # One-off bank holidays: the Platinum Jubilee (spring holiday moved) and the coronation.
        (D(2022, 6, 1), 1, D(2022, 6, 6)),
        (D(2023, 5, 5), 1, D(2023, 5, 9)),
        # An anchor on a weekend or a bank holiday counts from the next working day.
        (D(2026, 11, 28), 1, D(2026, 11, 30)),
        (D(2026, 11, 29), 5, D(2026, 12, 4)),
        (D(2026, 12, 25), 1, D(2026, 12, 29)),
        (D(2026, 4, 3), 1, D(2026, 4, 7)),
        # An ordinary fortnight: 15 working days (the rapid review clock).
        (D(2026, 11, 2), 15, D(2026, 11, 23)),
        # n = 0 is the anchor itself.
        (D(2026, 11, 28), 0, D(2026, 11, 28)),
    ],
)
def test_add_working_days(anchor, n, expected):
    assert add_working_days(anchor, n) == expected


@pytest.mark.parametrize(
    "anchor, n, expected",
    [
        (D(2026, 12, 29), 1, D(2026, 12, 24)),
        (D(2021, 1, 5), 5, D(2020, 12, 24)),
        (D(2022, 1, 4), 4, D(2021, 12, 24)),
        (D(2026, 4, 7), 1, D(2026, 4, 2)),
        (D(2026, 11, 30), 1, D(2026, 11, 27)),  # Monday back to Friday
        (D(2026, 11, 29), 1, D(2026, 11, 27)),  # from a Sunday
        # 7 working days before a publication date (D9) across Easter.
        (D(2026, 4, 10), 7, D(2026, 3, 30)),
    ],
)
def test_subtract_working_days(anchor, n, expected):
    assert subtract_working_days(anchor, n) == expected


@pytest.mark.parametrize(
    "a, b, expected",
    [
        (D(2020, 12, 24), D(2021, 1, 5), 5),
        (D(2021, 1, 5), D(2020, 12, 24), -5),
        (D(2026, 11, 27), D(2026, 11, 30), 1),  # Friday to Monday
        (D(2026, 11, 27), D(2026, 11, 28), 0),  # Friday to Saturday
        (D(2026, 11, 24), D(2026, 11, 24), 0),
        (D(2026, 12, 24), D(2026, 12, 29), 1),
        (D(2026, 12, 29), D(2026, 12, 24), -1),
    ],
)
def test_working_days_between(a, b, expected):
    assert working_days_between(a, b) == expected


@pytest.mark.parametrize(
    "day, expected",
    [
        (D(2026, 12, 28), False),  # Boxing Day substitute
        (D(2027, 12, 28), False),
        (D(2026, 12, 24), True),
        (D(2026, 11, 28), False),  # Saturday
        (D(2026, 8, 31), False),
        (D(2023, 5, 8), False),
        (D(2026, 11, 24), True),
    ],
)
def test_is_working_day(day, expected):
    assert is_working_day(day) is expected


def test_closure_days_are_not_working_days():
    calendar = WorkingCalendar({D(2026, 12, 24), D(2026, 12, 29)})
    assert calendar.add_working_days(D(2026, 12, 23), 1) == D(2026, 12, 30)
    assert calendar.subtract_working_days(D(2026, 12, 30), 1) == D(2026, 12, 23)
    assert calendar.working_days_between(D(2026, 12, 23), D(2026, 12, 30)) == 1


@pytest.mark.django_db
def test_closure_days_from_admin_are_used_by_the_module_functions():
    from safeguarding.deadlines.models import ClosureDay

    assert add_working_days(D(2026, 12, 23), 1) == D(2026, 12, 24)
    ClosureDay.objects.create(date=D(2026, 12, 24), reason="Office closed")
    assert add_working_days(D(2026, 12, 23), 1) == D(2026, 12, 29)
    assert not is_working_day(D(2026, 12, 24))


days = st.dates(min_value=D(2019, 1, 1), max_value=D(2035, 12, 31))


@given(day=days, n=st.integers(min_value=0, max_value=60))
def test_between_undoes_add(day, n):
    calendar = WorkingCalendar()
    later = calendar.add_working_days(day, n)
    assert calendar.working_days_between(day, later) == n
    assert calendar.working_days_between(later, day) == -n
    if n:
        assert calendar.is_working_day(later)
        assert later > day
        assert later - day <= timedelta(days=n * 2 + 10)


@given(day=days, n=st.integers(min_value=0, max_value=60))
def test_subtract_undoes_add_from_a_working_day(day, n):
    calendar = WorkingCalendar()
    while not calendar.is_working_day(day):
        day += timedelta(days=1)
    assert calendar.subtract_working_days(calendar.add_working_days(day, n), n) == day
