"""The local reviews' figures, for the reports registry."""

from django.db.models import Count, Q

from safeguarding.deadlines.figures import timeliness
from safeguarding.deadlines.rules import Kind
from safeguarding.reports.figures import Figure, Result

from .models import Approval, LocalReview, ReviewTheme

PUBLISHED_IN_TIME = timeliness(
    kind=Kind.LCSPR_PUBLISHED,
    key="local_reviews_in_time",
    title="Local reviews completed and published within 6 months",
    on_time="Published within 6 months of the decision",
    anchor="the decision to hold the local review: the day the third safeguarding partner "
    "signed it off, or the date recorded for a review started without a rapid review",
    order=40,
)
SENT_BEFORE_PUBLICATION = timeliness(
    kind=Kind.PRE_PUBLICATION_COPY,
    key="final_reports_sent_in_time",
    title="Final reports sent at least 7 working days before publication",
    on_time="Sent to the national Panel and the Secretary of State at least 7 working days "
    "before publication",
    anchor="the publication date (the planned date until the report is published)",
    order=50,
)


def _reviews(period):
    span = (period.start, period.end)
    counts = LocalReview.objects.aggregate(
        started=Count("id", filter=Q(decided_on__range=span)),
        published=Count("id", filter=Q(published_on__range=span)),
    )
    completed = Approval.objects.filter(
        subject=Approval.Subject.REPORT, step=Approval.Step.EXECUTIVE, approved_on__range=span
    ).count()
    return Result(
        columns=["Local reviews", "Number"],
        rows=[
            ["Started (decided)", counts["started"]],
            ["Completed (final approval by the Executive)", completed],
            ["Published", counts["published"]],
        ],
        headline=f"{counts['started']} started, {completed} completed, "
        f"{counts['published']} published",
    )


REVIEWS = Figure(
    "local_reviews",
    "Local reviews started, completed and published",
    "decisions",
    "Local reviews whose decision date falls in the period (started), whose report the "
    "Executive gave final approval in the period (completed), and whose report was published "
    "in the period (published). A review decided and then revised to no review is still "
    "counted as started on its decision date; one the national Panel took as a national review "
    "is counted if it was decided locally first.",
    _reviews,
    order=20,
)


def _themes(period):
    rows = [
        [name, reviews]
        for name, reviews in ReviewTheme.objects.filter(
            review__published_on__range=(period.start, period.end)
        )
        .values("theme__name")
        .annotate(reviews=Count("review", distinct=True))
        .order_by("-reviews", "theme__name")
        .values_list("theme__name", "reviews")
    ]
    recurrent = [name for name, reviews in rows if reviews >= 2]
    return Result(
        columns=["Learning theme", "Reviews published in the period"],
        rows=rows,
        headline=f"{len(recurrent)} of {len(rows)} theme{'s' if len(rows) != 1 else ''} "
        "recur (in two or more reviews)"
        if rows
        else "No review published in the period is tagged with a theme",
    )


LEARNING_THEMES = Figure(
    "recurrent_learning_themes",
    "Recurrent learning themes",
    "actions",
    "Local reviews published in the period (their publication date falls in it), counted by "
    "each learning theme they are tagged with (from the partnership's list, kept in Django "
    "admin); a review counts once for each of its themes, so the numbers add up to more than "
    "the reviews. A theme recurs when two or more of those reviews carry it. Themes of no "
    "review published in the period are left out. Most recurrent first, then by name.",
    _themes,
    order=30,
)
