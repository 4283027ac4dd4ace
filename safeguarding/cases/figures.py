"""Figures about cases, for the reports registry."""

from django.db.models import Count, Q

from safeguarding.reports.figures import Figure, Result

from .models import Case


def _referrals_by_stage(period):
    # One query, and on the moments the period's days begin and end rather than each case's
    # date in local time: `created_at__date` converts every case's time before comparing.
    start, end = period.moments()
    found = list(
        Case.objects.filter(created_at__gte=start, created_at__lt=end)
        .values("stage")
        .annotate(n=Count("*"), closed=Count("id", filter=Q(status=Case.Status.CLOSED)))
        .values_list("stage", "n", "closed")
    )
    counts = {stage: n for stage, n, _ in found}
    closed = sum(closed for _, _, closed in found)
    rows = [[label, counts.get(stage, 0)] for stage, label in Case.Stage.choices]
    total = sum(counts.values())
    return Result(
        columns=["Stage now", "Cases"],
        rows=rows,
        headline=f"{total} case{'s' if total != 1 else ''} recorded, {closed} closed since",
    )


CASES_BY_STAGE = Figure(
    "cases_by_stage",
    "Cases recorded in the period, by the stage they are at now",
    "activity",
    "Cases whose referral was recorded in the service in the period (the date it was entered), "
    "counted by their stage today. Closed cases are counted at the stage they closed at, and "
    "also in the headline.",
    _referrals_by_stage,
    order=10,
)
