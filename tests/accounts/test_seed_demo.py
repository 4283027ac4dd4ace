import pytest
from django.core.management import call_command

from safeguarding.accounts.management.commands.seed_demo import DEMO_BACKUP_CODES, USERS
from safeguarding.accounts.models import Agency, User
from safeguarding.accounts.roles import Role

pytestmark = pytest.mark.django_db


def test_seed_demo_is_idempotent_and_gives_one_user_per_role(client):
    call_command("seed_demo", force=True)
    call_command("seed_demo", force=True)
    assert User.objects.count() == len(USERS)
    for role in Role.values:
        assert User.objects.filter(groups__name=role).exists(), role
    kinds = set(Agency.objects.values_list("kind", flat=True))
    assert {"local_authority", "police", "icb"} <= kinds


def test_demo_backup_codes_work_after_being_used(client):
    from django.urls import reverse

    call_command("seed_demo", force=True)
    email = "pdeo@northbridge.example"
    client.post(reverse("accounts:login"), {"username": email, "password": "demo-password-2026"})
    assert (
        client.post(reverse("accounts:two_factor"), {"code": DEMO_BACKUP_CODES[0]}).status_code
        == 302
    )
    client.post(reverse("accounts:logout"))
    call_command("seed_demo", force=True)  # resets the codes
    client.post(reverse("accounts:login"), {"username": email, "password": "demo-password-2026"})
    assert (
        client.post(reverse("accounts:two_factor"), {"code": DEMO_BACKUP_CODES[0]}).status_code
        == 302
    )
    assert client.get("/").status_code == 200


def test_the_demo_reads_like_a_real_partnership(client):
    """No tags on screen, children of varied ages, and each case's dates in the order things
    happen: the incident, the referral, the decision, the notification, the requests, the
    answers, the review."""
    from django.test import Client

    from cspr.demo import STORIES, demo_review_case
    from cspr.models import LocalReview
    from notifications.demo import CASES, demo_case
    from notifications.models import Notification, Referral
    from rapid_reviews.models import RapidReview
    from safeguarding.cases.models import Case
    from safeguarding.cases.timeline import case_timeline
    from safeguarding.contributions.models import ChronologyEntry, InformationRequest

    from ..helpers import verified_client

    call_command("seed_demo", force=True)
    assert Case.objects.count() == len(CASES) + len(STORIES)
    # The local reviews: one in progress, one published within its 6 months.
    in_progress = LocalReview.objects.get(case=demo_review_case("review-in-progress"))
    published = LocalReview.objects.get(case=demo_review_case("review-published"))
    assert in_progress.status == LocalReview.Status.COMMISSIONED
    assert published.status == LocalReview.Status.PUBLISHED
    assert published.decided_on < published.published_on
    assert published.terms.is_agreed and in_progress.terms.is_agreed
    # Both heard from practitioners and the family, and had a draft checked for accuracy.
    for local in (in_progress, published):
        event = local.learning_events.get()
        assert event.attendance_recorded and event.practitioners.filter(attended=True).count() == 2
        assert local.family_engagement.filter(response="agreed").exists()
        draft = local.drafts.get()
        assert draft.comments_closed_on and draft.circulated_to.count() == 2
        assert draft.comments.count() == 2
        assert not draft.comments.filter(responded_at__isnull=True).exists()
    pdeo = User.objects.get(email="pdeo@northbridge.example")
    browser = verified_client(Client(), pdeo)
    ages = set()
    for spec in CASES:
        case = demo_case(spec.key)
        child = case.children.get()
        ages.add(child.age_at(case.incident_date))
        for section in ("overview", "referral", "rapid-review", "agencies", "history"):
            html = browser.get(f"/cases/{case.reference}/", {"section": section}).content.decode()
            assert "[demo" not in html and "Demo Referrer" not in html, (spec.key, section)
        referral = Referral.objects.get(case=case)
        assert case.incident_date <= referral.received_on, spec.key
        if referral.decided_on:
            assert referral.received_on <= referral.decided_on, spec.key
        notification = Notification.objects.filter(case=case).first()
        if notification and notification.submitted_on:
            assert notification.la_aware_on <= notification.submitted_on, spec.key
        for request in InformationRequest.objects.filter(case=case):
            assert referral.decided_on <= request.requested_on, spec.key
            if request.submitted_on:
                assert request.requested_on <= request.submitted_on, spec.key
        for entry in ChronologyEntry.objects.filter(case=case):
            assert entry.date <= case.incident_date, spec.key
        review = RapidReview.objects.filter(case=case).first()
        if review:
            assert notification.la_aware_on <= review.opened_on, spec.key
            if review.sent_on:
                assert review.decided_on <= review.sent_on, spec.key
        history = [entry.when for entry in case_timeline(case)]
        assert history == sorted(history, reverse=True)
        assert history[-1].date() == referral.received_on  # the story starts at the referral
    assert len(ages) >= 6, ages  # babies, toddlers, children, teenagers, a care leaver
    assert min(ages) == 0 and max(ages) >= 18
