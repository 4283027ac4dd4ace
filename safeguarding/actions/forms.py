from django import forms
from django.contrib.auth import get_user_model

from safeguarding.accounts.models import Agency
from safeguarding.contributions.uploads import NAMES, max_bytes
from safeguarding.forms import GovukDateField

from .models import Action

RAG_CHOICES = Action.Rag.choices


def _text(label, *, required=True, message="", rows=4, help_text=""):
    return forms.CharField(
        label=label,
        widget=forms.Textarea(attrs={"rows": rows}),
        max_length=5000,
        required=required,
        help_text=help_text,
        error_messages={"required": message} if message else {},
    )


def _evidence_file():
    return forms.FileField(
        label="Evidence file (optional)",
        required=False,
        help_text=f"{NAMES}. Up to {max_bytes() // (1024 * 1024)} MB.",
        error_messages={"empty": "The selected file is empty", "invalid": "Select a file"},
    )


class VersionedForm(forms.Form):
    """Posts the version of the action the form was opened on (optimistic locking)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ActionForm(forms.Form):
    case_reference = forms.CharField(
        label="Case reference (optional)",
        required=False,
        max_length=30,
        help_text="For example NSCP-2026-007. Leave empty for an action on no case.",
    )
    source = forms.ChoiceField(
        label="Where does the action come from?",
        choices=[(Action.Source.ACTION_LOG, Action.Source.ACTION_LOG.label)]
        + [(Action.Source.OTHER, Action.Source.OTHER.label)],
        widget=forms.RadioSelect,
        error_messages={"required": "Select where the action comes from"},
    )
    description = _text("What is the action?", message="Enter what the action is")
    owner_agency = forms.ModelChoiceField(
        label="Owner agency",
        queryset=Agency.objects.order_by("name"),
        empty_label="Select an agency",
        error_messages={"required": "Select the owner agency"},
    )
    owner = forms.ModelChoiceField(
        label="Owner (optional)",
        queryset=get_user_model().objects.to_choose_from().order_by("full_name"),
        required=False,
        empty_label="Nobody named: the agency",
        help_text="The person in the owner agency who answers for it.",
    )
    due_date = GovukDateField(what="the due date")
    measure_of_success = _text(
        "How will success be measured?", message="Enter how success will be measured"
    )


class UpdateForm(VersionedForm):
    text = _text("What has been done?", message="Enter what has been done", rows=5)
    rag = forms.ChoiceField(
        label="RAG status now",
        choices=RAG_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the RAG status"},
    )
    file = _evidence_file()


class ProposeClosureForm(VersionedForm):
    evidence = _text(
        "Evidence of impact",
        message="Enter the evidence of impact: an action is closed only on evidence",
        rows=6,
        help_text="What has changed in practice because of this action, and how you know.",
    )
    file = _evidence_file()


class DecideClosureForm(VersionedForm):
    decision = forms.ChoiceField(
        label="Is the evidence of impact enough to close the action?",
        choices=[("accept", "Yes, close the action"), ("return", "No, return it to the agency")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether to close the action"},
    )
    reason = _text(
        "Reason",
        required=False,
        help_text="Needed when you return it: what the agency must add.",
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == "return" and not (data.get("reason") or "").strip():
            self.add_error("reason", "Enter why the closure is returned")
        return data


class CarryForm(VersionedForm):
    reasons = _text(
        "Where is the action carried, and why?",
        message="Enter where the action is carried and why",
        rows=5,
    )


class FilterForm(forms.Form):
    agency = forms.ModelChoiceField(
        label="Owner agency",
        queryset=Agency.objects.order_by("name"),
        required=False,
        empty_label="Any",
    )
    rag = forms.ChoiceField(label="RAG status", choices=[("", "Any"), *RAG_CHOICES], required=False)
    status = forms.ChoiceField(
        label="Status", choices=[("", "Any"), *Action.Status.choices], required=False
    )
    overdue = forms.BooleanField(label="Overdue only", required=False)
