"""'Waiting for you' on the demo partnership: each person's list is exactly what they owe."""

import os
import re

import pytest
from django.core.management import call_command
from django.test import Client

from cspr.demo import demo_review_case
from notifications.demo import demo_case
from safeguarding import home
from safeguarding.accounts.models import User
from safeguarding.accounts.roles import USE_SERVICE
from safeguarding.deadlines import links

from ..helpers import verified_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    call_command("seed_demo", force=True, stdout=open(os.devnull, "w"))
    return {
        key: demo_case(key).reference
        for key in (
            "awaiting-screening",
            "notified-on-time",
            "notified-late",
            "due-tomorrow",
            "looked-after-death",
            "care-leaver-death",
        )
    }


def owed(email):
    user = User.objects.get(email=email)
    return sorted((o.case.split(" – ")[0], o.text) for o in home.waiting_for(user).items)


D1, D2, D5 = (
    "Notify the national Panel",
    "Tell the safeguarding partners",
    "Send the rapid review to the national Panel",
)
SIGN = "Sign off the rapid review's decision for your organisation"
SCREEN = "Record the screening decision"


def test_the_school_contributor_owes_its_overdue_request(demo):
    assert owed("contributor.school@northbridge.example") == [
        (demo["notified-on-time"], "Answer the request for information")
    ]


def test_the_police_contributor_owes_the_response_returned_to_it(demo):
    # Its answer on the notified-on-time case is submitted: the PDEO's to accept, not its.
    assert owed("contributor.police@northbridge.example") == [
        (demo["notified-late"], "Amend and resubmit your agency's response")
    ]


def test_the_hospital_contributor_owes_nothing(demo):
    assert owed("contributor.health@northbridge.example") == []


def test_a_partner_owes_the_sign_off_its_organisation_has_not_given(demo):
    # The local authority signed the notified-late decision; the police and the ICB have not.
    assert owed("panel.police@northbridge.example") == [(demo["notified-late"], SIGN)]
    assert owed("panel.health@northbridge.example") == [(demo["notified-late"], SIGN)]
    # The Panel Chair chairs the demo local review in progress: its clocks are theirs too.
    review = demo_review_case("review-in-progress").reference
    assert owed("chair@northbridge.example") == sorted(
        [
            (demo["notified-late"], SIGN),
            (demo["awaiting-screening"], SCREEN),
            (review, "Check the local review's progress"),
            (review, "Complete and publish the local review"),
        ]
    )
    assert owed("deputy.chair@northbridge.example") == [(demo["awaiting-screening"], SCREEN)]
    assert owed("executive@northbridge.example") == []  # sees no case: not on a team


def test_the_lead_reviewer_owes_the_clocks_of_the_review_they_lead(demo):
    review = demo_review_case("review-in-progress").reference
    assert owed("lead.reviewer@northbridge.example") == [
        (review, "Check the local review's progress"),
        (review, "Complete and publish the local review"),
    ]


def test_the_pdeo_owes_the_case_leads_clocks_reviews_and_screening(demo):
    on_time, late = demo["notified-on-time"], demo["notified-late"]
    tomorrow, lac, leaver = (
        demo["due-tomorrow"],
        demo["looked-after-death"],
        demo["care-leaver-death"],
    )
    assert owed("pdeo@northbridge.example") == sorted(
        [
            (demo["awaiting-screening"], SCREEN),
            (on_time, D5),
            (on_time, "Accept or return Northbridge Police's response"),
            (
                on_time,
                "Get an answer from Wyre Community Health Services another way: nobody there "
                "has an account",
            ),
            (late, D5),
            (tomorrow, D1),
            (tomorrow, D2),
            (tomorrow, D5),
            (lac, D1),
            (lac, D2),
            (lac, "Notify the Secretary of State and Ofsted (looked-after child)"),
            (lac, D5),
            (leaver, D1),
            (leaver, D2),
            (leaver, "Notify the Secretary of State and Ofsted (care leaver)"),
            # No D5 for the care leaver; the sent review's reply is the national Panel's.
        ]
    )


def test_the_home_page_and_the_navigation_show_the_same_count(demo):
    pdeo = User.objects.get(email="pdeo@northbridge.example")
    html = verified_client(Client(), pdeo).get("/requests/").content.decode()
    assert 'data-testid="waiting-count">15<' in html
    home_page = verified_client(Client(), pdeo).get("/").content.decode()
    assert "Waiting for you (15)" in home_page
    assert home_page.count('data-testid="waiting-item"') == 15


def test_everything_on_each_persons_home_page_opens_for_them(demo):
    """Every link on "Your work", for everyone in the demo partnership, opens for them: what
    they owe links to where it is done when that page lets them in, else to its case (the
    lead reviewer and the Chair are reminded of the progress check, which the partners
    record)."""
    refused, opened = [], 0
    for user in User.objects.filter(is_active=True).order_by("email"):
        if not user.has_perm(USE_SERVICE):
            continue
        client = verified_client(Client(), user)
        html = client.get("/").content.decode()
        for href in set(re.findall(r'<a [^>]*href="(/[^"#]*)"', html)):
            href = href.replace("&amp;", "&")
            status = client.get(href, follow=True).status_code
            opened += 1
            if status != 200:
                refused.append(f"{user.email}: {href} ({status})")
    assert not refused, "\n".join(refused)
    assert opened > 100  # the walk really walked


def test_the_lead_reviewer_is_sent_to_the_case_for_the_progress_check(demo):
    review = demo_review_case("review-in-progress")
    lead = User.objects.get(email="lead.reviewer@northbridge.example")
    pdeo = User.objects.get(email="pdeo@northbridge.example")
    progress = next(
        o for o in home.waiting_for(lead).items if o.text == "Check the local review's progress"
    )
    assert progress.href == f"/cases/{review.reference}/"
    assert verified_client(Client(), lead).get(progress.href).status_code == 200
    # The partners record it: for the PDEO the clock's link is the progress check itself.
    clock = review.deadlines.get(kind="progress_check", met_on__isnull=True)
    assert links.href_for(clock, pdeo) == f"/cases/{review.reference}/local-review/progress/"
    assert links.href_for(clock, lead) is None
