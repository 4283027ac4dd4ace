from django import forms

from safeguarding.accounts.models import Agency
from safeguarding.forms import (
    GovukDateField,
    GovukTimeField,
    ModelChoiceField,
    ModelMultipleChoiceField,
    VersionField,
)

from .models import ChronologyEntry
from .sheets import MAX_ROWS
from .uploads import NAMES, max_bytes


class SendRequestsForm(forms.Form):
    agencies = ModelMultipleChoiceField(
        label="Which agencies are you asking?",
        queryset=Agency.objects.filter(is_active=True),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Choose at least one agency",
            "invalid_choice": "Choose agencies from the list",
        },
    )
    questions = forms.CharField(
        label="What do you need from them?",
        help_text="Their involvement with the child and family, a summary, what went well, "
        "what could have been better, immediate actions and a chronology.",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=10000,
        error_messages={"required": "Enter what you need from the agencies"},
    )
    period_from = GovukDateField(
        label="Period to look at: from",
        what="the start of the period",
        past_only=True,
        required=False,
    )
    period_to = GovukDateField(
        label="Period to look at: to", what="the end of the period", past_only=True, required=False
    )
    due_date = GovukDateField(
        label="Due date",
        what="the due date",
        help_text="Leave blank for the default: 8 working days from today.",
        required=False,
    )

    def __init__(self, *args, unanswerable=(), **kwargs):
        super().__init__(*args, **kwargs)
        # Agencies with nobody to answer: said beside their name, before anyone sends.
        self.fields["agencies"].label_from_instance = lambda agency: (
            f"{agency.name} (nobody there has an account: you will be reminded instead)"
            if agency.pk in unanswerable
            else agency.name
        )

    def clean(self):
        data = super().clean()
        start, end = data.get("period_from"), data.get("period_to")
        if start and end and start > end:
            self.add_error("period_to", "The end of the period must be after its start")
        return data


class ResponseForm(forms.Form):
    version = VersionField()
    involvement_from = GovukDateField(
        label="Your agency's involvement: from",
        what="the start of your involvement",
        past_only=True,
        required=False,
    )
    involvement_to = GovukDateField(
        label="Your agency's involvement: to",
        what="the end of your involvement",
        past_only=True,
        required=False,
    )
    nature_of_involvement = forms.CharField(
        label="Nature of your agency's involvement",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=10000,
    )
    summary = forms.CharField(
        label="Summary of your agency's involvement",
        required=False,
        help_text="You can save a draft without it, but you need it to submit.",
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=20000,
    )
    went_well = forms.CharField(
        label="What went well",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=10000,
    )
    could_be_better = forms.CharField(
        label="What could have been better",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=10000,
    )
    immediate_actions = forms.CharField(
        label="Immediate actions your agency has taken",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=10000,
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("involvement_from"), data.get("involvement_to")
        if start and end and start > end:
            self.add_error("involvement_to", "The end of your involvement must be after its start")
        return data


class EntryForm(forms.Form):
    FIELDS = ["date", "time", "what_happened", "who", "significance"]

    date = GovukDateField(label="Date", what="the date", past_only=True)
    time = GovukTimeField(label="Time (if known)", required=False, help_text="For example, 14:30.")
    what_happened = forms.CharField(
        label="What happened",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=ChronologyEntry.TEXT_MAX_LENGTH,
        error_messages={"required": "Enter what happened"},
    )
    who = forms.CharField(
        label="Who in your agency (role, not name)", max_length=200, required=False
    )
    significance = forms.CharField(
        label="Significance",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=ChronologyEntry.TEXT_MAX_LENGTH,
    )


class ChronologyUploadForm(forms.Form):
    file = forms.FileField(
        label="Upload a file",
        help_text=f"An Excel workbook (.xlsx) or a CSV file, up to {MAX_ROWS:,} rows and "
        f"{max_bytes() // (1024 * 1024)} MB.",
        error_messages={
            "required": "Select a spreadsheet",
            "empty": "The selected file is empty",
            "invalid": "Select a spreadsheet",
        },
    )


class BaseEntryFormSet(forms.BaseFormSet):
    """Several chronology entries on one page: blank rows are left out, a row half filled in
    is an error on that row, and at least one entry is needed."""

    default_error_messages = {
        **forms.BaseFormSet.default_error_messages,
        "missing_management_form": "This page is out of date. Reload it and try again.",
        "too_many_forms": "Add at most %(num)d entries at a time",
    }

    def clean(self):
        # A tampered or stale page keeps its own message (raising here would replace it).
        if any(self.errors) or not self.management_form.is_valid():
            return
        if not any(form.has_changed() for form in self.forms):
            raise forms.ValidationError("Enter at least one chronology entry", code="none")

    def entries(self):
        """The rows filled in, in order, as service keyword arguments."""
        return [
            {name: form.cleaned_data[name] for name in EntryForm.FIELDS}
            for form in self.forms
            if form.has_changed()
        ]


MAX_ENTRY_ROWS = 20


def entry_formset(rows=5):
    return forms.formset_factory(
        EntryForm,
        formset=BaseEntryFormSet,
        extra=max(1, min(rows, MAX_ENTRY_ROWS)),
        max_num=MAX_ENTRY_ROWS,
        absolute_max=MAX_ENTRY_ROWS,
        validate_max=True,
    )


class NilReturnForm(forms.Form):
    records_checked = forms.CharField(
        label="Which records did you check? (optional)",
        help_text="For example: our case management system, searched by name and date of birth.",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    confirm = forms.BooleanField(
        label="I confirm my agency has had no involvement with this child or family",
        error_messages={
            "required": "Confirm your agency has had no involvement with this child or family"
        },
    )


class SubmitForm(forms.Form):
    """Submitting asks nothing more: the check page shows the answers. It is a form so that a
    refusal comes back as an error summary, not a banner."""


class DocumentForm(forms.Form):
    file = forms.FileField(
        label="Choose a file",
        help_text=f"{NAMES}. Up to {max_bytes() // (1024 * 1024)} MB.",
        error_messages={
            "required": "Select a file",
            "empty": "The selected file is empty",
            "invalid": "Select a file",
        },
    )
    description = forms.CharField(label="What is it?", max_length=300, required=False)


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label="What needs to change?",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=10000,
        error_messages={"required": "Enter why the response is being returned"},
    )


class ChronologyFilterForm(forms.Form):
    agency = ModelChoiceField(
        queryset=Agency.objects.none(), required=False, empty_label="All agencies", label="Agency"
    )
    # GOV.UK date inputs (day, month, year), not the browser's own date picker.
    date_from = GovukDateField(label="From", what="the start date", required=False)
    date_to = GovukDateField(label="To", what="the end date", required=False)

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "The end date must be on or after the start date")
        return data

    def __init__(self, *args, agencies=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies if agencies is not None else Agency.objects.none()
