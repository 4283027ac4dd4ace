"""The national Panel's reply: agrees (nothing changes), challenges (a revised decision signed
again by the three partners recomputes or cancels D7 and D8), national review (D8 cancelled,
the partnership's part tracked instead)."""

from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from cspr import services
from cspr.models import LocalReview, NoLocalReview, RevisedDecision
from rapid_reviews import services as rapid_reviews
from safeguarding.cases.models import Case
from safeguarding.deadlines.models import Deadline
from safeguarding.deadlines.rules import Kind
from safeguarding.workflow import NotAllowed
from tests.helpers import verified_client

pytestmark = pytest.mark.django_db


def sent_and_replied(rapid, pdeo, outcome, on=date(2026, 11, 24)):
    with time_machine.travel(on, tick=False):
        rapid_reviews.make_final(review=rapid, user=pdeo)
        rapid_reviews.send_to_national_panel(review=rapid, user=pdeo, sent_on=on)
        rapid_reviews.record_reply(
            review=rapid, user=pdeo, received_on=on, outcome=outcome, comments="Our view"
        )
    rapid.refresh_from_db()
    return rapid


def clocks(case):
    return {
        d.kind: d
        for d in Deadline.objects.filter(
            case=case, kind__in=[Kind.NOTIFY_LCSPR_DECISION, Kind.LCSPR_PUBLISHED]
        )
    }


def sign_revision(revision, partners, on):
    for who in ("police_signer", "la_signer", "icb_signer"):
        with time_machine.travel(on, tick=False):
            services.sign_revised_decision(revision=revision, user=partners[who])
    revision.refresh_from_db()
    return revision


def test_agrees_changes_nothing(signed_off, partners):
    rapid = signed_off(on=date(2026, 11, 24))
    before = {k: (d.due_date, d.status) for k, d in clocks(rapid.case).items()}
    sent_and_replied(rapid, partners["pdeo"], "agrees")
    assert {k: (d.due_date, d.status) for k, d in clocks(rapid.case).items()} == before
    assert LocalReview.objects.get(case=rapid.case).status == LocalReview.Status.TO_COMMISSION


def test_a_national_review_cancels_d8_and_tracks_the_partnerships_part(signed_off, partners):
    rapid = signed_off(on=date(2026, 11, 24))
    sent_and_replied(rapid, partners["pdeo"], "national_review")
    review = LocalReview.objects.get(case=rapid.case)
    assert review.status == LocalReview.Status.NATIONAL_REVIEW
    assert clocks(rapid.case)[Kind.LCSPR_PUBLISHED].status == Deadline.Status.CANCELLED
    with time_machine.travel(date(2026, 12, 1), tick=False):
        services.record_national_review_update(
            review=review,
            user=partners["pdeo"],
            on=date(2026, 12, 1),
            note="Chronology sent to the national Panel's reviewer",
        )
    assert review.national_updates.count() == 1


def test_a_challenge_needs_reasons_and_takes_effect_only_when_all_three_sign(signed_off, partners):
    rapid = signed_off(decision="no_further_action", on=date(2026, 11, 24))
    chair = partners["icb_signer"]  # the Panel Chair
    with pytest.raises(NotAllowed, match="follows the national Panel challenging"):
        services.record_revised_decision(
            rapid_review=rapid, user=chair, decision="lcspr", reasons="Because"
        )
    sent_and_replied(rapid, partners["pdeo"], "challenges")
    with pytest.raises(ValidationError, match="Give the reasons"):
        services.record_revised_decision(
            rapid_review=rapid, user=chair, decision="lcspr", reasons="  "
        )
    revision = services.record_revised_decision(
        rapid_review=rapid, user=chair, decision="lcspr", reasons="The Panel's challenge"
    )
    with time_machine.travel(date(2026, 12, 1), tick=False):
        services.sign_revised_decision(revision=revision, user=partners["police_signer"])
        services.sign_revised_decision(revision=revision, user=partners["la_signer"])
    assert not LocalReview.objects.exists()  # two of three: nothing yet
    with pytest.raises(NotAllowed, match="already signed"):
        services.sign_revised_decision(revision=revision, user=partners["la_signer"])
    with time_machine.travel(date(2026, 12, 2), tick=False):
        services.sign_revised_decision(revision=revision, user=partners["icb_signer"])
    revision.refresh_from_db()
    assert revision.status == RevisedDecision.Status.IN_EFFECT
    review = LocalReview.objects.get(case=rapid.case)
    assert review.decided_on == date(2026, 12, 2)
    found = clocks(rapid.case)
    assert found[Kind.NOTIFY_LCSPR_DECISION].due_date == date(2026, 12, 9)
    assert found[Kind.LCSPR_PUBLISHED].due_date == date(2027, 6, 2)
    rapid.case.refresh_from_db()
    assert (rapid.case.stage, rapid.case.status) == (Case.Stage.LOCAL_REVIEW, Case.Status.OPEN)
    assert NoLocalReview.objects.get(case=rapid.case).superseded


def test_a_revised_decision_recomputes_or_cancels_d7_and_d8(signed_off, partners):
    rapid = signed_off(on=date(2026, 11, 24))
    sent_and_replied(rapid, partners["pdeo"], "challenges")
    chair = partners["icb_signer"]
    # Still a local review, decided again later: the clocks count from the new date.
    revision = services.record_revised_decision(
        rapid_review=rapid, user=chair, decision="lcspr", reasons="Reconsidered the scope"
    )
    sign_revision(revision, partners, date(2026, 11, 30))
    found = clocks(rapid.case)
    assert found[Kind.LCSPR_PUBLISHED].anchor_date == date(2026, 11, 30)
    assert found[Kind.LCSPR_PUBLISHED].due_date == date(2027, 5, 30)
    assert found[Kind.NOTIFY_LCSPR_DECISION].due_date == date(2026, 12, 7)
    # Then no local review after all: both clocks cancelled, never deleted.
    revision = services.record_revised_decision(
        rapid_review=rapid,
        user=chair,
        decision="other_learning",
        learning_activity="single_agency",
        reasons="A single-agency review is enough",
    )
    sign_revision(revision, partners, date(2026, 12, 1))
    found = clocks(rapid.case)
    assert {d.status for d in found.values()} == {Deadline.Status.CANCELLED}
    assert LocalReview.objects.get(case=rapid.case).status == LocalReview.Status.STOPPED
    assert NoLocalReview.objects.get(case=rapid.case).learning_activity == "single_agency"


def test_the_revised_decision_pages(signed_off, partners):
    rapid = signed_off(decision="no_further_action")
    sent_and_replied(rapid, partners["pdeo"], "challenges")
    ref = rapid.case.reference
    chair = verified_client(Client(), partners["icb_signer"])
    page = reverse("cspr:revise", kwargs={"reference": ref})
    refused = chair.post(page, {"decision": "lcspr", "reasons": ""})
    assert refused.status_code == 200
    assert "Give the reasons for the revised decision" in refused.content.decode()
    done = chair.post(page, {"decision": "lcspr", "reasons": "The challenge"}, follow=True)
    assert "must now sign it" in done.content.decode()
    police = verified_client(Client(), partners["la_signer"])
    case_page = police.get(reverse("cases:detail", kwargs={"reference": ref})).content.decode()
    assert "Sign the revised decision" in case_page
