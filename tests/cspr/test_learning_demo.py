"""The demo's published local review has a part-done action plan (one action closed on
evidence, one overdue), signed off by the Case Review Group and the Executive, a learning
briefing and themes; its case is in action plan monitoring."""

import os

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from cspr import selectors, services
from cspr.demo import demo_review_case
from cspr.models import Approval, LocalReview
from safeguarding.accounts.models import User
from safeguarding.actions.models import Action
from safeguarding.cases.models import Case
from tests.helpers import verified_client

pytestmark = pytest.mark.django_db


def test_the_published_demo_review_has_a_part_done_plan_a_briefing_and_themes(db):
    call_command("seed_demo", force=True, stdout=open(os.devnull, "w"))
    call_command("seed_demo", force=True, stdout=open(os.devnull, "w"))  # adds nothing twice
    case = demo_review_case("review-published")
    review = LocalReview.objects.get(case=case)
    assert review.status == LocalReview.Status.PUBLISHED
    assert (case.stage, case.status) == (Case.Stage.MONITORING, Case.Status.OPEN)
    assert review.recommendations.count() == 2
    actions = services.plan_actions(review)
    assert actions.count() == 3
    assert actions.overdue().count() == 1
    assert actions.overdue().get().owner_agency.name == "Northbridge Police"
    assert actions.filter(status=Action.Status.CLOSED).count() == 1
    assert list(
        review.approvals.filter(subject=Approval.Subject.ACTION_PLAN).values_list("step", flat=True)
    ) == ["crg", "executive"]
    briefing = selectors.briefing(review)
    assert briefing is not None and case.pseudonym in briefing.summary
    assert "Whitfield" not in briefing.summary  # the demo child's surname
    assert [t.name for t in selectors.themes_of(review)] == [
        "Information sharing between agencies",
        "Neglect",
        "Professional curiosity",
    ]
    # Neglect and information sharing recur across the two demo reviews.
    pdeo = User.objects.get(email="pdeo@northbridge.example")
    counts = {t.name: n for t, n, _, _ in selectors.themes_across_reviews(pdeo)}
    assert counts["Neglect"] == 2 and counts["Information sharing between agencies"] == 2
    client = verified_client(Client(), pdeo)
    page = client.get(reverse("cspr:action_plan", kwargs={"reference": case.reference}))
    html = page.content.decode()
    assert page.status_code == 200 and "1 overdue" in html
    assert "Signed off by the Executive" in html
