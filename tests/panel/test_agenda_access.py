"""The need-to-know rule: from when the papers are sent until the item is closed (a rapid
review: until the third partner signs off), each member, or the deputy of a member who sent
apologies, reads the case; nobody else gets it from the Panel."""

from datetime import date, time

import pytest
from django.urls import reverse

from panel import services
from safeguarding.cases import services as case_services
from safeguarding.cases.models import Case, CaseTeamMember

from ..factories import CaseFactory, UserFactory
from ..helpers import verified_client


def reads(user, case):
    return Case.objects.readable_by(user).filter(pk=case.pk).exists()


@pytest.fixture
def item(panel, meeting):
    case = CaseFactory(user=panel["pdeo"], stage="rapid_review")
    return services.add_item(user=panel["pdeo"], meeting=meeting, kind="referral", case=case)


def test_a_member_reads_the_case_from_when_the_papers_are_sent_until_the_item_is_closed(
    panel, meeting, item
):
    member = panel["members"]["police"].user
    assert not reads(member, item.case)  # on the agenda, papers not yet sent
    services.send_papers(user=panel["pdeo"], meeting=meeting)
    assert reads(member, item.case)
    assert all(reads(m.user, item.case) for m in panel["members"].values())
    services.write_minutes(user=panel["pdeo"], item=item, minutes="Considered.", close=False)
    assert reads(member, item.case)  # a draft does not close it
    services.write_minutes(user=panel["pdeo"], item=item, minutes="Considered.", close=True)
    assert not reads(member, item.case)
    assert not CaseTeamMember.objects.filter(case=item.case, user=member).exists()


def test_the_item_page_shows_the_papers_only_while_the_member_may_read_them(
    panel, meeting, item, client
):
    member = panel["members"]["police"].user
    verified_client(client, member)
    url = reverse("panel:item", kwargs={"pk": meeting.pk, "item_id": item.pk})
    before = client.get(url)
    assert before.status_code == 200 and 'data-testid="papers-closed"' in before.content.decode()
    services.send_papers(user=panel["pdeo"], meeting=meeting)
    during = client.get(url).content.decode()
    assert 'data-testid="papers"' in during
    assert client.get(reverse("cases:detail", args=[item.case.reference])).status_code == 200


def test_apologies_move_the_access_to_the_deputy_at_once(panel, meeting, item):
    services.send_papers(user=panel["pdeo"], meeting=meeting)
    member = panel["members"]["police"]
    assert reads(member.user, item.case) and not reads(member.deputy, item.case)
    services.record_attendance(
        user=panel["members"]["chair"].user, meeting=meeting, statuses={member: "apologies"}
    )
    assert not reads(member.user, item.case)
    assert reads(member.deputy, item.case)
    # Back after all: the access goes back to the member.
    services.record_attendance(user=panel["pdeo"], meeting=meeting, statuses={member: "present"})
    assert reads(member.user, item.case) and not reads(member.deputy, item.case)


def test_apologies_sent_before_the_papers_give_the_deputy_the_papers(panel, meeting, item):
    member = panel["members"]["education"]
    services.record_attendance(user=panel["pdeo"], meeting=meeting, statuses={member: "deputy"})
    services.send_papers(user=panel["pdeo"], meeting=meeting)
    assert reads(member.deputy, item.case) and not reads(member.user, item.case)


def test_a_case_not_on_the_agenda_is_never_read_through_the_panel(panel, meeting, item):
    other_case = CaseFactory(user=panel["pdeo"], stage="rapid_review")
    services.send_papers(user=panel["pdeo"], meeting=meeting)
    # (The Chair and Deputy Chair read every case by their role; the rest only by need.)
    members = [panel["members"][k] for k in ("police", "education")]
    assert all(reads(m.user, item.case) for m in members)
    assert not any(reads(m.user, other_case) or reads(m.deputy, other_case) for m in members)


def test_a_member_of_another_meeting_never_has_the_item(panel, meeting, item):
    """Someone who joins the Panel after this meeting is a member of later meetings, not of
    this one: they never read this meeting's cases."""
    newcomer = UserFactory(agency=panel["police"], roles=["Panel Member"])
    services.add_member(
        user=panel["pdeo"],
        person=newcomer,
        agency=panel["police"],
        panel_role="member",
        deputy=UserFactory(agency=panel["police"]),
        start_date=date(2027, 1, 1),
    )
    later = services.call_extraordinary_meeting(
        user=panel["pdeo"],
        day=date(2027, 1, 14),
        start_time=time(10),
        end_time=time(12),
        place="Council House",
    )
    services.send_papers(user=panel["pdeo"], meeting=meeting)
    services.send_papers(user=panel["pdeo"], meeting=later)
    assert not reads(newcomer, item.case)


def test_a_conflict_of_interest_still_removes_the_whole_case(panel, meeting, item):
    services.send_papers(user=panel["pdeo"], meeting=meeting)
    member = panel["members"]["police"].user
    case_services.declare_conflict(case=item.case, user=member, nature="Neighbour")
    assert not Case.objects.visible_to(member).filter(pk=item.case.pk).exists()


def test_people_the_pdeo_added_by_hand_stay_when_the_item_closes(panel, meeting, item):
    member = panel["members"]["police"].user
    case_services.add_team_member(
        case=item.case, user=member, role=CaseTeamMember.Role.PANEL_MEMBER, added_by=panel["pdeo"]
    )
    services.send_papers(user=panel["pdeo"], meeting=meeting)
    services.write_minutes(user=panel["pdeo"], item=item, minutes="Done.", close=True)
    assert reads(member, item.case)


def test_a_rapid_review_item_stays_open_to_members_until_the_third_sign_off(
    partners, notified_case, panel, today
):
    from rapid_reviews import services as rapid_reviews
    from tests.rapid_reviews.test_services import answer_all, decide

    pdeo = partners["pdeo"]
    meeting = services.call_extraordinary_meeting(
        user=pdeo, day=today, start_time=time(10), end_time=time(12), place="Room 1"
    )
    review = rapid_reviews.open_rapid_review(case=notified_case, user=pdeo)
    item = services.add_item(user=pdeo, meeting=meeting, kind="rapid_review", case=notified_case)
    services.send_papers(user=pdeo, meeting=meeting)
    education = panel["members"]["education"].user
    assert reads(education, notified_case)
    answer_all(review, pdeo)
    decide(review, pdeo)
    services.write_minutes(user=pdeo, item=item, minutes="Decided: LCSPR.", close=True)
    assert reads(education, notified_case)  # closed, but the partners have not all signed
    for signer in ("la_signer", "police_signer"):
        rapid_reviews.sign_off(review=review, user=partners[signer])
    assert reads(education, notified_case)
    rapid_reviews.sign_off(review=review, user=partners["icb_signer"])
    assert not reads(education, notified_case)
