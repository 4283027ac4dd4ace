"""Helpers for demo data (`manage.py seed_demo`), never used by the service itself.

A demo case is told as it happened: each step runs "as of" its own day, by a named person, so
its history, its clocks and the dates the services stamp (decided on, requested on, submitted
on) read in a plausible order, weeks apart, rather than all at the moment the demo was made.
"""

from contextlib import contextmanager
from datetime import datetime, time, timedelta
from itertools import count
from types import SimpleNamespace
from unittest import mock

from django.utils import timezone
from simple_history.models import HistoricalRecords


@contextmanager
def as_of(day, *, by=None, at=time(10, 0)):
    """Everything inside happens on `day` (at `at`) as far as the service can tell, and its
    change history names `by`. For demo data only."""
    start = timezone.make_aware(datetime.combine(day, at))
    ticks = count()
    previous = getattr(HistoricalRecords.context, "request", None)
    HistoricalRecords.context.request = SimpleNamespace(user=by) if by is not None else None
    try:
        # A second later at each reading of the clock, so the history keeps the steps' order.
        with mock.patch(
            "django.utils.timezone.now",
            side_effect=lambda: start + timedelta(seconds=next(ticks)),
        ):
            yield
    finally:
        HistoricalRecords.context.request = previous
