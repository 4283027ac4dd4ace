"""The rapid reviews' figures, for the reports registry."""

from django.db.models import Count, Max

from safeguarding.deadlines.figures import timeliness
from safeguarding.deadlines.rules import Kind
from safeguarding.reports.figures import Figure, Result

from .models import RapidReview, SignOff

SENT_ON_TIME = timeliness(
    kind=Kind.RAPID_REVIEW,
    key="rapid_reviews_on_time",
    title="Rapid reviews sent within 15 working days",
    on_time="Sent within 15 working days",
    anchor="the local authority became aware, or the notification was submitted where the "
    "partnership counts from it",
    order=20,
)
REPLIES = timeliness(
    kind=Kind.PANEL_REPLY,
    key="panel_replies",
    title="National Panel replies within 10 working days",
    on_time="Replied within 10 working days",
    anchor="the rapid review was sent",
    order=30,
)


def _decisions(period):
    # A review's sign-off finished on its last partner's date. That is worked out per review,
    # before the reviews are counted by decision: taken over a decision's rows instead, the
    # latest date stood for every review of that decision, ever, and each was counted once
    # per partner (docs/performance.md, "Sixth round"). Only sign-offs from the period's start
    # on are grouped: a review whose last one is in the period has it among them, and every
    # review signed off in earlier years (2,800 of 3,000 at scale 1) is left out before the
    # grouping rather than after it ("Twentieth round").
    finished_in_period = (
        SignOff.objects.filter(signed_on__gte=period.start)
        .values("review")
        .annotate(finished_on=Max("signed_on"))
        .filter(finished_on__range=(period.start, period.end))
        .values("review")
    )
    signed = (
        RapidReview.objects.filter(
            status__in=[
                RapidReview.Status.SIGNED_OFF,
                RapidReview.Status.SENT,
                RapidReview.Status.REPLIED,
            ],
            pk__in=finished_in_period,
        )
        .values("decision")
        .annotate(n=Count("*"))
        .values_list("decision", "n")
    )
    counts = dict(signed)
    rows = [[label, counts.get(value, 0)] for value, label in RapidReview.Decision.choices]
    total = sum(counts.values())
    local = counts.get(RapidReview.Decision.LCSPR, 0)
    return Result(
        columns=["Decision", "Rapid reviews"],
        rows=rows,
        headline=f"{total} decision{'s' if total != 1 else ''}, {local} to hold a local review",
    )


DECISIONS = Figure(
    "rapid_review_decisions",
    "Rapid review decisions",
    "decisions",
    "Rapid reviews whose decision the three safeguarding partners finished signing off in the "
    "period (the date of the third sign-off), by the decision.",
    _decisions,
    order=10,
)
