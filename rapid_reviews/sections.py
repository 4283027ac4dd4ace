"""The rapid review's task list: its sections, the fields each one edits, and its status."""

from dataclasses import dataclass

from django.urls import reverse

from .models import RapidReview

NOT_STARTED, IN_PROGRESS, COMPLETED = "not_started", "in_progress", "completed"
LABELS = {NOT_STARTED: "Not yet started", IN_PROGRESS: "In progress", COMPLETED: "Completed"}


@dataclass(frozen=True)
class Section:
    slug: str
    title: str
    fields: tuple
    hint: str = ""


EDITABLE = [
    Section(
        "key-dates",
        "Key dates and references",
        ("meeting_date",),
        "The awareness, notification and national reference dates come from the notification.",
    ),
    Section(
        "child-and-family",
        "The child and family",
        ("child_and_family",),
        "Household, legal status and who the child lived with. Use pseudonyms.",
    ),
    Section(
        "incident",
        "The incident and the current situation",
        ("incident_and_current_situation",),
        "The child's condition, the police investigation, the coroner and the child death review.",
    ),
    Section(
        "agency-involvement",
        "Agency involvement",
        ("agency_involvement",),
        "An overview; each agency's summary comes from its accepted response.",
    ),
    Section(
        "analysis",
        "Analysis of practice",
        (
            "key_practice_episodes",
            "what_went_well",
            "what_could_be_better",
            "lived_experience",
            "race_culture_identity",
        ),
    ),
    Section(
        "actions-and-learning",
        "Immediate actions and learning",
        ("immediate_actions", "learning_identified"),
        "Actions taken, escalations of ongoing risk, and learning already identified.",
    ),
    Section(
        "key-lines-of-enquiry",
        "Key lines of enquiry",
        ("key_lines_of_enquiry",),
        "What a local review would need to find out. One per line.",
    ),
]
BY_SLUG = {s.slug: s for s in EDITABLE}


def status_of(review: RapidReview, section: Section):
    marked = review.section_status.get(section.slug)
    if marked == COMPLETED:
        return COMPLETED
    if marked or any(getattr(review, f) for f in section.fields):
        return IN_PROGRESS
    return NOT_STARTED


def task_list(review, *, requests, sign_off_count):
    """[(title, url name or None, status)] in the order of the review."""

    ref = review.case.reference
    items = []
    for section in EDITABLE:
        status = status_of(review, section)
        if section.slug == "agency-involvement" and status != COMPLETED:
            if requests:
                status = IN_PROGRESS
        items.append(
            (
                section.title,
                reverse(
                    "rapid_reviews:section", kwargs={"reference": ref, "section": section.slug}
                ),
                status,
            )
        )
    S = RapidReview.Status
    decided = review.status != S.IN_PROGRESS
    items.append(
        (
            "Criteria and decision",
            reverse("rapid_reviews:criteria", kwargs={"reference": ref}),
            COMPLETED if decided else (IN_PROGRESS if review.criteria.exists() else NOT_STARTED),
        )
    )
    items.append(
        (
            "Sign-off by the safeguarding partners",
            reverse("rapid_reviews:sign_off", kwargs={"reference": ref}),
            COMPLETED if sign_off_count == 3 else (IN_PROGRESS if sign_off_count else NOT_STARTED),
        )
    )
    items.append(
        (
            "Final version and sending to the national Panel",
            reverse("rapid_reviews:send", kwargs={"reference": ref}),
            COMPLETED
            if review.sent_on
            else (IN_PROGRESS if review.status == S.FINAL else NOT_STARTED),
        )
    )
    items.append(
        (
            "The national Panel's reply",
            reverse("rapid_reviews:reply", kwargs={"reference": ref}),
            COMPLETED if review.reply_received_on else NOT_STARTED,
        )
    )
    return items
