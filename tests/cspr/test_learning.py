"""Recommendations and their SMART actions (through safeguarding/actions), the action plan's
sign-off by the Case Review Group and the Executive, the end of a review (monitoring at
publication, closed when the last action finishes), learning themes and the briefing."""

from datetime import date

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError

from cspr import selectors, services
from cspr.models import (
    Appointment,
    Approval,
    LearningTheme,
    LocalReview,
    Recommendation,
    ReportDraft,
)
from safeguarding.accounts.roles import Role
from safeguarding.actions import services as actions
from safeguarding.actions.models import Action
from safeguarding.cases.models import Case
from safeguarding.deadlines.models import Deadline
from safeguarding.deadlines.rules import Kind
from safeguarding.home import waiting_for
from safeguarding.workflow import ConcurrentEdit, NotAllowed
from tests.factories import CaseFactory, UserFactory

pytestmark = pytest.mark.django_db
R = Appointment.Role
PLAN = Approval.Subject.ACTION_PLAN


@pytest.fixture
def review(partners, reviewers):
    """A review started by hand on 1 June 2026, commissioned (Lead Reviewer and Chair)."""
    pdeo = partners["pdeo"]
    with time_machine.travel(date(2026, 6, 1), tick=False):
        review = services.start_local_review(
            case=CaseFactory(user=pdeo, incident_date=date(2026, 5, 1)),
            user=pdeo,
            decided_on=date(2026, 6, 1),
            decided_by="The three safeguarding partners",
        )
        services.appoint(review=review, user=pdeo, person=reviewers["lead"], role=R.LEAD_REVIEWER)
        services.appoint(review=review, user=pdeo, person=reviewers["chair"], role=R.REVIEW_CHAIR)
    review.refresh_from_db()
    return review


@pytest.fixture
def executive(partners):
    return UserFactory(roles=[Role.EXECUTIVE_MEMBER], agency=partners["la"], full_name="Eve Exec")


def recommend(review, user, text="Agencies share concerns about neglect at a strategy meeting"):
    return services.add_recommendation(review=review, user=user, text=text)


def act(recommendation, partners, agency="police", due=date(2027, 3, 31), **extra):
    return services.set_recommendation_action(
        recommendation=recommendation,
        user=partners["pdeo"],
        description=extra.pop("description", "Brief every duty officer on the neglect pathway"),
        owner_agency=partners[agency],
        due_date=due,
        measure_of_success="A dip sample of 20 referrals shows the pathway used in 18",
        **extra,
    )


def publish(review, partners, executive, on=date(2026, 11, 20)):
    pdeo = partners["pdeo"]
    for step, who, day in (
        ("crp", pdeo, date(2026, 10, 1)),
        ("crg", pdeo, date(2026, 10, 8)),
        ("executive", executive, date(2026, 10, 15)),
    ):
        services.record_approval(
            review=review, user=who, step=step, approved_on=day, present="Members"
        )
    services.record_report_sent(review=review, user=pdeo, sent_on=date(2026, 11, 2))
    return services.publish(
        review=review, user=pdeo, published_on=on, link="https://example.org/r", media_plan=""
    )


def test_recommendations_are_numbered_and_each_action_is_a_partnership_action(
    review, partners, reviewers, today
):
    lead = reviewers["lead"]
    first = recommend(review, lead)
    second = recommend(review, partners["pdeo"], "Schools record elective home education")
    assert (first.number, second.number, second.label) == (1, 2, "Recommendation 2")
    action = act(first, partners)
    assert action.case == review.case
    assert action.source == Action.Source.RECOMMENDATION
    assert action.source_object == first and action.source_label == "Recommendation 1"
    assert action.set_on == today
    # Its D15 clock runs like every action's, on the review's case.
    clock = Deadline.objects.get(
        kind=Kind.ACTION_DUE,
        content_type=ContentType.objects.get_for_model(Action),
        object_id=action.pk,
    )
    assert (clock.case_id, clock.due_date) == (review.case_id, date(2027, 3, 31))
    plan, progress = selectors.action_plan(review)
    assert [(r.number, [a for a, _ in rows]) for r, rows in plan] == [(1, [action]), (2, [])]
    assert (progress["total"], progress["open"], progress["overdue"]) == (1, 1, 0)


def test_a_recommendation_is_corrected_and_keeps_its_number_and_actions(
    review, partners, reviewers, today
):
    lead = reviewers["lead"]
    first = recommend(review, lead, "Agencies share concerns about neglect")
    action = act(first, partners)
    draft = draft_of(review, lead, number=2)
    changed = services.change_recommendation(
        recommendation=first,
        user=reviewers["chair"],
        text="  Agencies share concerns about neglect at a strategy meeting  ",
        draft=draft,
    )
    first.refresh_from_db()
    assert (first.number, first.text, first.draft) == (
        1,
        "Agencies share concerns about neglect at a strategy meeting",
        draft,
    )
    assert changed.label == "Recommendation 1"
    action.refresh_from_db()
    assert action.source_object == first and action.source_label == "Recommendation 1"
    # The history keeps the words it had.
    assert [h.text for h in first.history.order_by("history_date")] == [
        "Agencies share concerns about neglect",
        "Agencies share concerns about neglect at a strategy meeting",
    ]
    # Bad words are refused, and nothing is lost; nor may a Lead Reviewer of another review.
    with pytest.raises(ValidationError, match="Enter the recommendation"):
        services.change_recommendation(recommendation=first, user=lead, text="  ")
    with pytest.raises(ValidationError, match="5,000 characters or fewer"):
        services.change_recommendation(recommendation=first, user=lead, text="x" * 5001)
    with pytest.raises(NotAllowed, match="Only the PDEO, the Lead Reviewer or the Chair"):
        services.change_recommendation(
            recommendation=first, user=reviewers["other_lead"], text="Theirs"
        )
    first.refresh_from_db()
    assert first.text == "Agencies share concerns about neglect at a strategy meeting"


def test_bad_input_is_refused_and_nothing_saved_is_lost(review, partners, reviewers, today):
    first = recommend(review, reviewers["lead"])
    act(first, partners)
    with pytest.raises(ValidationError) as refused:
        act(first, partners, due=date(2026, 11, 23))  # the day before it is set
    assert refused.value.message_dict["due_date"] == [
        "The due date must be on or after the day the action was set (24 November 2026)"
    ]
    with pytest.raises(ValidationError, match="Enter the recommendation"):
        recommend(review, reviewers["lead"], "   ")
    # A Case Review Panel member helps write them, but the Lead Reviewer, the Chair or the PDEO
    # records them; a Lead Reviewer of another review cannot.
    with pytest.raises(NotAllowed, match="Only the PDEO, the Lead Reviewer or the Chair"):
        recommend(review, reviewers["other_lead"])
    # Only the PDEO sets actions.
    with pytest.raises(PermissionDenied):
        services.set_recommendation_action(
            recommendation=first,
            user=reviewers["lead"],
            description="x",
            owner_agency=partners["police"],
            due_date=date(2027, 1, 1),
            measure_of_success="y",
        )
    # The owner must be someone in the owner agency.
    with pytest.raises(ValidationError, match="someone in the owner agency"):
        act(first, partners, owner=partners["la_signer"])
    assert Recommendation.objects.filter(review=review).count() == 1
    assert services.plan_actions(review).count() == 1


def test_the_plan_is_signed_off_by_the_crg_then_the_executive(
    review, partners, reviewers, executive, today
):
    pdeo = partners["pdeo"]

    def sign(user, step, on=date(2026, 11, 20)):
        return services.record_approval(
            review=review, user=user, step=step, approved_on=on, present="Members", subject=PLAN
        )

    with pytest.raises(ValidationError, match="Add the recommendations and their actions"):
        sign(pdeo, "crg")
    first = recommend(review, reviewers["lead"])
    second = recommend(review, reviewers["lead"], "Health visitors see the child alone")
    act(first, partners)
    with pytest.raises(ValidationError, match="add one to recommendation 2"):
        sign(pdeo, "crg")
    act(second, partners, agency="hospital")
    with pytest.raises(ValidationError, match="must first be signed off by the Case Review Group"):
        sign(executive, "executive")
    with pytest.raises(ValidationError, match="The date must be today or in the past"):
        sign(pdeo, "crg", on=date(2026, 11, 25))
    with pytest.raises(PermissionDenied):
        sign(pdeo, "executive")
    assert not selectors.plans_awaiting_executive(executive).exists()
    sign(pdeo, "crg")
    # Signed: the plan no longer changes.
    with pytest.raises(NotAllowed, match="The action plan is signed off"):
        recommend(review, reviewers["lead"], "Another")
    with pytest.raises(NotAllowed, match="The action plan is signed off"):
        act(first, partners)
    with pytest.raises(NotAllowed, match="The action plan is signed off"):
        services.change_recommendation(recommendation=first, user=pdeo, text="Reworded")
    with pytest.raises(ValidationError, match="already signed off by the Case Review Group"):
        sign(pdeo, "crg")
    assert list(selectors.plans_awaiting_executive(executive)) == [review]
    owed = waiting_for(executive)
    assert [o.text for o in owed.items] == ["Sign off the local review's action plan"]
    with pytest.raises(ValidationError, match="before the previous step"):
        sign(executive, "executive", on=date(2026, 11, 19))
    sign(executive, "executive", on=date(2026, 11, 23))
    assert not selectors.plans_awaiting_executive(executive).exists()
    assert list(review.approvals.filter(subject=PLAN).values_list("step", "recorded_by")) == [
        ("crg", pdeo.pk),
        ("executive", executive.pk),
    ]
    # The report's approvals are another chain: the review has not moved on.
    review.refresh_from_db()
    assert review.status == LocalReview.Status.COMMISSIONED
    assert not review.approvals.filter(subject=Approval.Subject.REPORT).exists()


def test_publication_moves_the_case_to_monitoring_and_the_last_action_closed_closes_it(
    review, partners, reviewers, executive, today
):
    first = recommend(review, reviewers["lead"])
    police_action, hospital_action = act(first, partners), act(first, partners, "hospital")
    publish(review, partners, executive)
    case = Case.objects.get(pk=review.case_id)
    assert (case.stage, case.status) == (Case.Stage.MONITORING, Case.Status.OPEN)
    police = UserFactory(roles=[Role.AGENCY_CONTRIBUTOR], agency=partners["police"])
    hospital = UserFactory(roles=[Role.AGENCY_CONTRIBUTOR], agency=partners["hospital"])
    pdeo = partners["pdeo"]
    actions.propose_closure(action=police_action, user=police, evidence="18 of 20 sampled")
    actions.accept_closure(action=police_action, user=pdeo)
    case.refresh_from_db()
    assert case.status == Case.Status.OPEN  # one still open
    actions.propose_closure(action=hospital_action, user=hospital, evidence="Audit: 27 of 30")
    actions.accept_closure(action=hospital_action, user=partners["icb_signer"])  # the Chair
    case.refresh_from_db()
    review.refresh_from_db()
    assert (case.stage, case.status) == (Case.Stage.MONITORING, Case.Status.CLOSED)
    assert review.status == LocalReview.Status.CLOSED and review.closed_on == today
    assert review.closure_reasons.splitlines() == [
        "Every action of the plan is finished: 2 closed on evidence of impact, "
        "0 carried into other work.",
        f"Recommendation 1, {police_action.reference}: closed on evidence of impact "
        "(24 November 2026)",
        f"Recommendation 1, {hospital_action.reference}: closed on evidence of impact "
        "(24 November 2026)",
    ]
    assert case.history.first().history_change_reason == (
        "local review closed: every action of its plan finished"
    )


def test_the_last_action_carried_into_other_work_closes_the_review_with_its_reasons(
    review, partners, reviewers, executive, today
):
    first = recommend(review, reviewers["lead"])
    action = act(first, partners)
    publish(review, partners, executive)
    actions.carry_into_other_work(
        action=action,
        user=partners["pdeo"],
        reasons="Carried into the neglect strategy's action plan (item 4)",
    )
    review.refresh_from_db()
    assert review.status == LocalReview.Status.CLOSED
    assert Case.objects.get(pk=review.case_id).status == Case.Status.CLOSED
    assert (
        f"{action.reference}: carried into other work (24 November 2026): Carried into the "
        "neglect strategy" in review.closure_reasons
    )
    assert "0 closed on evidence of impact, 1 carried" in review.closure_reasons


def test_a_plan_finished_before_publication_closes_at_publication_and_actions_elsewhere_wait(
    review, partners, reviewers, executive, today
):
    first = recommend(review, reviewers["lead"])
    action = act(first, partners)
    actions.carry_into_other_work(action=action, user=partners["pdeo"], reasons="Into thematic")
    review.refresh_from_db()
    assert review.status == LocalReview.Status.COMMISSIONED  # not published: nothing closes
    # An action on the same case from elsewhere (the Panel's log) is not part of the plan.
    actions.set_action(
        user=partners["pdeo"],
        case=review.case,
        description="Panel's own follow-up",
        owner_agency=partners["la"],
        due_date=date(2027, 1, 29),
        measure_of_success="Reported to the Panel",
    )
    publish(review, partners, executive)
    review.refresh_from_db()
    assert review.status == LocalReview.Status.CLOSED
    case = Case.objects.get(pk=review.case_id)
    assert (case.stage, case.status) == (Case.Stage.MONITORING, Case.Status.CLOSED)


def test_a_published_review_without_actions_stays_in_monitoring(review, partners, executive, today):
    publish(review, partners, executive)
    review.refresh_from_db()
    assert review.status == LocalReview.Status.PUBLISHED
    case = Case.objects.get(pk=review.case_id)
    assert (case.stage, case.status) == (Case.Stage.MONITORING, Case.Status.OPEN)


def test_themes_are_tagged_from_the_active_list_and_counted_across_reviews(
    review, partners, reviewers, today
):
    neglect = LearningTheme.objects.create(name="Neglect")
    voice = LearningTheme.objects.create(name="The child's voice")
    retired = LearningTheme.objects.create(name="Old theme", active=False)
    lead = reviewers["lead"]
    assert services.set_themes(review=review, user=lead, themes=[voice, neglect]) == [
        neglect,
        voice,
    ]
    with pytest.raises(ValidationError, match="Old theme is no longer on the partnership's list"):
        services.set_themes(review=review, user=lead, themes=[retired])
    services.set_themes(review=review, user=lead, themes=[neglect])
    assert selectors.themes_of(review) == [neglect]
    with pytest.raises(NotAllowed):
        services.set_themes(review=review, user=reviewers["other_lead"], themes=[voice])
    # A second review, which the Lead Reviewer does not work on, also shows neglect.
    pdeo = partners["pdeo"]
    other = services.start_local_review(
        case=CaseFactory(user=pdeo), user=pdeo, decided_on=today, decided_by="Partners"
    )
    services.set_themes(review=other, user=pdeo, themes=[neglect, voice])
    rows = {
        t.name: (count, reviews, hidden)
        for t, count, reviews, hidden in selectors.themes_across_reviews(lead)
    }
    listed = selectors.ThemedReview
    assert rows["Neglect"] == (
        2,
        [listed(review.case.reference, review.case.pseudonym)],
        1,
    )  # counted, but listed only where visible
    assert rows["The child's voice"] == (1, [], 1)
    assert "Old theme" not in rows
    everything = selectors.themes_across_reviews(pdeo)
    assert [(t.name, n) for t, n, _, _ in everything] == [("Neglect", 2), ("The child's voice", 1)]
    assert everything[0][2] == [
        listed(review.case.reference, review.case.pseudonym),
        listed(other.case.reference, other.case.pseudonym),
    ]


def test_the_briefing_names_no_one_and_a_stale_edit_is_refused(review, partners, reviewers):
    case = review.case
    child = case.children.first()
    lead = reviewers["lead"]
    words = {
        "summary": f"{case.pseudonym} was two when admitted.",
        "key_learning": "See the child\nShare concerns",
        "questions": "Who saw the child?",
    }
    briefing = services.save_briefing(review=review, user=lead, expected_version=0, **words)
    assert briefing.version == 1 and briefing.learning_list() == ["See the child", "Share concerns"]
    with pytest.raises(ValidationError) as refused:
        services.save_briefing(
            review=review,
            user=lead,
            expected_version=1,
            **{**words, "summary": f"{child.name.upper()} was two."},
        )
    assert "must not name the child" in refused.value.message_dict["summary"][0]
    surname = child.name.split()[-1]
    with pytest.raises(ValidationError, match="must not name the child"):
        services.save_briefing(
            review=review,
            user=lead,
            expected_version=1,
            **{**words, "questions": f"Did anyone ask the {surname} family?"},
        )
    with pytest.raises(ConcurrentEdit):
        services.save_briefing(review=review, user=lead, expected_version=0, **words)
    briefing.refresh_from_db()
    assert briefing.summary == words["summary"]  # nothing saved is lost


def test_a_recommendation_names_no_one(review, reviewers):
    """Recommendations are published and printed in the learning briefing: a child's name,
    their surname alone or a household member's name is refused, adding or correcting."""
    case, lead = review.case, reviewers["lead"]
    child = case.children.first()
    surname = child.name.split()[-1]
    for text in (
        f"Agencies should have listened to {child.name.lower()}",
        f"The {surname} family's GP should be asked",
    ):
        with pytest.raises(ValidationError) as refused:
            services.add_recommendation(review=review, user=lead, text=text)
        assert refused.value.message_dict["text"] == [
            services.RECOMMENDATION_NAMES_A_PERSON.format(pseudonym=case.pseudonym)
        ]
    assert not review.recommendations.exists()
    kept = recommend(review, lead, f"Agencies should have listened to {case.pseudonym}")
    with pytest.raises(ValidationError, match="must not name the child or their family"):
        services.change_recommendation(recommendation=kept, user=lead, text=f"Ask {child.name}")
    kept.refresh_from_db()
    assert kept.text == f"Agencies should have listened to {case.pseudonym}"


def draft_of(review, user, number=1):
    return ReportDraft.objects.create(
        review=review,
        number=number,
        file="drafts/x",
        original_name="report.pdf",
        content_type="application/pdf",
        size=10,
        sha256="0" * 64,
        uploaded_by=user,
    )


def test_a_recommendation_is_taken_from_a_version_of_this_reviews_report(
    review, partners, reviewers, today
):
    pdeo = partners["pdeo"]
    final = draft_of(review, pdeo, number=2)
    recommendation = services.add_recommendation(
        review=review, user=pdeo, text="Share early", draft=final
    )
    assert recommendation.draft == final
    other = services.start_local_review(
        case=CaseFactory(user=pdeo), user=pdeo, decided_on=today, decided_by="Partners"
    )
    with pytest.raises(ValidationError, match="Choose a version of this review's report"):
        services.add_recommendation(
            review=review, user=pdeo, text="Another", draft=draft_of(other, pdeo)
        )
    assert review.recommendations.count() == 1
