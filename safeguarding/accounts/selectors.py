"""What the home page ('Your work') shows a person, by role.

Each section is a heading, a short line on what belongs there, and its items. Later stages add
their items here through their own selectors; a section with nothing in it says so plainly.
"""

from dataclasses import dataclass, field

from .roles import Role


@dataclass
class WorkSection:
    title: str
    description: str
    empty: str
    items: list = field(default_factory=list)


HOME_LIST_LIMIT = 10


def _case_items(cases):
    from django.urls import reverse

    return [
        {
            "text": f"{case.reference} – {case.pseudonym} ({case.get_stage_display().lower()})",
            "href": reverse("cases:detail", kwargs={"reference": case.reference}),
        }
        for case in cases[:HOME_LIST_LIMIT]
    ]


def _due_items(user):
    from django.urls import reverse

    from safeguarding.deadlines.selectors import rows, whats_due

    return [
        {
            "text": f"{row.deadline.case.reference}: {row.deadline.get_kind_display()} – "
            f"{row.state_label.lower()}, due {row.deadline.due_date:%-d %B %Y}",
            "href": reverse("cases:detail", kwargs={"reference": row.deadline.case.reference}),
        }
        for row in rows(whats_due(user)[:HOME_LIST_LIMIT])
    ]


def _reminder_items(user):
    """The in-app copy of what we emailed this person: unmet deadlines they were reminded of."""
    from django.urls import reverse

    from safeguarding.cases.models import Case
    from safeguarding.deadlines.models import Deadline, Reminder

    reminders = (
        Reminder.objects.filter(
            recipient=user,
            deadline__met_on__isnull=True,
            deadline__status__in=[Deadline.Status.OPEN, Deadline.Status.MISSED],
            deadline__case__in=Case.objects.visible_to(user),
        )
        .select_related("deadline__case")
        .order_by("-day", "-id")[: HOME_LIST_LIMIT * 3]
    )
    items, seen = [], set()
    for reminder in reminders:
        deadline = reminder.deadline
        if deadline.id in seen:
            continue
        seen.add(deadline.id)
        items.append(
            {
                "text": f"{deadline.case.reference}: {deadline.get_kind_display()}, due "
                f"{deadline.due_date:%-d %B %Y} (reminded {reminder.day:%-d %B})",
                "href": reverse("cases:detail", kwargs={"reference": deadline.case.reference}),
            }
        )
    return items[:HOME_LIST_LIMIT]


def _request_items(user):
    from django.urls import reverse

    from safeguarding.contributions.models import InformationRequest

    open_statuses = [InformationRequest.Status.OPEN, InformationRequest.Status.RETURNED]
    requests = (
        InformationRequest.objects.visible_to(user)
        .filter(agency_id=user.agency_id, status__in=open_statuses)
        .select_related("case")
        .order_by("due_date", "id")[:HOME_LIST_LIMIT]
    )
    return [
        {
            "text": f"{r.case.reference} ({r.case.pseudonym}): {r.get_status_display().lower()},"
            f" due {r.due_date:%-d %B %Y}",
            "href": reverse("requests:detail", kwargs={"pk": r.pk}),
        }
        for r in requests
    ]


def work_for(user):
    from safeguarding.cases.models import Case

    roles = user.role_names
    sections = []
    reminders = _reminder_items(user)
    if reminders:
        sections.append(
            WorkSection(
                "Reminders for you",
                "Deadlines we have reminded you about that are not yet met.",
                "",
                reminders,
            )
        )
    if user.has_perm("deadlines.view_whats_due"):
        sections.append(
            WorkSection(
                "What's due",
                "The soonest deadlines not yet met on the cases you can see.",
                "Nothing is due.",
                _due_items(user),
            )
        )
    open_cases = Case.objects.visible_to(user).filter(status=Case.Status.OPEN)
    if roles & {Role.PDEO, Role.BUSINESS_MANAGER, Role.PANEL_CHAIR, Role.DEPUTY_CHAIR}:
        sections.append(
            WorkSection(
                "Cases in progress",
                "Referrals, notifications, rapid reviews and local reviews the partnership is "
                "running.",
                "There are no cases in progress.",
                _case_items(open_cases),
            )
        )
    if roles & {Role.PANEL_CHAIR, Role.DEPUTY_CHAIR, Role.PANEL_MEMBER}:
        sections.append(
            WorkSection(
                "Before the CSPR Panel",
                "Cases and decisions waiting for the next panel meeting.",
                "Nothing is waiting for the panel.",
                _case_items(open_cases.filter(before_panel_on__isnull=False)),
            )
        )
    if Role.EXECUTIVE_MEMBER in roles:
        sections.append(
            WorkSection(
                "Awaiting your approval",
                "Highlight reports and final review reports for the Executive Group.",
                "Nothing is awaiting your approval.",
            )
        )
    if Role.LEAD_REVIEWER in roles:
        sections.append(
            WorkSection(
                "Your reviews",
                "Cases you are on the team of.",
                "You are not on a case team at the moment.",
                _case_items(open_cases.filter(team__user=user).distinct()),
            )
        )
    if Role.AGENCY_CONTRIBUTOR in roles:
        agency = user.agency.name if user.agency else "your agency"
        sections.append(
            WorkSection(
                f"Information requests for {agency}",
                "Requests for your agency's information about a case, and their due dates.",
                f"There are no open information requests for {agency}.",
                _request_items(user),
            )
        )
    return sections
