from django import forms
from django.contrib.auth import get_user_model

from safeguarding.accounts.models import Agency
from safeguarding.forms import (
    GovukDateField,
    GovukTimeField,
    ModelChoiceField,
    ModelMultipleChoiceField,
    VersionField,
    numeric_input,
)

from .models import Case, CaseTeamMember, Child, YesNoUnknown


def agency_choices_field(**kwargs):
    return ModelMultipleChoiceField(
        queryset=Agency.objects.filter(is_active=True),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        **kwargs,
    )


class CaseDetailsForm(forms.Form):
    version = VersionField()
    pseudonym = forms.CharField(
        label="Pseudonym",
        max_length=60,
        help_text="Used in lists, reports and anything published, for example Child A.",
        error_messages={"required": "Enter a pseudonym"},
    )
    nature = forms.ChoiceField(
        label="Nature of the incident",
        choices=Case.Nature.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the nature of the incident"},
    )
    incident_date = GovukDateField(
        label="Date of the incident",
        what="the date of the incident",
        past_only=True,
        required=False,
        help_text="For example, 27 3 2026. Leave blank if not known.",
    )
    incident_time = GovukTimeField(
        label="Time of the incident (if known)",
        required=False,
        help_text="Use the 24-hour clock, for example 14:30.",
    )
    place = forms.ChoiceField(
        label="Where did it happen?",
        choices=Case.Place.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose where the incident happened"},
    )
    abuse_types = forms.MultipleChoiceField(
        label="Abuse or neglect known or suspected",
        choices=Case.AbuseType.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    outline = forms.CharField(
        label="Outline of what happened",
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Enter an outline of what happened"},
        max_length=10000,
    )
    agencies_involved = agency_choices_field(label="Agencies involved")
    police_investigation = forms.ChoiceField(
        label="Police investigation", choices=YesNoUnknown.choices, widget=forms.RadioSelect
    )
    coroner_involved = forms.ChoiceField(
        label="Coroner involved", choices=YesNoUnknown.choices, widget=forms.RadioSelect
    )
    child_death_review = forms.ChoiceField(
        label="Child death review (CDOP)", choices=YesNoUnknown.choices, widget=forms.RadioSelect
    )
    media_interest = forms.ChoiceField(
        label="Media interest", choices=YesNoUnknown.choices, widget=forms.RadioSelect
    )

    @classmethod
    def initial_for(cls, case):
        return {
            "version": case.version,
            "pseudonym": case.pseudonym,
            "nature": case.nature,
            "incident_date": case.incident_date,
            "incident_time": case.incident_time,
            "place": case.place,
            "abuse_types": case.abuse_types,
            "outline": case.outline,
            "agencies_involved": list(case.agencies_involved.all()),
            "police_investigation": case.police_investigation,
            "coroner_involved": case.coroner_involved,
            "child_death_review": case.child_death_review,
            "media_interest": case.media_interest,
        }


def child_date_of_birth_field(label="Date of birth", what="the date of birth"):
    return GovukDateField(
        label=label,
        what=what,
        past_only=True,
        required=False,
        help_text="Leave blank if not known and give an age instead.",
    )


def child_age_field(label="Age in years (if the date of birth is not known)"):
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=0,
        max_value=25,
        error_messages={
            "invalid": "Enter the age as a number, like 7",
            "min_value": "Enter an age of 0 or more",
            "max_value": "Enter an age of 25 or less",
        },
        # A GOV.UK text input for a number (not type=number: see the Design System).
        widget=numeric_input(width=2),
    )


class ChildForm(forms.Form):
    # Set when editing an existing child (see VersionField); empty when adding one.
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)
    name = forms.CharField(
        label="Full name",
        max_length=200,
        error_messages={"required": "Enter the child's name"},
    )
    date_of_birth = child_date_of_birth_field()
    age_years = child_age_field()
    sex = forms.ChoiceField(label="Sex", choices=Child.Sex.choices, widget=forms.RadioSelect)
    ethnicity = forms.CharField(label="Ethnicity", max_length=100, required=False)
    religion = forms.CharField(label="Religion", max_length=100, required=False)
    disability = forms.CharField(label="Disability", max_length=200, required=False)
    legal_status = forms.CharField(
        label="Legal status or placement",
        max_length=200,
        required=False,
        help_text="For example: looked after (section 31), child in need, no legal status.",
    )
    child_protection_plan = forms.ChoiceField(
        label="Child protection plan",
        choices=Child.ProtectionPlan.choices,
        widget=forms.RadioSelect,
    )
    known_to_agencies = forms.CharField(
        label="Known to agencies",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
    )
    home_local_authority = forms.CharField(
        label="Home local authority", max_length=200, required=False
    )
    address = forms.CharField(
        label="Address",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
    )
    nhs_number = forms.CharField(
        label="NHS number (optional)",
        max_length=12,
        required=False,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10"}),
    )

    FIELDS = [
        "name",
        "date_of_birth",
        "age_years",
        "sex",
        "ethnicity",
        "religion",
        "disability",
        "legal_status",
        "child_protection_plan",
        "known_to_agencies",
        "home_local_authority",
        "address",
        "nhs_number",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in Child.IDENTIFYING_FIELDS:
            hint = self.fields[name].help_text
            need_to_know = "Seen only by the partnership team and the case team."
            self.fields[name].help_text = f"{hint} {need_to_know}".strip()

    @classmethod
    def initial_for(cls, child):
        return {"version": child.version, **{f: getattr(child, f) for f in cls.FIELDS}}

    def child_fields(self):
        data = {f: self.cleaned_data[f] for f in self.FIELDS}
        data["nhs_number"] = data["nhs_number"].replace(" ", "")
        return data


class EscalationForm(forms.Form):
    issue = forms.CharField(
        label="What is the ongoing risk or issue?",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter the issue that was escalated"},
        max_length=5000,
    )
    escalated_to = ModelChoiceField(
        label="Agency escalated to",
        queryset=Agency.objects.filter(is_active=True),
        empty_label="Choose an agency",
        error_messages={
            "required": "Choose the agency it was escalated to",
            "invalid_choice": "Choose the agency it was escalated to",
        },
    )
    escalated_on = GovukDateField(
        label="Date escalated", what="the date it was escalated", past_only=True
    )
    response = forms.CharField(
        label="Response (if known)",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=5000,
    )


class TeamMemberForm(forms.Form):
    user = ModelChoiceField(
        label="Person",
        queryset=get_user_model().objects.to_choose_from(),
        empty_label="Choose a person",
        error_messages={"required": "Choose a person", "invalid_choice": "Choose a person"},
    )
    role = forms.ChoiceField(
        label="Role on this case",
        choices=CaseTeamMember.Role.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose their role on this case"},
    )


class ConflictForm(forms.Form):
    nature = forms.CharField(
        label="What is the conflict of interest?",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Describe the conflict of interest"},
        max_length=5000,
    )
    confirm = forms.BooleanField(
        label="I understand I will no longer be able to see this case",
        error_messages={"required": "Confirm you understand you will lose access to this case"},
    )


class HouseholdMemberForm(forms.Form):
    name = forms.CharField(
        label="Full name",
        max_length=200,
        error_messages={"required": "Enter the person's name"},
        help_text="Seen only by the partnership team, the case team and, where their kind of "
        "agency searches on household names, agencies answering a request.",
    )
    relationship = forms.CharField(
        label="Relationship to the child",
        max_length=100,
        help_text="For example mother, stepfather, older sibling, lodger.",
        error_messages={"required": "Enter their relationship to the child"},
        widget=forms.TextInput(attrs={"class": "govuk-input--width-20"}),
    )
