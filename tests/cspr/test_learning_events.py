"""Learning events and feedback sessions, and the family's part: recorded by the review's
people, seen only by those who may read the case (the notes and contributions identify the
family), refused with a clear reason on bad input, nothing saved lost."""

from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cspr import services
from cspr.models import Appointment, EventPractitioner, FamilyEngagement, LearningEvent, LocalReview
from safeguarding.accounts.roles import Role
from safeguarding.workflow import ConcurrentEdit, NotAllowed
from tests.factories import UserFactory
from tests.helpers import verified_client

pytestmark = pytest.mark.django_db
R = Appointment.Role


@pytest.fixture
def review(signed_off, partners, reviewers):
    review = LocalReview.objects.get(case=signed_off().case)  # decided 24 November 2026
    pdeo = partners["pdeo"]
    services.appoint(review=review, user=pdeo, person=reviewers["lead"], role=R.LEAD_REVIEWER)
    services.appoint(review=review, user=pdeo, person=reviewers["police_member"], role=R.CRP_MEMBER)
    review.refresh_from_db()
    return review


def url(name, review, *args):
    return reverse(name, args=[review.case.reference, *args])


def test_an_event_its_practitioners_and_who_attended(review, reviewers, partners):
    lead = reviewers["lead"]
    event = services.record_learning_event(
        review=review, user=lead, kind="learning_event", held_on=date(2026, 12, 9)
    )
    sam = services.invite_practitioner(
        event=event, user=lead, agency=partners["hospital"], who="Sam Patel, health visitor"
    )
    kim = services.invite_practitioner(
        event=event, user=lead, agency=partners["police"], who="Kim Lee, PC"
    )
    with pytest.raises(ValidationError, match="already invited"):
        services.invite_practitioner(
            event=event, user=lead, agency=partners["police"], who="kim lee, pc"
        )
    with pytest.raises(NotAllowed, match="record who attended on or after that day"):
        services.record_attendance(event=event, user=lead, attended=[sam], notes="Early")
    with time_machine.travel(date(2026, 12, 9), tick=False):
        services.record_attendance(
            event=event, user=lead, attended=[sam], notes="Handovers were by phone"
        )
    event.refresh_from_db()
    assert event.attendance_recorded and event.notes == "Handovers were by phone"
    assert [p.pk for p in event.practitioners.filter(attended=True)] == [sam.pk]
    assert not EventPractitioner.objects.get(pk=kim.pk).attended


def test_bad_input_on_an_event_is_refused_and_nothing_is_saved(review, reviewers, partners):
    lead = reviewers["lead"]
    with pytest.raises(ValidationError) as refused:
        services.record_learning_event(review=review, user=lead, kind="party", held_on=None)
    assert set(refused.value.message_dict) == {"kind", "held_on"}
    with pytest.raises(ValidationError, match="cannot be before the decision"):
        services.record_learning_event(
            review=review, user=lead, kind="feedback", held_on=date(2026, 11, 1)
        )
    with pytest.raises(NotAllowed, match="Only the PDEO, the Lead Reviewer or the Chair"):
        services.record_learning_event(
            review=review,
            user=reviewers["police_member"],
            kind="feedback",
            held_on=date(2026, 12, 1),
        )
    assert not LearningEvent.objects.exists()
    event = services.record_learning_event(
        review=review, user=lead, kind="feedback", held_on=date(2026, 11, 24)
    )
    other_event = services.record_learning_event(
        review=review, user=lead, kind="feedback", held_on=date(2026, 11, 24)
    )
    stranger = services.invite_practitioner(
        event=other_event, user=lead, agency=partners["police"], who="Kim Lee, PC"
    )
    with pytest.raises(ValidationError, match="Choose from the practitioners invited"):
        services.record_attendance(event=event, user=lead, attended=[stranger], notes="x")
    assert not EventPractitioner.objects.filter(attended=True).exists()


def test_the_family_by_relationship_their_answer_and_contributions(review, reviewers):
    lead = reviewers["lead"]
    record = services.record_family_engagement(
        review=review,
        user=lead,
        relationship="Mother",
        how="letter",
        approached_on=date(2026, 11, 24),
        response="awaiting",
    )
    with pytest.raises(ValidationError) as refused:
        services.record_family_engagement(
            review=review,
            user=lead,
            relationship=" ",
            how="pigeon",
            approached_on=date(2026, 12, 25),
            response="maybe",
        )
    assert set(refused.value.message_dict) == {"relationship", "how", "approached_on", "response"}
    services.update_family_engagement(
        record=record,
        user=lead,
        expected_version=1,
        relationship="Mother",
        how="letter",
        approached_on=date(2026, 11, 24),
        response="agreed",
        contributions="She felt nobody listened at the school gate",
    )
    with pytest.raises(ConcurrentEdit):
        services.update_family_engagement(
            record=record,
            user=lead,
            expected_version=1,
            relationship="Mother",
            how="letter",
            approached_on=date(2026, 11, 24),
            response="declined",
        )
    record.refresh_from_db()
    assert (record.response, record.version) == ("agreed", 2)
    assert record.contributions == "She felt nobody listened at the school gate"


def test_the_pages_record_and_show_it_inside_the_reviews_visibility(review, reviewers, partners):
    lead = verified_client(Client(), reviewers["lead"])
    # An event: a bad date comes back as a GOV.UK error with what was typed.
    page = url("cspr:learning_events", review)
    bad = lead.post(
        page,
        {
            "kind": "learning_event",
            "held_on_0": "31",
            "held_on_1": "2",
            "held_on_2": "2027",
            "notes": "Bring the chronology",
        },
    ).content.decode()
    assert "govuk-error-summary" in bad and "Bring the chronology" in bad
    response = lead.post(
        page,
        {
            "kind": "learning_event",
            "held_on_0": "9",
            "held_on_1": "12",
            "held_on_2": "2026",
            "notes": "Bring the chronology",
        },
    )
    event = LearningEvent.objects.get()
    assert response["Location"] == url("cspr:learning_event", review, event.pk)
    lead.post(
        url("cspr:learning_event", review, event.pk),
        {"agency": partners["hospital"].pk, "who": "Sam Patel, health visitor"},
    )
    empty = lead.post(url("cspr:learning_event", review, event.pk), {"agency": "", "who": ""})
    assert "Enter the practitioner" in empty.content.decode()
    # The family: recorded by relationship.
    lead.post(
        url("cspr:family", review),
        {
            "relationship": "grandmother",
            "how": "visit",
            "approached_on_0": "24",
            "approached_on_1": "11",
            "approached_on_2": "2026",
            "response": "agreed",
            "contributions": "Spoke about the house move",
        },
    )
    record = FamilyEngagement.objects.get()
    # The CRP member (on the case team) reads both; a Panel member who is not on it does not.
    member = verified_client(Client(), reviewers["police_member"])
    assert "Sam Patel" in member.get(url("cspr:learning_event", review, event.pk)).content.decode()
    family_page = member.get(url("cspr:family", review)).content.decode()
    assert "Spoke about the house move" in family_page
    assert "Record an approach" not in family_page  # not one of the review's recorders
    outsider = verified_client(
        Client(), UserFactory(roles=[Role.PANEL_MEMBER], agency=partners["police"])
    )
    for name, args in (
        ("cspr:learning_events", ()),
        ("cspr:learning_event", (event.pk,)),
        ("cspr:attendance", (event.pk,)),
        ("cspr:family", ()),
        ("cspr:family_edit", (record.pk,)),
    ):
        assert outsider.get(url(name, review, *args)).status_code == 404, name
    # A CRP member's post is refused with a reason, nothing saved.
    refused = member.post(
        url("cspr:family", review),
        {
            "relationship": "father",
            "how": "phone",
            "approached_on_0": "24",
            "approached_on_1": "11",
            "approached_on_2": "2026",
            "response": "declined",
        },
    ).content.decode()
    assert "govuk-error-summary" in refused
    assert FamilyEngagement.objects.count() == 1


def test_the_pages_do_not_grow_with_events_and_family(review, reviewers, partners):
    lead = reviewers["lead"]
    client = verified_client(Client(), lead)

    def count(page):
        client.get(page)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(page).status_code == 200
        return len(queries)

    def add(n):
        for i in range(n):
            event = services.record_learning_event(
                review=review, user=lead, kind="feedback", held_on=date(2026, 11, 24)
            )
            for agency in (partners["police"], partners["hospital"]):
                services.invite_practitioner(event=event, user=lead, agency=agency, who=f"P{i}")
            services.record_family_engagement(
                review=review,
                user=lead,
                relationship=f"relative {i}",
                how="letter",
                approached_on=date(2026, 11, 24),
                response="agreed",
            )

    add(1)
    pages = [url("cspr:learning_events", review), url("cspr:family", review)]
    small = [count(p) for p in pages]
    add(5)
    assert [count(p) for p in pages] == small


def test_a_family_record_is_updated_on_its_page(review, reviewers):
    lead = reviewers["lead"]
    record = services.record_family_engagement(
        review=review,
        user=lead,
        relationship="father",
        how="phone",
        approached_on=date(2026, 11, 24),
        response="awaiting",
    )
    client = verified_client(Client(), lead)
    page = url("cspr:family_edit", review, record.pk)
    assert 'value="father"' in client.get(page).content.decode()
    data = {
        "version": 1,
        "relationship": "father",
        "how": "phone",
        "approached_on_0": "24",
        "approached_on_1": "11",
        "approached_on_2": "2026",
        "response": "declined",
    }
    assert client.post(page, data).status_code == 302
    stale = client.post(page, {**data, "response": "agreed"}).content.decode()
    assert "govuk-error-summary" in stale
    record.refresh_from_db()
    assert (record.response, record.version) == ("declined", 2)


def test_an_events_page_does_not_grow_with_its_practitioners(review, reviewers, partners):
    lead = reviewers["lead"]
    event = services.record_learning_event(
        review=review, user=lead, kind="feedback", held_on=date(2026, 11, 24)
    )
    client = verified_client(Client(), lead)
    page = url("cspr:learning_event", review, event.pk)

    def count():
        client.get(page)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(page).status_code == 200
        return len(queries)

    services.invite_practitioner(event=event, user=lead, agency=partners["police"], who="P0")
    small = count()
    for n in range(1, 6):
        services.invite_practitioner(
            event=event, user=lead, agency=partners["hospital"], who=f"P{n}"
        )
    assert count() == small
