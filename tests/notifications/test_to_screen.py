"""The referrals still to screen are found by their own index, whatever a decade of screened
referrals holds (docs/performance.md, "Sixth round")."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from notifications.home import referrals_to_screen

from ..conftest import need
from ..helpers import index_plan, refer

pytestmark = pytest.mark.django_db


def test_the_referrals_to_screen_are_read_from_their_own_index(partners, today):
    need(connection.vendor == "postgresql", "the plan is PostgreSQL's")
    referral = refer(partners["pdeo"], partners["la"], child_name="One")
    with CaptureQueriesContext(connection) as queries:
        assert list(referrals_to_screen(partners["pdeo"])) == [referral]
    (query,) = [q["sql"] for q in queries.captured_queries if "notifications_referral" in q["sql"]]
    plan = index_plan(query)
    assert "using referral_to_screen on notifications_referral" in plan, plan
