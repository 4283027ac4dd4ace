"""No N+1: the meetings list and the meeting page cost the same number of queries however many
meetings, items, members, declarations and decisions there are."""

import re
from datetime import date, time, timedelta

import time_machine
from django.test import Client
from django.urls import reverse

from panel import services

from ..factories import CaseFactory, UserFactory
from ..helpers import page_queries, page_reads, reads_beyond_its_lines, verified_client


def add_meetings(pdeo, n, start):
    for i in range(n):
        services.call_extraordinary_meeting(
            user=pdeo,
            day=start + timedelta(days=7 * i),
            start_time=time(10),
            end_time=time(12),
            place="Room 1",
        )


def test_the_meetings_list_costs_the_same_for_5_meetings_or_50(panel):
    client = verified_client(Client(), panel["pdeo"])
    add_meetings(panel["pdeo"], 5, date(2026, 12, 1))
    five = page_queries(client, reverse("panel:meetings"))
    add_meetings(panel["pdeo"], 45, date(2027, 2, 1))
    fifty = page_queries(client, reverse("panel:meetings"))
    assert five == fifty, f"5 meetings: {five} queries, 50: {fifty}"


def test_the_meetings_list_reads_only_what_its_rows_show(panel):
    """A row shows the meeting's kind, title, date, times and place: not who set it up (their
    account), and no field a row shows is left to a query of its own."""
    add_meetings(panel["pdeo"], 2, date(2026, 12, 1))
    with time_machine.travel(date(2026, 11, 2), tick=False):
        add_meetings(panel["pdeo"], 1, date(2026, 11, 3))  # past by now
    html, selects = page_reads(verified_client(Client(), panel["pdeo"]), reverse("panel:meetings"))
    assert "1 December 2026" in html and "3 November 2026" in html and "Room 1" in html
    assert not reads_beyond_its_lines(selects)


def add_items(panel, meeting, n):
    pdeo = panel["pdeo"]
    for i in range(n):
        case = CaseFactory(user=pdeo, stage="rapid_review")
        item = services.add_item(user=pdeo, meeting=meeting, kind="referral", case=case)
        services.declare_interest(
            user=pdeo, item=item, person=panel["members"]["education"].user, nature=f"N{i}"
        )
        services.write_minutes(user=pdeo, item=item, minutes=f"Item {i}")


def add_members(panel, n):
    for _ in range(n):
        services.add_member(
            user=panel["pdeo"],
            person=UserFactory(agency=panel["school"]),
            agency=panel["school"],
            panel_role="member",
            deputy=UserFactory(agency=panel["school"]),
            start_date=date(2026, 1, 1),
        )


def test_the_meeting_page_costs_the_same_for_2_items_or_12(panel, meeting):
    client = verified_client(Client(), panel["members"]["chair"].user)
    add_items(panel, meeting, 2)
    services.record_attendance(
        user=panel["pdeo"],
        meeting=meeting,
        statuses={m: "present" for m in panel["members"].values()},
    )
    url = reverse("panel:meeting", kwargs={"pk": meeting.pk})
    few = page_queries(client, url)
    add_items(panel, meeting, 10)
    add_members(panel, 6)
    many = page_queries(client, url)
    assert few == many, f"2 items: {few} queries, 12 items and more members: {many}"


def test_the_meeting_page_costs_the_same_before_and_after_attendance_is_recorded(panel, meeting):
    """Who was in the room (for each item's quoracy) is read from the memberships already
    loaded: a member present or a deputy in their place costs no query of its own."""
    client = verified_client(Client(), panel["members"]["chair"].user)
    add_items(panel, meeting, 2)
    url = reverse("panel:meeting", kwargs={"pk": meeting.pk})
    nobody_recorded = page_queries(client, url)
    members = panel["members"]
    services.record_attendance(
        user=panel["pdeo"],
        meeting=meeting,
        statuses={
            members["chair"]: "present",
            members["deputy_chair"]: "present",
            members["police"]: "deputy",
            members["education"]: "apologies",
        },
    )
    recorded = page_queries(client, url)
    assert nobody_recorded == recorded, (
        f"no attendance: {nobody_recorded} queries, attendance recorded: {recorded}"
    )


def test_the_meeting_page_reads_the_memberships_once_for_attendance_and_invitations(panel, meeting):
    """The attendance and the list of who is invited both list the members current on the
    meeting's date: one read of the memberships serves both, and both still show everyone."""

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = verified_client(Client(), panel["members"]["chair"].user)
    add_members(panel, 2)
    url = reverse("panel:meeting", kwargs={"pk": meeting.pk})
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        html = client.get(url).content.decode()
    reads = [q["sql"] for q in queries if re.match(r'SELECT .* FROM "panel_panelmember"', q["sql"])]
    assert len(reads) == 1, reads
    attendance = html.split('data-testid="attendance"')[1].split("</dl>")[0]
    invited = html.split('data-testid="invited"')[1].split("</ul>")[0]
    for member in panel["members"].values():
        assert member.user.full_name in attendance
        assert member.user.full_name in invited
    assert invited.count("(deputy for") >= 2  # the new members' deputies
