"""The local reviews' figures, for the reports registry."""

from django.db.models import Count, Q

from safeguarding.deadlines.figures import timeliness
from safeguarding.deadlines.rules import Kind
from safeguarding.reports.figures import Figure, Result

from .models import Approval, LocalReview

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
        step=Approval.Step.EXECUTIVE, approved_on__range=span
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
