import django_filters
from django import forms
from django.db.models import Q

from safeguarding.accounts.models import Agency
from safeguarding.forms import ModelChoiceField

from . import lists
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
        widget=forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false"}),
    )

    class Meta:
        model = Case
        fields = ["q", "status", "stage", "nature", "agency", "year"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(reference__icontains=value) | Q(pseudonym__icontains=value))

    def by_agency(self, queryset, name, value):
        # A subquery, not a join: the list's counts must not be multiplied by the agencies.
        through = Case.agencies_involved.through
        return queryset.filter(pk__in=through.objects.filter(agency=value).values("case_id"))


def case_filter(data, queryset):
    """The case list's filters, with those other apps registered (cases.lists) after ours."""
    filterset = type("CaseFilter", (CaseFilter,), lists.filters())
    return filterset(data, queryset=queryset)
