"""Membership, meetings and their calendar invitations."""

from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from icalendar import Calendar

from panel import services
from panel.models import Invitation, Meeting
from safeguarding.outbox.models import OutboundEmail

from ..factories import UserFactory
from ..helpers import verified_client


def call(pdeo, day, start=time(10, 0), end=time(12, 0), **kwargs):
    return services.call_extraordinary_meeting(
        user=pdeo, day=day, start_time=start, end_time=end, place="Room 1", **kwargs
    )


def invitation_of(meeting, person, sequence=None):
    rows = Invitation.objects.filter(meeting=meeting, recipient=person)
    if sequence is not None:
        rows = rows.filter(sequence=sequence)
    return Calendar.from_ical(rows.latest("sequence").email.attachment)


def event_of(cal):
    (event,) = cal.walk("VEVENT")
    return event


# --- Membership -------------------------------------------------------------------------


def test_a_member_has_exactly_one_deputy_and_a_second_is_refused(panel):
    member = panel["members"]["police"]
    other = UserFactory(agency=panel["police"], full_name="Second Deputy")
    with pytest.raises(ValidationError) as refused:
        services.name_deputy(user=panel["pdeo"], member=member, deputy=other)
    assert "already has a named deputy" in str(refused.value)
    member.refresh_from_db()
    assert member.deputy.full_name == "Dee Deputy"
    # Replacing, said so, is allowed: still one deputy.
    services.name_deputy(user=panel["pdeo"], member=member, deputy=other, replace=True)
    member.refresh_from_db()
    assert member.deputy == other


def test_a_second_deputy_is_refused_on_the_page_with_an_error_summary(panel, client):
    member = panel["members"]["police"]
    other = UserFactory(agency=panel["police"], full_name="Second Deputy")
    verified_client(client, panel["pdeo"])
    response = client.post(
        reverse("panel:member_deputy", kwargs={"pk": member.pk}), {"deputy": other.pk}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "govuk-error-summary" in html and "already has a named deputy" in html
    member.refresh_from_db()
    assert member.deputy.full_name == "Dee Deputy"


def test_a_member_cannot_deputise_for_themselves_and_the_panel_has_one_chair(panel):
    chair = panel["members"]["chair"].user
    with pytest.raises(ValidationError, match="own deputy"):
        services.name_deputy(
            user=panel["pdeo"], member=panel["members"]["chair"], deputy=chair, replace=True
        )
    with pytest.raises(ValidationError, match="one Chair"):
        services.add_member(
            user=panel["pdeo"],
            person=UserFactory(agency=panel["la"]),
            agency=panel["la"],
            panel_role="chair",
            deputy=UserFactory(agency=panel["la"]),
            start_date=date(2026, 6, 1),
        )


def test_the_partner_follows_the_agency(panel):
    m = panel["members"]
    assert (m["chair"].partner, m["deputy_chair"].partner, m["police"].partner) == (
        "icb",
        "local_authority",
        "police",
    )
    assert m["education"].partner == "other"


# --- Meetings ---------------------------------------------------------------------------


def test_regular_meetings_every_other_month_a_year_ahead_off_bank_holidays(panel):
    # First Monday of the month, from January 2027: 4 Jan, 1 Mar, 3 May (a bank holiday:
    # the early May bank holiday, so the Tuesday), 5 Jul, 6 Sep, 1 Nov.
    made = services.schedule_regular_meetings(
        user=panel["pdeo"],
        first_date=date(2027, 1, 4),
        start_time=time(10),
        end_time=time(12),
        place="Council House",
    )
    assert [m.date for m in made] == [
        date(2027, 1, 4),
        date(2027, 3, 1),
        date(2027, 5, 4),
        date(2027, 7, 5),
        date(2027, 9, 6),
        date(2027, 11, 1),
    ]
    assert all(m.kind == Meeting.Kind.REGULAR for m in made)
    # Asked again: nothing doubled.
    with pytest.raises(ValidationError, match="already have"):
        services.schedule_regular_meetings(
            user=panel["pdeo"],
            first_date=date(2027, 1, 4),
            start_time=time(10),
            end_time=time(12),
            place="Council House",
        )


def test_a_meeting_moved_into_the_past_is_refused_and_nothing_changes(panel):
    meeting = call(panel["pdeo"], date(2026, 12, 10))
    with pytest.raises(ValidationError, match="past"):
        services.move_meeting(
            user=panel["pdeo"],
            meeting=meeting,
            expected_version=meeting.version,
            day=date(2026, 11, 20),
            start_time=time(10),
            end_time=time(12),
            place="Room 1",
        )
    meeting.refresh_from_db()
    assert (meeting.date, meeting.sequence) == (date(2026, 12, 10), 0)


def test_moving_into_the_past_on_the_page_answers_with_an_error_summary(panel, client):
    meeting = call(panel["pdeo"], date(2026, 12, 10))
    verified_client(client, panel["pdeo"])
    response = client.post(
        reverse("panel:meeting_move", kwargs={"pk": meeting.pk}),
        {
            "version": meeting.version,
            "day_0": "20",
            "day_1": "11",
            "day_2": "2026",
            "start_time": "10:00",
            "end_time": "12:00",
            "place": "Room 1",
        },
    )
    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()
    assert "cannot be set in the past" in response.content.decode()


def test_moving_and_cancelling_keep_the_meetings_history(panel):
    meeting = call(panel["pdeo"], date(2026, 12, 10))
    services.move_meeting(
        user=panel["pdeo"],
        meeting=meeting,
        expected_version=1,
        day=date(2026, 12, 11),
        start_time=time(14),
        end_time=time(16),
        place="Room 2",
        reason="Chair unavailable",
    )
    meeting.refresh_from_db()
    services.cancel_meeting(
        user=panel["pdeo"], meeting=meeting, expected_version=meeting.version, reason="No items"
    )
    dates = list(meeting.history.order_by("history_date").values_list("date", "status"))
    assert dates == [
        (date(2026, 12, 10), "scheduled"),
        (date(2026, 12, 11), "scheduled"),
        (date(2026, 12, 11), "cancelled"),
    ]
    assert Meeting.objects.filter(pk=meeting.pk).exists()


# --- Invitations ------------------------------------------------------------------------


def test_members_and_deputies_are_invited_with_the_name_time_and_place_only(panel):
    meeting = call(panel["pdeo"], date(2026, 12, 10), title="Extraordinary CSPR Panel meeting")
    invited = set(Invitation.objects.filter(meeting=meeting).values_list("recipient", flat=True))
    members = panel["members"].values()
    assert invited == {m.user_id for m in members} | {m.deputy_id for m in members}
    email = Invitation.objects.filter(meeting=meeting).first().email
    assert email.attachment_name.endswith(".ics")
    assert email.attachment_type.startswith("text/calendar; method=REQUEST")
    event = event_of(Calendar.from_ical(email.attachment))
    assert str(event["summary"]) == "Extraordinary CSPR Panel meeting"
    assert str(event["location"]) == "Room 1"
    assert "description" not in event


def test_invitation_times_are_right_in_utc_across_the_october_clock_change(panel, today):
    # The clocks go back on Sunday 31 October 2027: 10:00 London on Friday 29 October is BST
    # (09:00 UTC), on Monday 1 November GMT (10:00 UTC). The same meeting, moved across it.
    before = call(panel["pdeo"], date(2026, 12, 1))
    for day, utc_hour in ((date(2027, 10, 29), 9), (date(2027, 11, 1), 10)):
        services.move_meeting(
            user=panel["pdeo"],
            meeting=before,
            expected_version=Meeting.objects.get(pk=before.pk).version,
            day=day,
            start_time=time(10),
            end_time=time(12),
            place="Room 1",
        )
        cal = invitation_of(before, panel["members"]["police"].user)
        start = event_of(cal).decoded("dtstart")
        assert start.astimezone(UTC) == datetime(day.year, day.month, day.day, utc_hour, tzinfo=UTC)
        assert event_of(cal).decoded("dtend") - start == timedelta(hours=2)
        assert cal.walk("VTIMEZONE"), "the calendar carries Europe/London's rules"


def test_invitation_times_are_right_in_utc_across_the_march_clock_change(panel):
    # The clocks go forward on Sunday 28 March 2027: 10:00 on Friday 26 March is 10:00 UTC,
    # on Monday 29 March 09:00 UTC.
    for day, utc_hour in ((date(2027, 3, 26), 10), (date(2027, 3, 29), 9)):
        meeting = call(panel["pdeo"], day)
        start = event_of(invitation_of(meeting, panel["members"]["chair"].user)).decoded("dtstart")
        assert start.astimezone(UTC) == datetime(2027, 3, day.day, utc_hour, tzinfo=UTC)


def test_a_moved_meeting_keeps_its_uid_with_a_higher_sequence(panel):
    meeting = call(panel["pdeo"], date(2026, 12, 10))
    person = panel["members"]["police"].deputy
    first = event_of(invitation_of(meeting, person))
    services.move_meeting(
        user=panel["pdeo"],
        meeting=meeting,
        expected_version=1,
        day=date(2026, 12, 15),
        start_time=time(9, 30),
        end_time=time(11),
        place="Room 2",
    )
    moved_cal = invitation_of(meeting, person)
    moved = event_of(moved_cal)
    assert str(moved["uid"]) == str(first["uid"])
    assert int(moved["sequence"]) > int(first["sequence"])
    assert str(moved_cal["method"]) == "REQUEST"
    assert moved.decoded("dtstart").astimezone(UTC) == datetime(2026, 12, 15, 9, 30, tzinfo=UTC)


def test_a_cancellation_is_a_cancel_with_the_same_uid(panel):
    meeting = call(panel["pdeo"], date(2026, 12, 10))
    person = panel["members"]["chair"].user
    uid = str(event_of(invitation_of(meeting, person))["uid"])
    services.cancel_meeting(user=panel["pdeo"], meeting=meeting, reason="No items")
    cal = invitation_of(meeting, person)
    event = event_of(cal)
    assert str(cal["method"]) == "CANCEL"
    assert str(event["uid"]) == uid and int(event["sequence"]) == 1
    assert str(event["status"]) == "CANCELLED"
    emails = OutboundEmail.objects.filter(subject__startswith="Cancelled")
    assert emails.count() == 8 and all("method=CANCEL" in e.attachment_type for e in emails)


def test_the_outbox_sends_the_calendar_file_as_an_attachment(panel, mailoutbox):
    from safeguarding.outbox.sending import send_pending

    call(panel["pdeo"], date(2026, 12, 10))
    send_pending()
    message = mailoutbox[0]
    (name, content, mimetype) = message.attachments[0]
    assert name == "cspr-panel-2026-12-10.ics"
    assert mimetype.startswith("text/calendar")
    assert Calendar.from_ical(content).walk("VEVENT")


def test_the_ics_is_downloaded_behind_sign_in(panel, client):
    meeting = call(panel["pdeo"], date(2026, 12, 10))
    url = reverse("panel:meeting_ics", kwargs={"pk": meeting.pk})
    anonymous = client.get(url)
    assert anonymous.status_code == 302 and "sign-in" in anonymous.url
    verified_client(client, panel["members"]["police"].user)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    event = event_of(Calendar.from_ical(response.content))
    assert str(event["uid"]) == meeting.uid


def test_the_business_manager_speaks_for_no_partner(panel):
    manager = services.add_member(
        user=panel["pdeo"],
        person=UserFactory(agency=panel["la"]),
        agency=panel["la"],
        panel_role="business_manager",
        deputy=UserFactory(agency=panel["la"]),
        start_date=date(2026, 1, 1),
    )
    assert manager.partner == "other"
