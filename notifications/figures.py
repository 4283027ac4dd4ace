"""The notifications' figures, for the reports registry."""

from django.db.models import Count

from safeguarding.deadlines.figures import timeliness
from safeguarding.deadlines.rules import Kind
from safeguarding.reports.figures import Figure, Result

from .models import Notification, Referral

NOTIFIED_ON_TIME = timeliness(
    kind=Kind.NOTIFY_NATIONAL_PANEL,
    key="notifications_on_time",
    title="Notifications to the national Panel within 5 working days",
    on_time="Notified within 5 working days",
    anchor="the local authority became aware",
    order=10,
)


def _referrals(period):
    screened = dict(
        Referral.objects.filter(received_on__range=(period.start, period.end))
        .values("decision")
        .annotate(n=Count("id"))
        .values_list("decision", "n")
    )
    notified = Notification.objects.filter(submitted_on__range=(period.start, period.end)).count()
    rows = [[label, screened.get(value, 0)] for value, label in Referral.Decision.choices]
    rows.append(["Not yet screened", screened.get("", 0)])
    total = sum(screened.values())
    return Result(
        columns=["Screening decision", "Referrals"],
        rows=rows,
        headline=f"{total} referral{'s' if total != 1 else ''}, {notified} notified",
    )


REFERRALS = Figure(
    "referrals",
    "Referrals and their screening",
    "activity",
    "Referrals received in the period (the date the partnership received them), by the "
    "screening decision on them. The headline also counts notifications submitted to the "
    "national Panel in the period (the date submitted), whenever their referral came.",
    _referrals,
    order=20,
)
