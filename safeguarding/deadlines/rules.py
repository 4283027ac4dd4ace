"""The statutory and local clocks (docs/domain.md's table D1–D17), in one place.

Each rule keeps its default here; a partnership changes a configurable one in settings, e.g.
`DEADLINE_RULES = {"D7": {"limit": 10}, "D5": {"anchor": "notification_submitted"}}`. Every
deadline row records the rule text, limit and unit that produced it, so an auditor can see why a
date is what it is even after the settings change.
"""

import calendar as _calendar
from dataclasses import dataclass, replace
from datetime import date, timedelta

from django.conf import settings
from django.db import models


class Kind(models.TextChoices):
    NOTIFY_NATIONAL_PANEL = "notify_national_panel", "Notify the national Panel"
    TELL_PARTNERS = "tell_partners", "Tell the safeguarding partners"
    NOTIFY_LAC_DEATH = (
        "notify_lac_death",
        "Notify the Secretary of State and Ofsted (looked-after child)",
    )
    NOTIFY_CARE_LEAVER_DEATH = (
        "notify_care_leaver_death",
        "Notify the Secretary of State and Ofsted (care leaver)",
    )
    RAPID_REVIEW = "rapid_review", "Send the rapid review to the national Panel"
    PANEL_REPLY = "panel_reply", "National Panel's reply to the rapid review"
    NOTIFY_LCSPR_DECISION = (
        "notify_lcspr_decision",
        "Tell the national Panel, Ofsted and DfE of the review",
    )
    LCSPR_PUBLISHED = "lcspr_published", "Complete and publish the local review"
    PRE_PUBLICATION_COPY = "pre_publication_copy", "Send the final report before publication"
    KEEP_PUBLISHED = "keep_published", "Keep the report published"
    PROGRESS_CHECK = "progress_check", "Check the local review's progress"
    AGENCY_RESPONSE = "agency_response", "Agency's answer to an information request"
    FACTUAL_ACCURACY = "factual_accuracy", "Factual-accuracy comments on the draft"
    ACTION_DUE = "action_due", "Complete an action with evidence of impact"
    MEETING_PAPERS = "meeting_papers", "Send papers to panel members"
    YEARLY_REPORT = "yearly_report", "Publish the yearly report"
    PUBLICATION_REASONS = (
        "publication_reasons",
        "Send the reasons for a delayed or withheld publication",
    )


class Unit(models.TextChoices):
    WORKING_DAYS = "working_days", "working days after"
    WORKING_DAYS_BEFORE = "working_days_before", "working days before"
    CALENDAR_MONTHS = "calendar_months", "calendar months after"
    WEEKS = "weeks", "weeks after"
    SET_PER_ITEM = "set_per_item", "date set for each one"
    SEPTEMBER_30 = "september_30", "30 September after the reporting year"


@dataclass(frozen=True)
class Rule:
    code: str
    kind: str
    limit: int
    unit: str
    anchor: str  # what the anchor date is, in the domain's words
    basis: str
    configurable: bool = False
    # For a reply that is expected, not owed (D6): flag as late only after this many.
    flag_after: int | None = None

    def describe(self):
        if self.unit == Unit.SET_PER_ITEM:
            return f"{self.code}: due date set for each one ({self.basis})"
        if self.unit == Unit.SEPTEMBER_30:
            return f"{self.code}: by 30 September after the reporting year ({self.basis})"
        if self.limit == 0 and self.unit == Unit.WORKING_DAYS:
            return f"{self.code}: when {self.anchor} ({self.basis})"
        unit = Unit(self.unit).label
        return f"{self.code}: {self.limit} {unit} {self.anchor} ({self.basis})"

    def due_date(self, anchor, calendar):
        if self.unit == Unit.WORKING_DAYS:
            return calendar.add_working_days(anchor, self.limit)
        if self.unit == Unit.WORKING_DAYS_BEFORE:
            return calendar.subtract_working_days(anchor, self.limit)
        if self.unit == Unit.CALENDAR_MONTHS:
            return add_months(anchor, self.limit)
        if self.unit == Unit.WEEKS:
            return anchor + timedelta(weeks=self.limit)
        if self.unit == Unit.SEPTEMBER_30:
            # The reporting year runs April to March; the anchor is any day in it.
            end_year = anchor.year + 1 if anchor.month >= 4 else anchor.year
            return date(end_year, 9, 30)
        raise ValueError(f"{self.code} has no computed due date; pass one")


def add_months(day, months):
    """Same day of the month, `months` later; the month's last day when it is shorter."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, _calendar.monthrange(year, month)[1]))


DEFAULT_RULES = {
    rule.kind: rule
    for rule in [
        Rule(
            "D1",
            Kind.NOTIFY_NATIONAL_PANEL,
            5,
            Unit.WORKING_DAYS,
            "the local authority became aware",
            "Children Act 2004 s.16C",
        ),
        Rule(
            "D2",
            Kind.TELL_PARTNERS,
            5,
            Unit.WORKING_DAYS,
            "the local authority became aware",
            "Working Together 2023 ch.5",
        ),
        Rule(
            "D3",
            Kind.NOTIFY_LAC_DEATH,
            5,
            Unit.WORKING_DAYS,
            "the local authority became aware of the death",
            "Working Together 2023",
        ),
        Rule(
            "D4",
            Kind.NOTIFY_CARE_LEAVER_DEATH,
            5,
            Unit.WORKING_DAYS,
            "the local authority became aware of the death",
            "Working Together 2023",
        ),
        Rule(
            "D5",
            Kind.RAPID_REVIEW,
            15,
            Unit.WORKING_DAYS,
            "the local authority became aware",
            "national Panel guidance",
            configurable=True,
        ),
        Rule(
            "D6",
            Kind.PANEL_REPLY,
            10,
            Unit.WORKING_DAYS,
            "the rapid review was sent",
            "local experience: expected, not owed",
            flag_after=20,
        ),
        Rule(
            "D7",
            Kind.NOTIFY_LCSPR_DECISION,
            5,
            Unit.WORKING_DAYS,
            "the decision to start a local review",
            "Working Together 2023 ch.5",
            configurable=True,
        ),
        Rule(
            "D8",
            Kind.LCSPR_PUBLISHED,
            6,
            Unit.CALENDAR_MONTHS,
            "the decision to start a local review",
            "Working Together 2023",
        ),
        Rule(
            "D9",
            Kind.PRE_PUBLICATION_COPY,
            7,
            Unit.WORKING_DAYS_BEFORE,
            "the planned publication date",
            "Working Together 2023 ch.5",
        ),
        Rule(
            "D10",
            Kind.KEEP_PUBLISHED,
            12,
            Unit.CALENDAR_MONTHS,
            "publication (earliest removal date)",
            "Working Together 2023",
        ),
        Rule(
            "D11",
            Kind.PUBLICATION_REASONS,
            0,
            Unit.WORKING_DAYS,
            "publication is delayed or withheld",
            "Working Together 2023",
        ),
        Rule(
            "D12",
            Kind.PROGRESS_CHECK,
            8,
            Unit.WEEKS,
            "the last progress check",
            "SI 2018/789 reg.14",
            configurable=True,
        ),
        Rule(
            "D13",
            Kind.AGENCY_RESPONSE,
            8,
            Unit.WORKING_DAYS,
            "the request was sent",
            "local practice",
            configurable=True,
        ),
        Rule(
            "D14",
            Kind.FACTUAL_ACCURACY,
            10,
            Unit.WORKING_DAYS,
            "the draft was circulated",
            "local practice",
            configurable=True,
        ),
        Rule("D15", Kind.ACTION_DUE, 0, Unit.SET_PER_ITEM, "", "local practice"),
        Rule(
            "D16",
            Kind.MEETING_PAPERS,
            5,
            Unit.WORKING_DAYS_BEFORE,
            "the panel meeting",
            "local practice",
            configurable=True,
        ),
        Rule(
            "D17",
            Kind.YEARLY_REPORT,
            0,
            Unit.SEPTEMBER_30,
            "",
            "Children Act 2004 s.16G",
            configurable=True,
        ),
    ]
}

# Each kind's words, made once: Django's `get_kind_display` builds the choices' dict afresh on
# every call (7 µs), and a PDEO's home page asks about 70 times (`Deadline.get_kind_display`,
# the deadline table's rows; docs/performance.md, "Twenty-sixth round").
KIND_LABELS = {kind: str(label) for kind, label in Kind.choices}

# Deadlines someone outside the partnership team owes, which the PDEO may chase by hand.
CHASEABLE_KINDS = (
    Kind.AGENCY_RESPONSE,
    Kind.FACTUAL_ACCURACY,
    Kind.ACTION_DUE,
    Kind.MEETING_PAPERS,
)

# Which date starts the rapid review clock (D5): "awareness" (default) or
# "notification_submitted".
RAPID_REVIEW_ANCHORS = ("awareness", "notification_submitted")


def rule_for(kind):
    """The rule for a kind of deadline, with the partnership's settings applied."""
    rule = DEFAULT_RULES[kind]
    overrides = getattr(settings, "DEADLINE_RULES", {}).get(rule.code, {})
    changes = {k: v for k, v in overrides.items() if k in ("limit", "flag_after")}
    if changes and not rule.configurable:
        raise ValueError(f"{rule.code} is fixed by law and cannot be changed in settings")
    if rule.kind == Kind.RAPID_REVIEW and overrides.get("anchor") == "notification_submitted":
        changes["anchor"] = "the notification was submitted"
    return replace(rule, **changes) if changes else rule


def rapid_review_anchor():
    anchor = getattr(settings, "DEADLINE_RULES", {}).get("D5", {}).get("anchor", "awareness")
    if anchor not in RAPID_REVIEW_ANCHORS:
        raise ValueError(f"D5 anchor must be one of {RAPID_REVIEW_ANCHORS}")
    return anchor
