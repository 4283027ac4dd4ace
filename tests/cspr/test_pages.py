"""The review's task list with its clocks, the Lead Reviewer's and the Chair's home pages, the
6-month clock on the case page and What's due, and the local reviews' figures."""

import re
from datetime import date

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from cspr import services
from cspr.models import Appointment, LocalReview
from safeguarding.accounts.roles import Role
from safeguarding.reports.figures import figure
from safeguarding.reports.periods import Period
from tests.helpers import page_reads, reads_beyond_its_lines, verified_client

pytestmark = pytest.mark.django_db
R = Appointment.Role


@pytest.fixture
def review(signed_off, partners, reviewers):
    review = LocalReview.objects.get(case=signed_off().case)
    services.appoint(
        review=review, user=partners["pdeo"], person=reviewers["lead"], role=R.LEAD_REVIEWER
    )
    return review


def test_the_task_list_shows_each_stage_with_its_status_and_clock(review, partners):
    client = verified_client(Client(), partners["pdeo"])
    html = client.get(reverse("cspr:detail", kwargs={"reference": review.case.reference}))
    html = html.content.decode()
    for stage in (
        "Commission the review",
        "Tell the national Panel, Ofsted and DfE",
        "Agree the terms of reference",
        "Gather information from agencies",
        "Check progress every 8 weeks",
        "Approve the final report",
        "Publish the report",
    ):
        assert stage in html
    assert "govuk-task-list" in html
    assert "Due 24 May 2027" in html  # D8, 6 months from the third sign-off
    assert "working days left" in html


def test_the_lead_reviewers_home_lists_only_their_reviews_and_what_they_owe(
    review, partners, reviewers
):
    lead = verified_client(Client(), reviewers["lead"])
    home = lead.get(reverse("home")).content.decode()
    assert "Your local reviews" in home
    assert review.case.reference in home
    assert "Complete and publish the local review" in home  # owed: D8
    other = verified_client(Client(), reviewers["other_lead"])
    assert review.case.reference not in other.get(reverse("home")).content.decode()
    # Not the clocks others owe on the cases they can see: those are on What's due, which
    # lists the review's other clocks (the case lead's notification of the decision).
    assert "Coming up across the partnership" not in home
    due = lead.get(reverse("whats_due")).content.decode()
    assert review.case.reference in due and "Tell the national Panel" in due


def test_a_lead_reviewer_with_a_partnership_role_too_sees_what_is_coming_up(
    review, partners, reviewers
):
    member = reviewers["hospital_member"]
    member.groups.add(Group.objects.get(name=Role.LEAD_REVIEWER))
    home = verified_client(Client(), member).get(reverse("home")).content.decode()
    assert "Coming up across the partnership" in home
    pdeo = verified_client(Client(), partners["pdeo"]).get(reverse("home")).content.decode()
    assert "Coming up across the partnership" in pdeo


def test_the_six_month_clock_on_the_chairs_home_the_case_and_whats_due(review, partners):
    chair = verified_client(Client(), partners["icb_signer"])
    home = chair.get(reverse("home")).content.decode()
    assert "Local reviews in progress" in home and "to publish by 24 May 2027" in home
    case_page = chair.get(
        reverse("cases:detail", kwargs={"reference": review.case.reference})
        + "?section=local-review"
    ).content.decode()
    assert "Complete and publish the local review" in case_page
    due = chair.get(reverse("whats_due")).content.decode()
    assert "Complete and publish the local review" in due


def test_the_home_pages_lists_of_reviews_read_only_what_they_show(review, partners, reviewers):
    """The reviews in progress (the Chair's home) and the Lead Reviewer's own show each case's
    reference, pseudonym and the review's status: they never read the decision's reasons or the
    case's outline (free text about the child), and no field they show costs a query of its
    own."""
    for person, title in (
        (partners["icb_signer"], "Local reviews in progress"),
        (reviewers["lead"], "Your local reviews"),
    ):
        home, selects = page_reads(verified_client(Client(), person), reverse("home"))
        section = home.split(title)[1]
        assert f"{review.case.reference} – {review.case.pseudonym}" in section
        # The reviews' own query (its 6-month clock's date is a subquery in its select list).
        listed = [s for s in selects if re.match(r'SELECT (DISTINCT )?"cspr_localreview"\.', s)]
        assert listed, title
        assert not reads_beyond_its_lines(selects), title


def test_the_local_review_figures(review, partners, reviewers):
    period = Period(date(2026, 4, 1), date(2027, 3, 31))
    result = figure("local_reviews").compute(period)
    assert result.rows[0] == ["Started (decided)", 1]
    in_time = figure("local_reviews_in_time").compute(period)
    assert in_time.rows[2] == ["Not yet due", 1]
