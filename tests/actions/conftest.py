from datetime import date

import pytest

from safeguarding.actions import services


@pytest.fixture
def make_action(partners, today):
    """An action set by the PDEO (owner agency, case and dates as given)."""

    def make(agency="police", *, case=None, due=date(2026, 12, 18), set_on=None, **kwargs):
        return services.set_action(
            user=partners["pdeo"],
            case=case,
            description=kwargs.pop("description", "Train every duty officer in the new pathway"),
            owner_agency=partners[agency],
            due_date=due,
            set_on=set_on,
            measure_of_success="Audit shows the pathway used in 9 of 10 referrals",
            **kwargs,
        )

    return make
