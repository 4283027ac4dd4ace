"""Quoracy on every combination: each of the local authority, the police and the ICB absent,
present through its member, through the member's deputy, or there but with an interest
declared on the item (or a conflict of interest on its case)."""

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from panel import selectors, services
from panel.models import Attendance, Declaration
from panel.quoracy import quoracy
from safeguarding.cases.models import ConflictOfInterest

from ..factories import CaseFactory

PARTNERS = ("local_authority", "police", "icb")
STATES = (
    "absent",
    "member",
    "deputy",
    "member_interested",
    "deputy_interested",
    "member_conflicted",
)
FREE = {"member", "deputy"}


def expected(combo):
    return all(state in FREE for state in combo)


# --- The rule on its own ----------------------------------------------------------------


@pytest.mark.parametrize("combo", list(itertools.product(STATES, repeat=3)))
def test_every_combination_of_the_rule(combo):
    room, interested = [], set()
    for i, (partner, state) in enumerate(zip(PARTNERS, combo, strict=True)):
        person = 100 + i if state.startswith("member") else 200 + i
        if state != "absent":
            room.append((partner, person))
        if state.endswith(("interested", "conflicted")):
            interested.add(person)
    result = quoracy(room, interested)
    assert result.quorate is expected(combo), combo
    missing = {p for p, s in zip(PARTNERS, combo, strict=True) if s not in FREE}
    assert len(result.missing) == len(missing)


@given(
    room=st.lists(
        st.tuples(st.sampled_from([*PARTNERS, "other"]), st.integers(1, 12)), max_size=12
    ),
    interested=st.sets(st.integers(1, 12)),
)
def test_quorate_exactly_when_each_partner_has_someone_free_to_decide(room, interested):
    free = {partner for partner, person in room if person not in interested}
    assert quoracy(room, interested).quorate is all(p in free for p in PARTNERS)


def test_others_never_make_a_meeting_quorate():
    assert not quoracy([("other", 1), ("other", 2), ("police", 3), ("icb", 4)], set())


# --- The same, from attendance and declarations in the database ---------------------------


@pytest.mark.django_db
def test_every_combination_through_attendance_and_declarations(panel, meeting):
    pdeo = panel["pdeo"]
    case = CaseFactory(user=pdeo, stage="rapid_review")
    item = services.add_item(user=pdeo, meeting=meeting, kind="rapid_review", case=case)
    by_partner = {
        "local_authority": panel["members"]["deputy_chair"],
        "police": panel["members"]["police"],
        "icb": panel["members"]["chair"],
    }
    # An education member is always there, free: it never makes up for a partner.
    Attendance.objects.create(
        meeting=meeting, member=panel["members"]["education"], status="present", recorded_by=pdeo
    )
    for combo in itertools.product(STATES, repeat=3):
        Attendance.objects.filter(meeting=meeting).exclude(
            member=panel["members"]["education"]
        ).delete()
        Declaration.objects.filter(item=item).delete()
        ConflictOfInterest.objects.filter(case=case).delete()
        for partner, state in zip(PARTNERS, combo, strict=True):
            member = by_partner[partner]
            if state == "absent":
                Attendance.objects.create(
                    meeting=meeting, member=member, status="apologies", recorded_by=pdeo
                )
                continue
            status = "present" if state.startswith("member") else "deputy"
            Attendance.objects.create(
                meeting=meeting, member=member, status=status, recorded_by=pdeo
            )
            person = member.user if status == "present" else member.deputy
            if state.endswith("interested"):
                Declaration.objects.create(
                    item=item, person=person, nature="Knows the family", recorded_by=pdeo
                )
            if state.endswith("conflicted"):
                ConflictOfInterest.objects.create(case=case, user=person, nature="Related")
        item.refresh_from_db()
        got = selectors.quoracy_of(item)
        assert got.quorate is expected(combo), combo
        agenda, _ = selectors.agenda(meeting)
        assert agenda[0][1].quorate is expected(combo), combo


@pytest.mark.django_db
def test_no_attendance_recorded_is_not_quorate(panel, meeting):
    item = services.add_item(user=panel["pdeo"], meeting=meeting, kind="action_log")
    result = selectors.quoracy_of(item)
    assert not result.quorate
    assert "Local authority" in result.explain()
