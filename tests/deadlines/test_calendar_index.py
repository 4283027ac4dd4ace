"""The working-day calendar counts by bisection over an index of working days; here it is held
against the plain day-by-day count, worked out in the test, over random dates and closures."""

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from safeguarding.deadlines.calendar import WorkingCalendar, bank_holidays

days = st.dates(min_value=date(2015, 1, 1), max_value=date(2035, 12, 31))
CLOSURES = {date(2026, 12, 24), date(2026, 12, 31), date(2027, 4, 1)}


def working(day):
    return day.weekday() < 5 and day not in bank_holidays(day.year) and day not in CLOSURES


def add_by_hand(day, n):
    step = timedelta(days=1 if n >= 0 else -1)
    remaining = abs(n)
    while remaining:
        day += step
        if working(day):
            remaining -= 1
    return day


def between_by_hand(a, b):
    sign, (a, b) = (1, (a, b)) if b >= a else (-1, (b, a))
    count, day = 0, a
    while day < b:
        day += timedelta(days=1)
        count += working(day)
    return sign * count


@settings(max_examples=300, deadline=None)
@given(day=days, n=st.integers(min_value=-300, max_value=300))
def test_adding_working_days_matches_counting_by_hand(day, n):
    calendar = WorkingCalendar(CLOSURES)
    assert calendar.add_working_days(day, n) == add_by_hand(day, n)


@settings(max_examples=300, deadline=None)
@given(a=days, b=days)
def test_working_days_between_matches_counting_by_hand(a, b):
    assert WorkingCalendar(CLOSURES).working_days_between(a, b) == between_by_hand(a, b)


def test_one_calendar_answers_across_many_years():
    calendar = WorkingCalendar(CLOSURES)
    assert calendar.add_working_days(date(2026, 12, 23), 3) == date(2027, 1, 4)  # closures
    assert calendar.working_days_between(date(2016, 1, 1), date(2034, 1, 1)) == between_by_hand(
        date(2016, 1, 1), date(2034, 1, 1)
    )
    assert calendar.subtract_working_days(date(2027, 1, 4), 3) == date(2026, 12, 23)


def test_a_calendar_shared_between_threads_answers_each_question_from_one_list():
    """current_calendar keeps one calendar per process, and a threaded server shares it: while
    one thread widens its years, another must never bisect one list and index another."""
    import random
    from concurrent.futures import ThreadPoolExecutor

    shared = WorkingCalendar(CLOSURES)
    rng = random.Random(18)
    # Years far apart in both directions, so the calendar grows while others read it.
    questions = [
        (date(2015, 1, 1) + timedelta(days=rng.randrange(0, 7300)), rng.randrange(-200, 200))
        for _ in range(400)
    ]

    def ask(question):
        day, n = question
        return shared.add_working_days(day, n), shared.working_days_between(day, date(2026, 1, 1))

    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(ask, questions))
    assert answers == [
        (add_by_hand(day, n), between_by_hand(day, date(2026, 1, 1))) for day, n in questions
    ]


def test_the_current_calendar_is_kept_per_set_of_closure_days(db):
    from safeguarding.deadlines.calendar import current_calendar
    from safeguarding.deadlines.models import ClosureDay

    first = current_calendar()
    assert current_calendar() is first  # its working days are worked out once per process
    ClosureDay.objects.create(date=date(2026, 12, 24), reason="Office closed")
    after = current_calendar()
    assert after is not first and date(2026, 12, 24) in after.closure_days
    assert after.add_working_days(date(2026, 12, 23), 1) == date(2026, 12, 29)


def test_a_page_that_only_reads_reads_the_closure_days_once(db, django_assert_num_queries):
    """A home page asked for the calendar four times, each a query for the closure days. On a
    page that changes anything (and in the worker) each call still reads them, so a closure day
    added by that page counts at once."""
    from safeguarding.deadlines.calendar import current_calendar
    from safeguarding.deadlines.models import ClosureDay
    from safeguarding.page_memo import one_page

    with one_page(read_only=True), django_assert_num_queries(1):
        calendars = {id(current_calendar()) for _ in range(4)}
    assert len(calendars) == 1
    with one_page(read_only=False), django_assert_num_queries(4):
        for _ in range(4):
            current_calendar()
    with one_page(read_only=False):
        before = current_calendar()
        ClosureDay.objects.create(date=date(2026, 12, 24), reason="Office closed")
        assert date(2026, 12, 24) not in before.closure_days
        assert date(2026, 12, 24) in current_calendar().closure_days
