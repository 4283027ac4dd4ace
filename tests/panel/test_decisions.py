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
        services.record_decision(user=chair, item=review_item, **DECISION)
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
        services.record_decision(user=deputy_chair, item=review_item, **DECISION)


def test_the_pdeo_records_on_the_chairs_behalf_and_the_record_says_so(panel, meeting, review_item):
    all_present(panel, meeting)
    decision = services.record_decision(user=panel["pdeo"], item=review_item, **DECISION)
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
    services.record_decision(
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


# --- Local review decisions and the Case Review Group's approval, through cspr's services ---


def test_the_chair_records_the_panels_decision_to_hold_a_local_review(panel, meeting, client):
    from cspr.models import LocalReview
    from safeguarding.deadlines.models import Deadline

    from ..factories import CaseFactory

    case = CaseFactory(user=panel["pdeo"], stage="referral")
    item = services.add_item(user=panel["pdeo"], meeting=meeting, kind="local_review", case=case)
    all_present(panel, meeting, police="deputy")
    verified_client(client, panel["members"]["chair"].user)
    url = reverse("panel:decide", kwargs={"pk": meeting.pk, "item_id": item.pk})
    empty = client.post(url, {"reasons": ""})
    assert "govuk-error-summary" in empty.content.decode()
    assert "Choose the Panel&#x27;s decision" in empty.content.decode()
    assert not LocalReview.objects.exists()
    response = client.post(
        url, {"decision": "lcspr", "reasons": "Agencies did not share what they knew"}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    review = LocalReview.objects.get(case=case)
    assert review.decided_on == meeting.date
    assert review.decided_by.startswith("The CSPR Panel")
    assert "Dee Deputy (deputy for Dee Police" in review.decided_by  # from the attendance
    assert review.decision_reasons == "Agencies did not share what they knew"
    d8 = Deadline.objects.get(kind="lcspr_published", object_id=review.pk)
    assert d8.anchor_date == meeting.date
    decision = PanelDecision.objects.get(item=item)
    assert decision.kind == "local_review" and decision.decided_by == panel["members"]["chair"].user
    # Decided once: the same again is refused, and no second review is started.
    with pytest.raises(ValidationError, match="already recorded"):
        services.record_decision(
            user=panel["members"]["chair"].user, item=item, decision="lcspr", reasons="Again"
        )


def test_a_local_review_decision_on_an_item_that_is_not_quorate_starts_nothing(panel, meeting):
    from cspr.models import LocalReview

    from ..factories import CaseFactory

    case = CaseFactory(user=panel["pdeo"], stage="referral")
    item = services.add_item(user=panel["pdeo"], meeting=meeting, kind="local_review", case=case)
    all_present(panel, meeting, chair="apologies")  # the ICB's only member, no deputy sent
    with pytest.raises(ValidationError, match="Not quorate"):
        services.record_decision(
            user=panel["members"]["deputy_chair"].user,
            item=item,
            decision="lcspr",
            reasons="Concerns",
        )
    assert not LocalReview.objects.exists() and not PanelDecision.objects.exists()


def test_the_panel_decides_not_to_hold_a_local_review_and_the_case_closes(panel, meeting, client):
    """Another learning activity (which one, or an error summary) or no further action, with
    the Panel's reasons: kept as the case's decision against a review, and the case closes."""
    from cspr.models import LocalReview, NoLocalReview

    from ..factories import CaseFactory

    case = CaseFactory(user=panel["pdeo"], stage="referral")
    item = services.add_item(user=panel["pdeo"], meeting=meeting, kind="local_review", case=case)
    all_present(panel, meeting)
    verified_client(client, panel["members"]["chair"].user)
    url = reverse("panel:decide", kwargs={"pk": meeting.pk, "item_id": item.pk})
    decided = {"decision": "other_learning", "reasons": "Single-agency learning is enough"}
    missing = client.post(url, decided)
    assert missing.status_code == 200
    page = missing.content.decode()
    assert "govuk-error-summary" in page and "Choose the learning activity" in page
    assert "Single-agency learning is enough" in page  # nothing typed is lost
    assert not NoLocalReview.objects.exists() and not PanelDecision.objects.exists()
    response = client.post(url, {**decided, "learning_activity": "single_agency"}, follow=True)
    assert "Decision recorded." in response.content.decode()
    record = NoLocalReview.objects.get(case=case)
    assert record.rapid_review is None and not record.superseded
    assert (record.decision, record.learning_activity) == ("other_learning", "single_agency")
    assert record.decided_on == meeting.date and record.decided_by == f"The CSPR Panel, {meeting}"
    assert record.reasons == "Single-agency learning is enough"
    case.refresh_from_db()
    assert case.status == "closed" and not LocalReview.objects.exists()
    decision = PanelDecision.objects.get(item=item)
    assert decision.kind == "local_review"
    assert decision.summary == (
        "Local review: No local review, but another learning activity (single-agency review)"
    )
    # The case page says so, and who decided.
    shown = client.get(
        reverse("cases:detail", args=[case.reference]) + "?section=local-review"
    ).content.decode()
    assert f"decided {meeting.date:%-d %B %Y} by The CSPR Panel" in shown


def test_a_decision_against_a_review_gives_way_to_a_later_decision_to_hold_one(panel):
    """Recorded once; a local review started later supersedes it and reopens the case."""
    from datetime import date

    from cspr import services as cspr
    from cspr.models import NoLocalReview
    from safeguarding.workflow import NotAllowed

    from ..factories import CaseFactory

    pdeo = panel["pdeo"]
    case = CaseFactory(user=pdeo, stage="referral")
    decided = {
        "case": case,
        "user": pdeo,
        "decided_on": date(2026, 11, 2),
        "decided_by": "The partners, by email",
        "reasons": "No agency concerns",
    }
    with pytest.raises(ValidationError) as refused:
        cspr.record_no_local_review(**decided, decision="lcspr")
    assert "decision" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        cspr.record_no_local_review(
            **{**decided, "decided_on": date(2099, 1, 1), "reasons": " "},
            decision="other_learning",
        )
    assert refused.value.message_dict == {
        "learning_activity": ["Choose the learning activity"],
        "decided_on": ["The date of the decision must be today or in the past"],
        "reasons": ["Enter why no local review is to be held"],
    }
    assert not NoLocalReview.objects.exists()
    cspr.record_no_local_review(**decided, decision="no_further_action")
    with pytest.raises(NotAllowed, match="already recorded"):
        cspr.record_no_local_review(**decided, decision="no_further_action")
    review = cspr.start_local_review(
        case=case, user=pdeo, decided_on=date(2026, 11, 20), decided_by="The partners"
    )
    case.refresh_from_db()
    assert case.status == "open" and review.case == case
    assert NoLocalReview.objects.get(case=case).superseded
    with pytest.raises(NotAllowed, match="already has a local review"):
        cspr.record_no_local_review(**decided, decision="no_further_action")


@pytest.fixture
def crp_agreed(panel, meeting):
    """A local review started by hand, commissioned, and its report agreed by its Case Review
    Panel: next, the Case Review Group's approval."""
    from datetime import date

    from cspr import services as cspr
    from cspr.models import Appointment

    from ..factories import CaseFactory, UserFactory

    pdeo = panel["pdeo"]
    case = CaseFactory(user=pdeo, stage="referral")
    review = cspr.start_local_review(
        case=case, user=pdeo, decided_on=date(2026, 6, 1), decided_by="The partners"
    )
    lead = UserFactory(roles=["Lead Reviewer"], agency=panel["school"], full_name="Lena Lead")
    cspr.appoint(review=review, user=pdeo, person=lead, role=Appointment.Role.LEAD_REVIEWER)
    cspr.appoint(
        review=review,
        user=pdeo,
        person=panel["members"]["deputy_chair"].user,
        role=Appointment.Role.REVIEW_CHAIR,
    )
    recommendation = cspr.add_recommendation(
        review=review, user=pdeo, text="Health joins every strategy discussion about an infant"
    )
    cspr.set_recommendation_action(
        recommendation=recommendation,
        user=pdeo,
        description="Brief every public protection officer",
        owner_agency=panel["police"],
        due_date=date(2027, 3, 31),
        measure_of_success="A dip sample of 20 strategy discussions",
    )
    item = services.add_item(user=pdeo, meeting=meeting, kind="progress", case=case)
    return {"review": review, "item": item}


def test_the_case_review_groups_approval_is_recorded_from_the_meeting(
    panel, meeting, crp_agreed, client
):
    from datetime import date

    from cspr import services as cspr
    from cspr.models import Approval

    review, item = crp_agreed["review"], crp_agreed["item"]
    all_present(panel, meeting)
    chair = panel["members"]["chair"].user
    # In order only: before the Case Review Panel has agreed the report, cspr refuses it.
    with pytest.raises(ValidationError, match="Approvals go in order"):
        services.record_decision(user=chair, item=item, approves=["report"])
    assert not PanelDecision.objects.exists()
    cspr.record_approval(
        review=review,
        user=panel["pdeo"],
        step="crp",
        approved_on=date(2026, 11, 2),
        present="The Case Review Panel",
    )
    verified_client(client, chair)
    url = reverse("panel:decide", kwargs={"pk": meeting.pk, "item_id": item.pk})
    unconfirmed = client.post(url, {})
    assert "govuk-error-summary" in unconfirmed.content.decode()
    response = client.post(url, {"approves": ["report", "action_plan"]})
    assert response.status_code == 302, response.content.decode()[:2000]
    for subject in ("report", "action_plan"):
        approval = Approval.objects.get(review=review, step="crg", subject=subject)
        assert approval.approved_on == meeting.date and "Ida Chair" in approval.present
    review.refresh_from_db()
    assert review.status == "crg_approved"
    decision = PanelDecision.objects.get(item=item)
    assert decision.kind == "crg_approval" and decision.decided_by == chair
    assert decision.summary == ("Case Review Group: approved the final report and the action plan")
