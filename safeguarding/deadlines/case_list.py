"""What the clocks add to the case list: the next deadline and the overdue count on each row,
and a filter by deadlines (registered in apps.py through cases.lists)."""

import django_filters
from django.db.models import Count, Min, Q
from django.utils import timezone

from .calendar import current_calendar
from .models import Deadline

DEADLINE_FILTER_CHOICES = [
    ("overdue", "Overdue"),
    ("due_soon", "Due in the next 5 working days"),
    ("none_open", "Nothing open"),
]


def next_due():
    return Min("deadlines__due_date", filter=Q(deadlines__status=Deadline.Status.OPEN))


def overdue_count():
    return Count(
        "deadlines",
        filter=Q(
            deadlines__status__in=[Deadline.Status.OPEN, Deadline.Status.MISSED],
            deadlines__met_on__isnull=True,
            deadlines__due_date__lt=timezone.localdate(),
        ),
        distinct=True,
    )


def by_deadline(queryset, name, value):
    today = timezone.localdate()
    # Clocks on a case only: a NULL among the case ids would make NOT IN match nothing.
    unmet = Deadline.objects.unmet().filter(case__isnull=False)
    if value == "overdue":
        return queryset.filter(pk__in=unmet.filter(due_date__lt=today).values("case_id"))
    if value == "due_soon":
        soon = current_calendar().add_working_days(today, 5)
        return queryset.filter(
            pk__in=unmet.filter(due_date__gte=today, due_date__lte=soon).values("case_id")
        )
    if value == "none_open":
        return queryset.exclude(pk__in=unmet.values("case_id"))
    return queryset


def deadline_filter():
    return django_filters.ChoiceFilter(
        label="Deadlines",
        method=by_deadline,
        empty_label="Any",
        choices=DEADLINE_FILTER_CHOICES,
    )
