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


def work_for(user):
    roles = user.role_names
    sections = []
    if roles & {Role.PDEO, Role.BUSINESS_MANAGER, Role.PANEL_CHAIR, Role.DEPUTY_CHAIR}:
        sections.append(
            WorkSection(
                "Cases in progress",
                "Referrals, notifications, rapid reviews and local reviews the partnership is "
                "running.",
                "There are no cases in progress.",
            )
        )
    if roles & {Role.PANEL_CHAIR, Role.DEPUTY_CHAIR, Role.PANEL_MEMBER}:
        sections.append(
            WorkSection(
                "Before the CSPR Panel",
                "Cases and decisions waiting for the next panel meeting.",
                "Nothing is waiting for the panel.",
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
                "Local child safeguarding practice reviews you lead.",
                "You are not leading a review at the moment.",
            )
        )
    if Role.AGENCY_CONTRIBUTOR in roles:
        agency = user.agency.name if user.agency else "your agency"
        sections.append(
            WorkSection(
                f"Information requests for {agency}",
                "Requests for your agency's information about a case, and their due dates.",
                f"There are no open information requests for {agency}.",
            )
        )
    return sections
