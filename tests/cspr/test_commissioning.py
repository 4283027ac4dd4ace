"""Commissioning: who is appointed, what it grants, what removing takes away, and D7."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from cspr import services
from cspr.models import Appointment, LocalReview
from safeguarding.audit.models import StatusChange
from safeguarding.cases.models import Case
from safeguarding.deadlines.models import Deadline
from safeguarding.deadlines.rules import Kind
from safeguarding.workflow import NotAllowed
from tests.factories import CaseFactory
from tests.helpers import verified_client

pytestmark = pytest.mark.django_db
R = Appointment.Role


@pytest.fixture
def review(signed_off):
    return LocalReview.objects.get(case=signed_off().case)


def test_commissioned_once_a_lead_reviewer_and_a_chair_are_appointed(review, partners, reviewers):
    pdeo = partners["pdeo"]
    services.appoint(review=review, user=pdeo, person=reviewers["lead"], role=R.LEAD_REVIEWER)
    review.refresh_from_db()
    assert review.status == LocalReview.Status.TO_COMMISSION
    services.appoint(review=review, user=pdeo, person=reviewers["chair"], role=R.REVIEW_CHAIR)
    review.refresh_from_db()
    assert review.status == LocalReview.Status.COMMISSIONED
    assert StatusChange.objects.filter(object_id=str(review.pk), transition="commission").exists()
    team = set(review.case.team.values_list("user__full_name", "role"))
    assert ("Lena Reviewer", "lead_reviewer") in team
    assert ("Lee Council", "review_chair") in team


def test_one_case_review_panel_member_per_agency_and_a_warning_kept(review, partners, reviewers):
    pdeo = partners["pdeo"]
    member = services.appoint(
        review=review,
        user=pdeo,
        person=reviewers["police_member"],
        role=R.CRP_MEMBER,
        directly_involved=True,
    )
    assert member.agency == partners["police"] and member.directly_involved
    with pytest.raises(ValidationError, match="Northbridge Police already has a member"):
        services.appoint(
            review=review, user=pdeo, person=reviewers["police_member_2"], role=R.CRP_MEMBER
        )
    # A lead reviewer is never "directly involved" by this flag: it is the CRP's.
    lead = services.appoint(
        review=review,
        user=pdeo,
        person=reviewers["lead"],
        role=R.LEAD_REVIEWER,
        directly_involved=True,
    )
    assert not lead.directly_involved


def test_no_one_appoints_themselves_and_only_the_commissioner_appoints(
    review, partners, reviewers, make_user
):
    from safeguarding.accounts.roles import Role

    pdeo_reviewer = make_user(Role.PDEO, Role.LEAD_REVIEWER, agency=partners["la"])
    with pytest.raises(ValidationError, match="cannot appoint yourself"):
        services.appoint(
            review=review, user=pdeo_reviewer, person=pdeo_reviewer, role=R.LEAD_REVIEWER
        )
    with pytest.raises(PermissionDenied):
        services.appoint(
            review=review, user=reviewers["lead"], person=reviewers["lead"], role=R.LEAD_REVIEWER
        )
    with pytest.raises(ValidationError, match="cannot be the review's Lead Reviewer"):
        services.appoint(
            review=review, user=partners["pdeo"], person=reviewers["chair"], role=R.LEAD_REVIEWER
        )
    assert not Appointment.objects.exists()


def test_the_lead_reviewer_reads_only_their_reviews_and_loses_access_when_removed(
    review, partners, reviewers
):
    pdeo = partners["pdeo"]
    lead = reviewers["lead"]
    other = LocalReview.objects.get(
        case=services.start_local_review(
            case=CaseFactory(user=pdeo), user=pdeo, decided_on=date(2026, 11, 2), decided_by="X"
        ).case
    )
    services.appoint(review=other, user=pdeo, person=reviewers["other_lead"], role=R.LEAD_REVIEWER)
    appointment = services.appoint(review=review, user=pdeo, person=lead, role=R.LEAD_REVIEWER)
    assert list(Case.objects.readable_by(lead)) == [review.case]
    client = verified_client(Client(), lead)
    page = reverse("cspr:detail", kwargs={"reference": review.case.reference})
    assert client.get(page).status_code == 200
    assert (
        client.get(reverse("cspr:detail", kwargs={"reference": other.case.reference})).status_code
        == 404
    )
    services.remove(appointment=appointment, user=pdeo, reason="Unwell")
    # At once: the next request is refused, and the appointment is kept with who removed them.
    assert client.get(page).status_code == 404
    assert (
        client.get(reverse("cases:detail", kwargs={"reference": review.case.reference})).status_code
        == 404
    )
    assert list(Case.objects.readable_by(lead)) == []
    appointment.refresh_from_db()
    assert appointment.removed_by == pdeo and appointment.removal_reason == "Unwell"
    assert not review.case.team.filter(user=lead).exists()
    with pytest.raises(NotAllowed, match="already been removed"):
        services.remove(appointment=appointment, user=pdeo)


def test_removing_one_role_keeps_access_held_through_another(review, partners, reviewers):
    pdeo = partners["pdeo"]
    member = reviewers["police_member"]
    crp = services.appoint(review=review, user=pdeo, person=member, role=R.CRP_MEMBER)
    services.appoint(review=review, user=pdeo, person=member, role=R.REVIEW_CHAIR)
    services.remove(appointment=crp, user=pdeo)
    assert review.case in Case.objects.readable_by(member)


def test_d7_is_met_when_the_notification_naming_the_reviewer_is_sent(
    review, partners, reviewers, today
):
    pdeo = partners["pdeo"]
    with pytest.raises(NotAllowed, match="Appoint the Lead Reviewer first"):
        services.record_national_panel_told(
            review=review, user=pdeo, told_on=today, reviewer_named="Lena Reviewer"
        )
    services.appoint(review=review, user=pdeo, person=reviewers["lead"], role=R.LEAD_REVIEWER)
    with pytest.raises(ValidationError, match="today or in the past"):
        services.record_national_panel_told(
            review=review, user=pdeo, told_on=date(2026, 11, 25), reviewer_named="Lena"
        )
    services.record_national_panel_told(
        review=review, user=pdeo, told_on=today, reviewer_named="Lena Reviewer"
    )
    d7 = Deadline.objects.get(kind=Kind.NOTIFY_LCSPR_DECISION, object_id=review.pk)
    assert (d7.status, d7.met_on) == (Deadline.Status.MET, today)


def test_the_commissioning_pages(review, partners, reviewers):
    client = verified_client(Client(), partners["pdeo"])
    ref = review.case.reference
    team = reverse("cspr:team", kwargs={"reference": ref})
    page = client.get(team)
    assert page.status_code == 200
    response = client.post(team, {"role": "lead_reviewer", "person": partners["pdeo"].pk})
    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()
    response = client.post(
        team,
        {
            "role": "crp_member",
            "person": reviewers["hospital_member"].pk,
            "directly_involved": "on",
        },
        follow=True,
    )
    assert "directly involved with the family" in response.content.decode()
    appointment = Appointment.objects.get(user=reviewers["hospital_member"])
    response = client.post(
        reverse("cspr:remove", kwargs={"reference": ref, "appointment_id": appointment.pk}),
        follow=True,
    )
    assert "no longer have access" in response.content.decode()
    listing = client.get(reverse("cspr:to_commission")).content.decode()
    assert ref in listing and "How was information shared?" in listing
    home = client.get(reverse("home")).content.decode()
    assert "Reviews to commission" in home and ref in home
