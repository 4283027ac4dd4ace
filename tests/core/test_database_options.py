"""The service's PostgreSQL connections plan as the benchmark found best (docs/performance.md):
no JIT compilation and no parallel workers, set on every connection it opens."""

import pytest
from django.db import connection

from ..conftest import need

pytestmark = pytest.mark.django_db


def test_postgresql_plans_without_jit_or_parallel_workers():
    need(connection.vendor == "postgresql", "the options are PostgreSQL's")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
        cursor.execute("SHOW max_parallel_workers_per_gather")
        assert cursor.fetchone()[0] == "0"
