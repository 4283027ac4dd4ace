"""The chase over a partnership's years of deadlines: a bounded number of queries, however many
deadlines are open. CHASE_SCALE sets how many (CI: 100,000); the time is printed."""

import os
import time
from datetime import date, timedelta

import pytest
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
    from django.contrib.contenttypes.models import ContentType

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
