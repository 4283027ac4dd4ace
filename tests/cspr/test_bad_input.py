"""Bad input, generated, on every form of a local review and of the action plan: a GOV.UK error
summary or a save, never a 500; and a refused post leaves what was saved as it was."""

import re

import pytest
from django.forms.models import model_to_dict
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cspr import services
from cspr.models import Appointment, LearningTheme, LocalReview
from safeguarding.accounts.roles import Role
from safeguarding.actions import services as actions
from safeguarding.actions.models import Action
from tests.factories import UserFactory
from tests.helpers import verified_client

from ..security.test_bad_input import junk

pytestmark = pytest.mark.django_db
R = Appointment.Role
# Hidden fields that only carry the page's own state (the form's version, its one-time token)
# keep their values: junk in them is a stale form, tested elsewhere.
KEEP = {"csrfmiddlewaretoken", "version", "expected_version", "form_token"}

REVIEW_FORMS = [
    "team",
    "told",
    "terms",
    "progress",
    "reviewer_requests",
    "delay",
    "approval",
    "plan_publication",
    "report_sent",
    "publish",
    "late_reason",
    "drafts",
    "learning_events",
    "family",
    "first_meeting",
]
ACTION_FORMS = ["new", "update", "propose_closure", "decide_closure", "carry"]


@pytest.fixture
def review(signed_off, partners, reviewers):
    review = LocalReview.objects.get(case=signed_off().case)
    pdeo = partners["pdeo"]
    services.appoint(review=review, user=pdeo, person=reviewers["lead"], role=R.LEAD_REVIEWER)
    services.appoint(review=review, user=pdeo, person=reviewers["chair"], role=R.REVIEW_CHAIR)
    return review


def form_fields(html):
    """The names the page's main form posts (the one with the most fields: the header's
    sign-out form has none of its own), with the values of those it keeps."""
    forms = re.findall(r'<form[^>]*method="post"[^>]*>(.*?)</form>', html, re.S)
    assert forms, "the page has a form"
    form = max(forms, key=lambda f: len(set(re.findall(r'name="([^"]+)"', f)) - KEEP))
    names = dict.fromkeys(re.findall(r'name="([^"]+)"', form), "")
    for name, value in re.findall(r'name="([^"]+)"[^>]*value="([^"]*)"', form):
        if name in KEEP:
            names[name] = value
    return names


def hammer(client, url, saved):
    page = client.get(url)
    assert page.status_code == 200, url
    fields = form_fields(page.content.decode())
    junk_fields = [name for name in fields if name not in KEEP]
    assert junk_fields, url

    @settings(
        max_examples=12,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(st.fixed_dictionaries({name: junk for name in junk_fields}))
    def post(data):
        before = saved()
        kept = {name: value for name, value in fields.items() if name in KEEP}
        response = client.post(url, {**kept, **data})
        assert response.status_code in (200, 302), (url, response.status_code)
        if response.status_code == 200:
            assert "govuk-error-summary" in response.content.decode(), url
            assert saved() == before, f"{url}: a refused post changed what was saved"

    post()


@pytest.mark.parametrize("route", REVIEW_FORMS)
def test_junk_never_breaks_a_local_review_form(review, partners, route):
    client = verified_client(Client(), partners["pdeo"])
    url = reverse(f"cspr:{route}", kwargs={"reference": review.case.reference})

    def saved():
        return model_to_dict(LocalReview.objects.get(pk=review.pk))

    hammer(client, url, saved)


@pytest.mark.parametrize("route", ACTION_FORMS)
def test_junk_never_breaks_an_action_form(review, partners, route):
    pdeo = partners["pdeo"]
    police = partners["police"]
    action = actions.set_action(
        user=pdeo,
        description="Audit information sharing",
        owner_agency=police,
        owner=None,
        set_on=review.decided_on,
        due_date=review.decided_on.replace(year=review.decided_on.year + 1),
        measure_of_success="Every concern shared within a day",
        case=review.case,
    )
    # The owner agency's people update and propose closing; the PDEO decides.
    owner = UserFactory(roles=[Role.AGENCY_CONTRIBUTOR], agency=police)
    if route == "decide_closure":
        actions.propose_closure(action=action, user=owner, evidence="Re-audit of 20 cases")
    by_owner = route in ("update", "propose_closure")
    client = verified_client(Client(), owner if by_owner else pdeo)
    args = [] if route == "new" else [action.pk]
    url = reverse(f"actions:{route}", args=args)

    def saved():
        return model_to_dict(Action.objects.get(pk=action.pk))

    hammer(client, url, saved)


LEARNING_FORMS = [
    "recommendation_add",
    "recommendation_action",
    "plan_sign_off",
    "themes",
    "briefing",
]


@pytest.mark.parametrize("route", LEARNING_FORMS)
def test_junk_never_breaks_a_learning_form(review, partners, route):
    """The action plan's forms, the themes and the briefing: what they save is the plan, its
    sign-offs, the tags and the briefing, so a refused post must leave all of those as they
    were."""
    LearningTheme.objects.create(name="Neglect")
    recommendation = services.add_recommendation(
        review=review, user=partners["pdeo"], text="Share concerns early"
    )
    client = verified_client(Client(), partners["pdeo"])
    kwargs = {"reference": review.case.reference}
    if route == "recommendation_action":
        kwargs["recommendation_id"] = recommendation.pk
    url = reverse(f"cspr:{route}", kwargs=kwargs)

    def saved():
        return (
            list(review.recommendations.values_list("number", "text")),
            list(services.plan_actions(review).values_list("description", "due_date")),
            list(review.approvals.values_list("subject", "step")),
            list(review.theme_tags.values_list("theme_id", flat=True)),
            list(LocalReview.objects.filter(pk=review.pk).values_list("briefing__summary")),
        )

    hammer(client, url, saved)
