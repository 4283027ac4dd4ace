"""The demo CSPR Panel (fictional; run by seed_demo): its members, each with one named deputy;
a year of regular meetings ahead, every other month; and the last meeting, held, with its
attendance and minutes (nothing about a demo case, so no one's case access changes), two
actions arising at it (one overdue and escalated to the Executive Group), and the highlight
report issued to the last Executive Group meeting."""

from datetime import date, time, timedelta

from django.utils import timezone

from safeguarding.demo import as_of

from . import services
from .models import PanelMember

ROOM = "Council House, Committee Room 2"
LINK = "https://meet.northbridge.example/cspr-panel"

# member email, role on the Panel, deputy email
MEMBERS = [
    ("chair@northbridge.example", "chair", "deputy.health@northbridge.example"),
    ("deputy.chair@northbridge.example", "deputy_chair", "deputy.council@northbridge.example"),
    ("panel.police@northbridge.example", "member", "deputy.police@northbridge.example"),
    ("panel.health@northbridge.example", "member", "deputy.health@northbridge.example"),
    ("business.manager@northbridge.example", "business_manager", "pdeo@northbridge.example"),
]


def second_tuesday(year, month):
    return services.nth_weekday(year, month, 1, 2)


def _months_ahead(day, n):
    index = day.month - 1 + n
    return day.year + index // 12, index % 12 + 1


def seed(*, agencies, users):
    if PanelMember.objects.exists():
        return []
    today = timezone.localdate()
    pdeo = users["pdeo@northbridge.example"]
    start = date(today.year - 1, 4, 1)
    members = {}
    with as_of(start, by=pdeo):
        for email, role, deputy in MEMBERS:
            person = users[email]
            members[email] = services.add_member(
                user=pdeo,
                person=person,
                agency=person.agency,
                panel_role=role,
                deputy=users[deputy],
                start_date=start,
            )
    # The last meeting, held about seven weeks ago, minuted (a draft until the next meeting).
    held_on = second_tuesday(*_months_ahead(today, -2))
    if held_on >= today - timedelta(days=7):
        held_on = second_tuesday(*_months_ahead(today, -3))
    with as_of(held_on - timedelta(days=30), by=pdeo):
        held = services.call_extraordinary_meeting(
            user=pdeo,
            day=held_on,
            start_time=time(10),
            end_time=time(12, 30),
            place=ROOM,
            online_link=LINK,
            title="CSPR Panel meeting",
        )
    with as_of(held_on - timedelta(days=8), by=pdeo):
        items = [
            services.add_item(
                user=pdeo,
                meeting=held,
                kind="learning",
                learning_source="national",
                title="National Panel review: safeguarding children under one",
            ),
            services.add_item(user=pdeo, meeting=held, kind="action_log"),
            services.add_item(user=pdeo, meeting=held, kind="other_business"),
        ]
        services.send_papers(user=pdeo, meeting=held)
    chair = users["chair@northbridge.example"]
    with as_of(held_on, by=chair, at=time(10, 5)):
        services.record_attendance(
            user=chair,
            meeting=held,
            statuses={
                members["chair@northbridge.example"]: "present",
                members["deputy.chair@northbridge.example"]: "present",
                members["panel.police@northbridge.example"]: "deputy",
                members["panel.health@northbridge.example"]: "present",
                members["business.manager@northbridge.example"]: "present",
            },
        )
    minutes = [
        "The Panel considered the national review's findings on the safety of babies under "
        "one. Agencies to check their practice against the recommendations on safer sleep and "
        "on fathers' involvement, and report back to the next meeting.",
        "Three actions are overdue (health visiting records, police referral timeliness, "
        "school attendance follow-up). Owners to update before the next meeting; the Business "
        "Manager to include them in the highlight report to the Executive.",
        "No other business.",
    ]
    with as_of(held_on + timedelta(days=3), by=pdeo):
        for item, text in zip(items, minutes, strict=True):
            services.write_minutes(user=pdeo, item=item, minutes=text, close=True)
    # The year ahead: regular meetings every other month.
    first = second_tuesday(*_months_ahead(today, 1))
    with as_of(today, by=pdeo):
        made = services.schedule_regular_meetings(
            user=pdeo,
            first_date=first,
            start_time=time(10),
            end_time=time(12, 30),
            place=ROOM,
            online_link=LINK,
        )
    _action_log(held, items[1], agencies=agencies, users=users, today=today)
    issued = _highlight_report(users=users, today=today)
    return [
        f"CSPR Panel: {len(members)} members, {len(made)} meetings ahead, one held, two actions "
        f"in its log (one overdue), highlight report version {issued.number} issued"
    ]


def _action_log(held, item, *, agencies, users, today):
    """Two actions from the held meeting's action log item: one overdue (and escalated by the
    Chair since), one on track."""
    pdeo, chair = users["pdeo@northbridge.example"], users["chair@northbridge.example"]
    with as_of(held.date, by=pdeo, at=time(12)):
        overdue = services.add_action(
            user=pdeo,
            meeting=held,
            item=item,
            description="Audit the police's referrals to children's social care over the last "
            "quarter for the time taken to refer, and report the findings to the Panel.",
            owner_agency=agencies["Northbridge Police"],
            due_date=held.date + timedelta(days=21),
            measure_of_success="An audit of 30 referrals, with the time taken for each.",
        )
        services.add_action(
            user=pdeo,
            meeting=held,
            item=item,
            description="Follow up every child missing from school for more than 10 days with "
            "a home visit, and tell the Panel how many were visited.",
            owner_agency=agencies["Northbridge Education Partnership"],
            due_date=today + timedelta(days=60),
            measure_of_success="Every child missing more than 10 days visited within 5 days.",
        )
    with as_of(today - timedelta(days=2), by=chair):
        services.escalate_action(
            user=chair,
            action=overdue,
            reason="Overdue with no update since the meeting: the Executive to ask the police "
            "for a date.",
        )


def _highlight_report(*, users, today):
    manager = users["business.manager@northbridge.example"]
    with as_of(today - timedelta(days=1), by=manager):
        report = services.save_highlight_report(
            user=manager,
            executive_meeting="Northbridge Safeguarding Children Partnership Executive Group",
            executive_meeting_on=today + timedelta(days=7),
            commissioning="The Panel recommends no new local review this quarter; it asks the "
            "Executive to commission a thematic review of injuries to babies under one.",
            learning="The national review of safeguarding children under one: agencies are "
            "checking their practice on safer sleep and on fathers' involvement.",
            key_messages="Strategy discussions about infants must include health. One police "
            "action is overdue and escalated.",
        )
        return services.issue_highlight_report(user=manager, report=report)
