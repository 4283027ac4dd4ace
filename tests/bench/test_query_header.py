"""The benchmark's query counter: off unless asked for, and when on, the header counts every
query the response cost."""

import pytest
from django.conf import settings
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from safeguarding.bench.middleware import QueryCountMiddleware

from ..helpers import verified_client

pytestmark = pytest.mark.django_db
COUNTER = "safeguarding.bench.middleware.QueryCountMiddleware"


def test_off_unless_the_benchmark_asks():
    assert COUNTER not in settings.MIDDLEWARE


def test_counts_every_query_of_a_response(client, pdeo):
    client = verified_client(client, pdeo)
    with override_settings(MIDDLEWARE=[COUNTER, *settings.MIDDLEWARE]):
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/cases/")
    assert response.status_code == 200
    assert int(response[QueryCountMiddleware.HEADER]) == len(queries) > 0
