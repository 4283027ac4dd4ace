"""The working-day calendar: Monday to Friday, minus bank holidays in England (substitute days
included, from the `holidays` package) and the partnership's own closure days (admin).

Day 0 is the anchor: `add_working_days(d, n)` is the nth working day after d, whatever d is
(a weekend or a bank holiday anchor counts from the next working day).
"""

import bisect
import threading
from datetime import date, timedelta
from functools import lru_cache

import holidays
from django.db import DatabaseError

from safeguarding.page_memo import for_this_page

from .models import ClosureDay


@lru_cache(maxsize=64)
def bank_holidays(year):
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year).keys())


class WorkingCalendar:
    """Working days with a fixed set of closure days. `current_calendar` gives the one for the
    closure days as they are now, so computing many deadlines costs one query, not one per
    deadline.

    Arithmetic is by bisection over a sorted list of the working days of whole years, built
    once per calendar for the years it is asked about: a page of 500 clocks, or a chase over
    100,000, costs a few thousand day checks, not one per day between each pair of dates."""

    def __init__(self, closure_days=()):
        self.closure_days = frozenset(closure_days)
        self._first_year = None
        self._last_year = None
        self._days = []
        self._lock = threading.Lock()

    def is_working_day(self, day):
        return (
            day.weekday() < 5
            and day not in bank_holidays(day.year)
            and day not in self.closure_days
        )

    def _year_days(self, year):
        day, end = date(year, 1, 1), date(year, 12, 31)
        days = []
        while day <= end:
            if self.is_working_day(day):
                days.append(day)
            day += timedelta(days=1)
        return days

    def _cover(self, first, last):
        """The sorted working days of (at least) the years first.year to last.year. A list is
        never changed once made (a wider one replaces it), so a calendar shared between threads
        (`current_calendar` keeps one per process) answers each question from one list."""
        with self._lock:
            first_year, last_year = first.year, last.year
            if self._first_year is None:
                self._first_year, self._last_year = first_year, first_year
                self._days = self._year_days(first_year)
            days = self._days
            while first_year < self._first_year:
                self._first_year -= 1
                days = self._year_days(self._first_year) + days
            while last_year > self._last_year:
                self._last_year += 1
                days = days + self._year_days(self._last_year)
            self._days = days
            return days

    def add_working_days(self, day, n):
        """The nth working day after `day` (day 0 is `day` itself, whatever it is)."""
        if n < 0:
            return self.subtract_working_days(day, -n)
        if n == 0:
            return day
        # n working days span at most about 1.6n calendar days plus holiday runs: cover enough.
        days = self._cover(day, day + timedelta(days=2 * n + 30))
        return days[bisect.bisect_right(days, day) + n - 1]

    def subtract_working_days(self, day, n):
        if n < 0:
            return self.add_working_days(day, -n)
        if n == 0:
            return day
        days = self._cover(day - timedelta(days=2 * n + 30), day)
        return days[bisect.bisect_left(days, day) - n]

    def working_days_between(self, a, b):
        """Working days after a, up to and including b; negative when b is before a."""
        if b == a:
            return 0
        if b < a:
            return -self.working_days_between(b, a)
        days = self._cover(a, b)
        return bisect.bisect_right(days, b) - bisect.bisect_right(days, a)


def closure_days():
    """The partnership's closure days, from the database (none where there is no database)."""
    try:
        return frozenset(ClosureDay.objects.values_list("date", flat=True))
    except (DatabaseError, RuntimeError):
        # No database here (a pure unit test, or before migrate): bank holidays only.
        return frozenset()


@lru_cache(maxsize=8)
def _calendar_for(closure_days):
    return WorkingCalendar(closure_days)


def current_calendar():
    """The calendar with the closure days as they are now (one query; on a page that only
    reads, one for the whole page: a home page asked four times). The calendar for one set of
    closure days is kept for the process, so the working days of a year are worked out once
    per process, not once per calendar. A closure day added or removed makes a new set, so a
    new one; a page that changes anything, and the worker, read the days on every call."""
    return _calendar_for(for_this_page("closure_days", closure_days))


def is_working_day(day: date) -> bool:
    return current_calendar().is_working_day(day)


def add_working_days(day: date, n: int) -> date:
    return current_calendar().add_working_days(day, n)


def subtract_working_days(day: date, n: int) -> date:
    return current_calendar().subtract_working_days(day, n)


def working_days_between(a: date, b: date) -> int:
    return current_calendar().working_days_between(a, b)
