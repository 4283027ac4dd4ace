from django import forms
from django.utils import timezone

from safeguarding.forms import GovukDateField

from .downloads import FORMATS
from .periods import Period, reporting_year, reporting_year_starting

FIRST_YEAR = 2018  # the 2018 Regulations: nothing to report before them


def year_choices():
    current = reporting_year(timezone.localdate()).start.year
    return [
        (str(year), reporting_year_starting(year).label)
        for year in range(current, FIRST_YEAR - 1, -1)
    ]


class PeriodForm(forms.Form):
    """A reporting year, or any dates. Bad values are errors on the page, never a 500."""

    year = forms.ChoiceField(
        label="Reporting year (April to March)",
        required=False,
        error_messages={"invalid_choice": "Choose a reporting year from the list"},
    )
    start = GovukDateField(label="From", what="the start of the period", required=False)
    end = GovukDateField(label="To", what="the end of the period", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = year_choices()

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if self.errors:
            return data
        if start or end:
            if not start:
                self.add_error("start", "Enter the start of the period")
            if not end:
                self.add_error("end", "Enter the end of the period")
            if start and end and end < start:
                self.add_error("end", "The end of the period must be on or after its start")
            if start and start > timezone.localdate():
                self.add_error("start", "The start of the period must be today or in the past")
        return data

    def period(self):
        """The period asked for (the current reporting year when nothing is asked)."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        if data.get("start") and data.get("end"):
            return Period(data["start"], data["end"])
        if data.get("year"):
            return reporting_year_starting(int(data["year"]))
        return reporting_year(timezone.localdate())


class ExportForm(PeriodForm):
    format = forms.ChoiceField(
        label="Format",
        choices=list(FORMATS.items()),
        widget=forms.RadioSelect,
        initial="xlsx",
        error_messages={
            "required": "Choose CSV or XLSX",
            "invalid_choice": "Choose CSV or XLSX",
        },
    )
