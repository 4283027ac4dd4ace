"""Figures about cases, for the reports registry."""

from django.db.models import Count, Q

from safeguarding.reports.figures import Figure, Result

from .models import Case


def _referrals_by_stage(period):
    counts = dict(
        Case.objects.filter(created_at__date__range=(period.start, period.end))
        .values("stage")
        .annotate(n=Count("id"))
        .values_list("stage", "n")
    )
    closed = Case.objects.filter(
        Q(created_at__date__range=(period.start, period.end)), status=Case.Status.CLOSED
    ).count()
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
