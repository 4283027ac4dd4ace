"""The benchmark's CSPR Panel (`manage.py seed_bench`): its members (the Panel members and the
Chair, each with a deputy and a partner), and the plan's number of meetings over the years
(regular ones with a few extraordinary), each with its agenda of cases, its attendance and its
D16 clock (papers due 5 working days before), the latest still to come."""

from datetime import time, timedelta

from django.utils import timezone

from safeguarding.accounts.roles import Role
from safeguarding.deadlines.rules import Kind

from . import highlight, services
from .files import HIGHLIGHT
from .models import (
    AgendaItem,
    Attendance,
    IssuedHighlightReport,
    Meeting,
    PanelMember,
    Partner,
)

ROLES = [PanelMember.PanelRole.CHAIR, PanelMember.PanelRole.MEMBER]
ITEM_KINDS = [AgendaItem.Kind.REFERRAL, AgendaItem.Kind.RAPID_REVIEW]
PARTNERS = [Partner.LOCAL_AUTHORITY, Partner.POLICE, Partner.ICB, Partner.OTHER]


def seed(bench):
    people = bench.users[Role.PANEL_CHAIR] + bench.users[Role.PANEL_MEMBER]
    deputies = bench.users[Role.PANEL_MEMBER][::-1]
    start = bench.today - timedelta(days=365 * 10)
    members = []
    for n, user_id in enumerate(people):
        partner = PARTNERS[n % len(PARTNERS)]
        members.append(
            {
                "id": bench.next_id(PanelMember),
                "user_id": user_id,
                "agency_id": bench.partners.get(partner, bench.agencies[0][0]),
                "partner": partner,
                "panel_role": ROLES[0] if n == 0 else ROLES[1],
                "deputy_id": deputies[n % len(deputies)]
                if deputies[n % len(deputies)] != user_id
                else people[0],
                "start_date": start,
            }
        )
    bench.writer.write(PanelMember, members)

    total = bench.plan["meetings"]
    span = (bench.today + timedelta(days=60) - start).days
    recent = [c for c in bench.cases if c.is_open] or bench.cases
    chair = people[0]
    meetings, items, attendance = [], [], []
    for n in range(total):
        day = start + timedelta(days=span * n // total)
        while not bench.calendar.is_working_day(day):
            day += timedelta(days=1)
        mid = bench.next_id(Meeting)
        extraordinary = n % 7 == 3
        held = day < bench.today
        papers_due = bench.calendar.add_working_days(day, -5)
        meetings.append(
            {
                "id": mid,
                "kind": Meeting.Kind.EXTRAORDINARY if extraordinary else Meeting.Kind.REGULAR,
                "date": day,
                "start_time": time(10),
                "end_time": time(12),
                "place": "Council House, committee room 2",
                "called_on": day - timedelta(days=3 if extraordinary else 60),
                "uid": f"bench-meeting-{mid}@case-reviews",
                "papers_sent_on": papers_due if held else None,
                "created_by_id": chair,
            }
        )
        bench.clock(
            kind=Kind.MEETING_PAPERS,
            model=Meeting,
            object_id=mid,
            case=None,
            anchor=day,
            due=papers_due,
            met_on=papers_due if held else None,
        )
        for number in range(1, 4):
            case = recent[(n * 3 + number) % len(recent)] if held else bench.cases[n % 50]
            items.append(
                {
                    "id": bench.next_id(AgendaItem),
                    "meeting_id": mid,
                    "number": number,
                    "kind": ITEM_KINDS[number == 1],
                    "case_id": case.id,
                    "title": f"{case.reference} – {case.pseudonym}",
                    "minutes": "Discussed; the Panel's recommendation is recorded." if held else "",
                    "closed_on": day if held else None,
                }
            )
        if held:
            for m, member in enumerate(members):
                attendance.append(
                    {
                        "id": bench.next_id(Attendance),
                        "meeting_id": mid,
                        "member_id": member["id"],
                        "status": [
                            Attendance.Status.PRESENT,
                            Attendance.Status.PRESENT,
                            Attendance.Status.DEPUTY,
                            Attendance.Status.APOLOGIES,
                        ][(n + m) % 4],
                        "recorded_by_id": chair,
                        "recorded_at": bench.at(day),
                    }
                )
    bench.writer.write(Meeting, meetings)
    bench.writer.write(AgendaItem, items)
    bench.writer.write(Attendance, attendance)


def pages(context):
    """The meetings list, and the next meeting's page, as the PDEO and a Panel member."""
    pages = [
        {"name": "meetings (PDEO)", "as": "pdeo", "path": "/panel/meetings/"},
        {"name": "meetings (Panel member)", "as": "panel_member", "path": "/panel/meetings/"},
    ]
    pages.append({"name": "highlight reports", "as": "pdeo", "path": "/panel/highlight-reports/"})
    latest = Meeting.objects.order_by("-date", "-id").first()
    if latest is not None:
        pages.append(
            {"name": "a meeting (PDEO)", "as": "pdeo", "path": f"/panel/meetings/{latest.pk}/"}
        )
    return pages


def _highlight_pdf(context):
    """A highlight report's figures counted over the decade (no report issued before) and its
    PDF built, as issuing it and the worker would."""
    pdeo = context.people["pdeo"]
    today = timezone.localdate()
    report = services.save_highlight_report(
        user=pdeo,
        executive_meeting="Executive Group (benchmark)",
        executive_meeting_on=today,
        key_messages="Timeliness of rapid reviews holds; two local reviews are at risk.",
    )
    period = highlight.period_for(report, today)
    issued = IssuedHighlightReport.objects.create(
        report=report,
        number=1,
        period_start=period.start,
        period_end=period.end,
        content=highlight.content(report, period, today),
        issued_on=today,
        issued_by=pdeo,
    )
    return HIGHLIGHT.build(issued, {"issued": issued.pk}, pdeo, _noop)


def files(context):
    return {"highlight report (figures and PDF)": lambda: _highlight_pdf(context)}


def _noop(*args, **kwargs):
    pass
