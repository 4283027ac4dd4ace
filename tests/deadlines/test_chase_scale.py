"""The chase over a partnership's years of deadlines: a bounded number of queries, however many
deadlines are open. CHASE_SCALE sets how many (CI: 100,000); the time is printed."""

import os
import time
import tracemalloc
from datetime import date, timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext

from safeguarding.accounts.roles import Role
from safeguarding.deadlines import chasing, services
from safeguarding.deadlines.models import Deadline, Reminder
from safeguarding.deadlines.rules import Kind, Unit

from ..factories import CaseFactory, UserFactory

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 24)


def add_far_deadlines(case, count, start_id):
    """Open deadlines months away: the bulk of a real database, none needing a reminder."""
    ct = ContentType.objects.get_for_model(case)
    Deadline.objects.bulk_create(
        [
            Deadline(
                kind=Kind.AGENCY_RESPONSE,
                case=case,
                content_type=ct,
                object_id=start_id + i,
                anchor_date=TODAY,
                rule="D13: test",
                limit=8,
                unit=Unit.WORKING_DAYS,
                due_date=TODAY + timedelta(days=60 + i % 300),
            )
            for i in range(count)
        ],
        batch_size=5000,
    )


def measure():
    Reminder.objects.all().delete()
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        result = chasing.chase(today=TODAY)
        elapsed = time.perf_counter() - started
    return len(queries), result, elapsed


def test_chase_queries_do_not_grow_with_open_deadlines():
    pdeo = UserFactory(roles=[Role.PDEO])
    UserFactory(roles=[Role.PANEL_CHAIR])
    case = CaseFactory(user=pdeo)
    for i in range(30):  # these need reminders today: due, overdue and escalated
        due_case = CaseFactory(user=pdeo, children=0)
        services.open_deadline(
            kind=Kind.TELL_PARTNERS,
            obj=due_case,
            case=due_case,
            anchor_date=TODAY - timedelta(days=i),
        )
    add_far_deadlines(case, 100, start_id=10_000_000)
    measure()  # the first run creates the lock row; measure from the second
    small, small_result, _ = measure()
    scale = int(os.environ.get("CHASE_SCALE", "5000"))
    add_far_deadlines(case, scale, start_id=20_000_000)
    assert Deadline.objects.filter(status="open").count() >= scale
    large, large_result, elapsed = measure()
    assert small_result["reminders"] == large_result["reminders"] > 30
    assert small == large, f"{small} queries with 100 open deadlines, {large} with {scale}"
    print(f"\nchase over {scale + 130} open deadlines: {large} queries, {elapsed:.3f}s")


def add_overdue(cases, count, start_id):
    ct = ContentType.objects.get_for_model(cases[0])
    Deadline.objects.bulk_create(
        [
            Deadline(
                kind=Kind.TELL_PARTNERS,
                case=cases[i % len(cases)],
                content_type=ct,
                object_id=start_id + i,
                anchor_date=TODAY - timedelta(days=40),
                rule="D2: test",
                limit=1,
                unit=Unit.WORKING_DAYS,
                due_date=TODAY - timedelta(days=1 + i % 20),
            )
            for i in range(count)
        ],
        batch_size=5000,
    )


def chase_peak_bytes():
    """The chase's peak Python memory, and how many reminders it recorded."""
    Reminder.objects.all().delete()
    tracemalloc.start()
    try:
        result = chasing.chase(today=TODAY)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak, result["reminders"]


def test_chase_memory_per_reminder_is_a_plain_row():
    """Each reminder a run records costs the chase a plain row, not a reminder, clock, case and
    person as model instances (which took about 1 GB for 60,000 reminders at scale 1: the
    bench's 256 MiB target). Measured as the growth in peak memory between two sizes of run;
    model instances cost over 4 KB a reminder, plain rows under 1 KB."""
    pdeo = UserFactory(roles=[Role.PDEO])
    for _ in range(5):
        UserFactory(roles=[Role.PDEO])
    UserFactory(roles=[Role.PANEL_CHAIR])
    cases = [CaseFactory(user=pdeo, children=0) for _ in range(20)]
    add_overdue(cases, 1000, start_id=30_000_000)
    chase_peak_bytes()  # the first run creates the lock row
    small_peak, small = chase_peak_bytes()
    add_overdue(cases, 4000, start_id=40_000_000)
    large_peak, large = chase_peak_bytes()
    assert large > small * 4
    per_reminder = (large_peak - small_peak) / (large - small)
    print(f"\nchase: {per_reminder:.0f} bytes of peak memory a reminder ({small} -> {large})")
    assert per_reminder < 2048, f"{per_reminder:.0f} bytes a reminder"
