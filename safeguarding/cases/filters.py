import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone

from safeguarding.accounts.models import Agency
from safeguarding.deadlines.calendar import current_calendar
from safeguarding.forms import ModelChoiceField

from .models import Case


class SafeModelChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = ModelChoiceField


class CaseFilter(django_filters.FilterSet):
    """The case list's filters (GET). Values that do not make sense are reported, never a 500."""

    q = django_filters.CharFilter(label="Reference or pseudonym", method="search", max_length=100)
    status = django_filters.ChoiceFilter(choices=Case.Status.choices, empty_label="Any")
    stage = django_filters.ChoiceFilter(choices=Case.Stage.choices, empty_label="Any")
    nature = django_filters.ChoiceFilter(choices=Case.Nature.choices, empty_label="Any")
    agency = SafeModelChoiceFilter(
        label="Agency involved",
        method="by_agency",
        queryset=Agency.objects.all(),
        empty_label="Any",
    )
    year = django_filters.NumberFilter(
        min_value=2000,
        max_value=2100,
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-4"}),
    )
    deadline = django_filters.ChoiceFilter(
        label="Deadlines",
        method="by_deadline",
        empty_label="Any",
        choices=[
            ("overdue", "Overdue"),
            ("due_soon", "Due in the next 5 working days"),
            ("none_open", "Nothing open"),
        ],
    )

    class Meta:
        model = Case
        fields = ["q", "status", "stage", "nature", "agency", "year", "deadline"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(reference__icontains=value) | Q(pseudonym__icontains=value))

    def by_agency(self, queryset, name, value):
        # A subquery, not a join: the list's counts must not be multiplied by the agencies.
        through = Case.agencies_involved.through
        return queryset.filter(pk__in=through.objects.filter(agency=value).values("case_id"))

    def by_deadline(self, queryset, name, value):
        today = timezone.localdate()
        unmet = Q(deadlines__status__in=["open", "missed"], deadlines__met_on__isnull=True)
        if value == "overdue":
            ids = Case.objects.filter(unmet, deadlines__due_date__lt=today).values("pk")
            return queryset.filter(pk__in=ids)
        if value == "due_soon":
            soon = current_calendar().add_working_days(today, 5)
            ids = Case.objects.filter(
                unmet, deadlines__due_date__gte=today, deadlines__due_date__lte=soon
            ).values("pk")
            return queryset.filter(pk__in=ids)
        if value == "none_open":
            ids = Case.objects.filter(unmet).values("pk")
            return queryset.exclude(pk__in=ids)
        return queryset
