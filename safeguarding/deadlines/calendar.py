"""The working-day calendar: Monday to Friday, minus bank holidays in England (substitute days
included, from the `holidays` package) and the partnership's own closure days (admin).

Day 0 is the anchor: `add_working_days(d, n)` is the nth working day after d, whatever d is
(a weekend or a bank holiday anchor counts from the next working day).
"""

from datetime import date, timedelta
from functools import lru_cache

import holidays
from django.db import DatabaseError

from .models import ClosureDay


@lru_cache(maxsize=64)
def _bank_holidays(year):
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year).keys())


class WorkingCalendar:
    """Working days with a fixed set of closure days. Build one per request or per batch (see
    `current_calendar`) so computing many deadlines costs one query, not one per deadline."""

    def __init__(self, closure_days=()):
        self.closure_days = frozenset(closure_days)

    def is_working_day(self, day):
        return (
            day.weekday() < 5
            and day not in _bank_holidays(day.year)
            and day not in self.closure_days
        )

    def add_working_days(self, day, n):
        if n < 0:
            return self.subtract_working_days(day, -n)
        current = day
        remaining = n
        while remaining:
            current += timedelta(days=1)
            if self.is_working_day(current):
                remaining -= 1
        return current

    def subtract_working_days(self, day, n):
        if n < 0:
            return self.add_working_days(day, -n)
        current = day
        remaining = n
        while remaining:
            current -= timedelta(days=1)
            if self.is_working_day(current):
                remaining -= 1
        return current

    def working_days_between(self, a, b):
        """Working days after a, up to and including b; negative when b is before a."""
        if b == a:
            return 0
        if b < a:
            return -self.working_days_between(b, a)
        count = 0
        current = a
        while current < b:
            current += timedelta(days=1)
            if self.is_working_day(current):
                count += 1
        return count


def closure_days():
    """The partnership's closure days, from the database (none where there is no database)."""
    try:
        return frozenset(ClosureDay.objects.values_list("date", flat=True))
    except (DatabaseError, RuntimeError):
        # No database here (a pure unit test, or before migrate): bank holidays only.
        return frozenset()


def current_calendar():
    return WorkingCalendar(closure_days())


def is_working_day(day: date) -> bool:
    return current_calendar().is_working_day(day)


def add_working_days(day: date, n: int) -> date:
    return current_calendar().add_working_days(day, n)


def subtract_working_days(day: date, n: int) -> date:
    return current_calendar().subtract_working_days(day, n)


def working_days_between(a: date, b: date) -> int:
    return current_calendar().working_days_between(a, b)
