"""Local reviews start from a rapid review the three partners sign off: helpers to get there."""

from datetime import date

import pytest
import time_machine

from rapid_reviews import services as rapid_reviews
from rapid_reviews.models import CriterionAnswer
from safeguarding.accounts.roles import Role
from tests.factories import AgencyFactory, UserFactory


def decide(review, pdeo, *, decision="lcspr", decided_on=date(2026, 11, 23), **extra):
    rapid_reviews.save_criteria(
        review=review,
        user=pdeo,
        answers={code: ("yes", f"Because {code}") for code in CriterionAnswer.Criterion.values},
    )
    return rapid_reviews.record_decision(
        review=review,
        user=pdeo,
        decision=decision,
        rationale="Learning about working together",
        national_review_view="no",
        decided_on=decided_on,
        decided_at_meeting="Chair, police, ICB, local authority",
        **extra,
    )


def sign_off_all(review, partners, *, on=None):
    """The three partners sign; the third on `on` (the decision's date)."""
    for who in ("police_signer", "la_signer"):
        rapid_reviews.sign_off(review=review, user=partners[who])
    if on is None:
        rapid_reviews.sign_off(review=review, user=partners["icb_signer"])
    else:
        with time_machine.travel(on, tick=False):
            rapid_reviews.sign_off(review=review, user=partners["icb_signer"])


@pytest.fixture
def signed_off(notified_case, partners):
    """A rapid review deciding on a local review, signed off by all three partners (today)."""

    def make(decision="lcspr", on=None, **extra):
        review = rapid_reviews.open_rapid_review(case=notified_case, user=partners["pdeo"])
        rapid_reviews.save_section(
            review=review,
            user=partners["pdeo"],
            section="key-lines-of-enquiry",
            expected_version=review.version,
            completed=True,
            key_lines_of_enquiry="How was information shared?\nWas the child's voice heard?",
        )
        review.refresh_from_db()
        decide(review, partners["pdeo"], decision=decision, **extra)
        sign_off_all(review, partners, on=on)
        review.refresh_from_db()
        return review

    return make


@pytest.fixture
def reviewers(partners):
    independent = AgencyFactory(name="Independent reviewers", kind="other")
    return {
        "lead": UserFactory(
            roles=[Role.LEAD_REVIEWER], agency=independent, full_name="Lena Reviewer"
        ),
        "other_lead": UserFactory(
            roles=[Role.LEAD_REVIEWER], agency=independent, full_name="Otto Reviewer"
        ),
        "chair": partners["la_signer"],
        "police_member": partners["police_signer"],
        "hospital_member": UserFactory(
            roles=[Role.PANEL_MEMBER], agency=partners["hospital"], full_name="Hana Hospital"
        ),
        "police_member_2": UserFactory(
            roles=[Role.PANEL_MEMBER], agency=partners["police"], full_name="Pip Police"
        ),
    }
