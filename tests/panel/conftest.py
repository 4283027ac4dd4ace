"""A CSPR Panel: the three partners' members, a Chair and a Deputy Chair, each member with
one named deputy."""

from datetime import date

import pytest

from safeguarding.accounts.models import Agency
from safeguarding.accounts.roles import Role

from ..factories import UserFactory


@pytest.fixture
def panel(partners, today):
    """Built on the shared `partners` fixture's agencies (so both can be used together)."""
    from panel import services

    def agency(name, kind):
        return Agency.objects.get_or_create(name=name, defaults={"kind": kind})[0]

    la = agency("Northbridge Council", "local_authority")
    police = agency("Northbridge Police", "police")
    icb = agency("Northbridge ICB", "icb")
    school = agency("Northbridge Schools", "education")
    pdeo = UserFactory(roles=[Role.PDEO], agency=la, full_name="Panel Pdeo")
    people = {"pdeo": pdeo, "la": la, "police": police, "icb": icb, "school": school}
    spec = [
        ("chair", icb, Role.PANEL_CHAIR, "chair", "Ida Chair"),
        ("deputy_chair", la, Role.DEPUTY_CHAIR, "deputy_chair", "Lee Deputychair"),
        ("police", police, Role.PANEL_MEMBER, "member", "Dee Police"),
        ("education", school, Role.PANEL_MEMBER, "member", "Ed School"),
    ]
    members = {}
    for key, agency, role, panel_role, name in spec:
        person = UserFactory(roles=[role], agency=agency, full_name=name)
        deputy = UserFactory(
            roles=[Role.PANEL_MEMBER], agency=agency, full_name=f"{name.split()[0]} Deputy"
        )
        members[key] = services.add_member(
            user=pdeo,
            person=person,
            agency=agency,
            panel_role=panel_role,
            deputy=deputy,
            start_date=date(2026, 1, 1),
        )
    people["members"] = members
    return people


@pytest.fixture
def meeting(panel):
    from datetime import time

    from panel import services

    return services.call_extraordinary_meeting(
        user=panel["pdeo"],
        day=date(2026, 11, 24),
        start_time=time(10),
        end_time=time(12),
        place="Council House",
    )
