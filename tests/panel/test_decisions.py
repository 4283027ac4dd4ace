"""Decisions at the meeting: by the Chair or Deputy Chair (the PDEO on their behalf, and the
record says so), through the owning app's service, only on a quorate item and never by a
person with a declared interest; and virtual decisions with the three partners' agreement."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from panel import services
from panel.models import PanelDecision
from rapid_reviews.models import RapidReview

from ..helpers import refer, verified_client


@pytest.fixture
def review_item(partners, notified_case, panel, meeting):
    from rapid_reviews import services as rapid_reviews
    from tests.rapid_reviews.test_services import answer_all

    pdeo = panel["pdeo"]
    review = rapid_reviews.open_rapid_review(case=notified_case, user=partners["pdeo"])
    answer_all(review, pdeo)
    return services.add_item(user=pdeo, meeting=meeting, kind="rapid_review", case=notified_case)


def all_present(panel, meeting, **overrides):
    statuses = {m: "present" for m in panel["members"].values()}
    for key, status in overrides.items():
        statuses[panel["members"][key]] = status
    services.record_attendance(user=panel["pdeo"], meeting=meeting, statuses=statuses)


DECISION = {
    "decision": "lcspr",
    "rationale": "Concerns about agencies working together",
    "national_review_view": "no",
}


def post_decision(client, item):
    return client.post(
        reverse("panel:decide", kwargs={"pk": item.meeting_id, "item_id": item.pk}), DECISION
    )


def test_the_chair_records_a_rapid_review_decision_in_a_quorate_meeting(
    panel, meeting, review_item, client
):
    all_present(panel, meeting, police="deputy")
    chair = panel["members"]["chair"].user
    verified_client(client, chair)
    response = post_decision(client, review_item)
    assert response.status_code == 302, response.content.decode()[:2000]
    review = RapidReview.objects.get(case=review_item.case)
    assert review.status == "decided" and review.decision == "lcspr"
    assert review.decided_on == meeting.date
    # Who was present comes from the attendance, not free text.
    assert "Ida Chair" in review.decided_at_meeting
    assert "Dee Deputy (deputy for Dee Police" in review.decided_at_meeting
    decision = PanelDecision.objects.get(item=review_item)
    assert decision.decided_by == chair and not decision.on_behalf
    assert decision.recorded_as == "Recorded by Ida Chair"


def test_the_same_decision_on_an_item_that_is_not_quorate_is_refused(
    panel, meeting, review_item, client
):
    all_present(panel, meeting, police="apologies")
    verified_client(client, panel["members"]["chair"].user)
    response = post_decision(client, review_item)
    assert response.status_code == 200
    html = response.content.decode()
    assert "govuk-error-summary" in html and "Not quorate" in html and "Police" in html
    assert RapidReview.objects.get(case=review_item.case).status == "in_progress"
    assert not PanelDecision.objects.exists()


def test_the_chairs_interest_takes_the_icb_out_of_the_items_quoracy(panel, meeting, review_item):
    all_present(panel, meeting)
    chair = panel["members"]["chair"].user  # the ICB's only member here
    services.declare_interest(
        user=panel["pdeo"], item=review_item, person=chair, nature="Line manages the nurse"
    )
    with pytest.raises(ValidationError, match="Not quorate: no one free to decide for Integrated"):
        services.record_rapid_review_decision(user=chair, item=review_item, **DECISION)
    assert not PanelDecision.objects.exists()


def test_an_interested_decider_is_refused_even_when_the_item_is_quorate(
    panel, meeting, review_item
):
    all_present(panel, meeting)
    deputy_chair = panel["members"]["deputy_chair"].user  # local authority
    # A second local authority member, present and free, keeps the item quorate.
    from datetime import date

    from ..factories import UserFactory

    la_member = services.add_member(
        user=panel["pdeo"],
        person=UserFactory(agency=panel["la"], roles=["Panel Member"]),
        agency=panel["la"],
        panel_role="member",
        deputy=UserFactory(agency=panel["la"]),
        start_date=date(2026, 1, 1),
    )
    services.record_attendance(user=panel["pdeo"], meeting=meeting, statuses={la_member: "present"})
    services.declare_interest(
        user=panel["pdeo"], item=review_item, person=deputy_chair, nature="Manages the team"
    )
    from panel import selectors

    assert selectors.quoracy_of(review_item).quorate
    with pytest.raises(ValidationError, match="declared an interest"):
        services.record_rapid_review_decision(user=deputy_chair, item=review_item, **DECISION)


def test_the_pdeo_records_on_the_chairs_behalf_and_the_record_says_so(panel, meeting, review_item):
    all_present(panel, meeting)
    decision = services.record_rapid_review_decision(
        user=panel["pdeo"], item=review_item, **DECISION
    )
    assert decision.on_behalf and decision.decided_by == panel["members"]["chair"].user
    assert decision.recorded_as == "Recorded by Panel Pdeo on behalf of Ida Chair"


def test_a_virtual_decision_needs_each_partners_agreement(partners, notified_case, panel):
    from rapid_reviews import services as rapid_reviews
    from tests.rapid_reviews.test_services import answer_all

    review = rapid_reviews.open_rapid_review(case=notified_case, user=partners["pdeo"])
    answer_all(review, panel["pdeo"])
    m = panel["members"]
    chair = m["chair"].user
    with pytest.raises(ValidationError) as refused:
        services.record_virtual_rapid_review_decision(
            user=chair,
            case=notified_case,
            agreements={"local_authority": m["deputy_chair"].user, "icb": chair},
            **DECISION,
        )
    assert "agreed_police" in refused.value.error_dict
    with pytest.raises(ValidationError, match="not a member or deputy"):
        services.record_virtual_rapid_review_decision(
            user=chair,
            case=notified_case,
            agreements={
                "local_authority": m["deputy_chair"].user,
                "police": m["education"].user,
                "icb": chair,
            },
            **DECISION,
        )
    decision = services.record_virtual_rapid_review_decision(
        user=chair,
        case=notified_case,
        agreements={
            "local_authority": m["deputy_chair"].user,
            "police": m["police"].deputy,
            "icb": chair,
        },
        **DECISION,
    )
    assert decision.is_virtual and decision.agreements.count() == 3
    review.refresh_from_db()
    assert review.status == "decided" and "Virtual decision" in review.decided_at_meeting


def test_the_panel_decides_a_referral_through_its_screening(panel, meeting):
    referral = refer(panel["pdeo"], panel["la"], child_name="Robin Realname")
    item = services.add_item(
        user=panel["pdeo"], meeting=meeting, kind="referral", case=referral.case
    )
    all_present(panel, meeting)
    services.record_referral_decision(
        user=panel["members"]["deputy_chair"].user,
        item=item,
        decision="consider_review",
        reason="Learning for agencies",
    )
    referral.refresh_from_db()
    assert referral.decision == "consider_review"
    assert referral.decided_by == panel["members"]["deputy_chair"].user


@pytest.mark.parametrize("page", ["criteria", "decision", "reply"])
def test_the_chair_and_deputy_chair_open_the_rapid_review_decision_pages(
    partners, notified_case, client, page
):
    from rapid_reviews import services as rapid_reviews

    rapid_reviews.open_rapid_review(case=notified_case, user=partners["pdeo"])
    for person in ("icb_signer", "la_signer"):  # the Chair, the Deputy Chair
        verified_client(client, partners[person])
        url = reverse(f"rapid_reviews:{page}", kwargs={"reference": notified_case.reference})
        assert client.get(url).status_code == 200, (person, page)
