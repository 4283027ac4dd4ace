from django import forms
from django.http import QueryDict

from safeguarding.accounts.models import Agency
from safeguarding.cases.forms import child_age_field, child_date_of_birth_field
from safeguarding.cases.models import Case, YesNoUnknown
from safeguarding.forms import (
    GovukDateField,
    ModelChoiceField,
    VersionField,
)

from .models import Notification, Referral
from .services import late_clocks


class ReferralForm(forms.Form):
    referring_agency = ModelChoiceField(
        label="Referring agency",
        queryset=Agency.objects.filter(is_active=True),
        empty_label="Choose an agency",
        error_messages={
            "required": "Choose the referring agency",
            "invalid_choice": "Choose the referring agency",
        },
    )
    referrer_name = forms.CharField(
        label="Name of the person referring",
        max_length=200,
        error_messages={"required": "Enter the name of the person referring"},
    )
    referrer_role = forms.CharField(label="Their role", max_length=200, required=False)
    referrer_email = forms.EmailField(
        label="Their email address",
        required=False,
        error_messages={
            "invalid": "Enter an email address in the correct format, like name@example.org"
        },
    )
    referrer_phone = forms.CharField(label="Their phone number", max_length=40, required=False)
    received_on = GovukDateField(
        label="Date the referral was received",
        what="the date the referral was received",
        past_only=True,
    )
    child_name = forms.CharField(
        label="Child's full name",
        max_length=200,
        error_messages={"required": "Enter the child's name"},
        help_text="Seen only by the partnership team and the case team. You can add more "
        "children on the case page.",
    )
    child_date_of_birth = child_date_of_birth_field(
        label="Child's date of birth", what="the child's date of birth"
    )
    child_age_years = child_age_field(
        label="Child's age in years (if the date of birth is not known)"
    )
    nature = forms.ChoiceField(
        label="What happened to the child?",
        choices=Case.Nature.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what happened to the child"},
    )
    incident_date = GovukDateField(
        label="Date of the incident",
        what="the date of the incident",
        past_only=True,
        required=False,
        help_text="Leave blank if not known.",
    )
    what_happened = forms.CharField(
        label="What happened",
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=10000,
        error_messages={"required": "Enter what happened"},
    )
    why_serious = forms.CharField(
        label="Why may this be a serious child safeguarding case?",
        help_text="Abuse or neglect known or suspected, and the child has died or been "
        "seriously harmed.",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=10000,
        error_messages={"required": "Enter why this may be a serious child safeguarding case"},
    )

    def clean(self):
        data = super().clean()
        dob, incident = data.get("child_date_of_birth"), data.get("incident_date")
        if dob and incident and dob > incident:
            self.add_error(
                "child_date_of_birth",
                "The child's date of birth must be on or before the date of the incident",
            )
        received = data.get("received_on")
        if received and incident and received < incident:
            self.add_error(
                "received_on", "The date received must be on or after the date of the incident"
            )
        return data


class ScreeningForm(forms.Form):
    decision = forms.ChoiceField(
        label="Screening decision",
        choices=Referral.Decision.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a screening decision"},
    )
    la_aware_on = GovukDateField(
        label="Date the local authority became aware",
        what="the date the local authority became aware",
        past_only=True,
        required=False,
        help_text="This starts the 5 working day clocks to notify. For example, 27 3 2026.",
    )
    not_accepted_reason = forms.ChoiceField(
        label="Why is it not accepted?",
        choices=Referral.NotAcceptedReason.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    reason = forms.CharField(
        label="Reason for the decision",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=10000,
        error_messages={"required": "Enter the reason for the decision"},
    )

    def clean(self):
        data = super().clean()
        decision = data.get("decision")
        if (
            decision == Referral.Decision.NOTIFY
            and not data.get("la_aware_on")
            and "la_aware_on" not in self.errors
        ):
            self.add_error("la_aware_on", "Enter the date the local authority became aware")
        if decision == Referral.Decision.NOT_ACCEPTED and not data.get("not_accepted_reason"):
            self.add_error("not_accepted_reason", "Choose why the referral is not accepted")
        return data


class NotificationForm(forms.Form):
    version = VersionField()
    submitted_on = GovukDateField(
        label="Date submitted to the national Panel",
        what="the date the notification was submitted",
        past_only=True,
    )
    national_reference = forms.CharField(
        label="National Panel reference",
        max_length=50,
        required=False,
        help_text="From the DfE online notification. You can add it later.",
    )
    notifier_name = forms.CharField(
        label="Who notified",
        max_length=200,
        error_messages={"required": "Enter who made the notification"},
    )
    notifier_contact = forms.CharField(
        label="Their contact details", max_length=200, required=False
    )
    partners_told_on = GovukDateField(
        label="Date the safeguarding partners were told",
        what="the date the safeguarding partners were told",
        past_only=True,
        required=False,
    )
    ofsted_sos_notified_on = GovukDateField(
        label="Date Ofsted and the Secretary of State were notified",
        what="the date Ofsted and the Secretary of State were notified",
        past_only=True,
        required=False,
        help_text="Needed for the death of a looked-after child or of a care leaver.",
    )
    rapid_review_follows = forms.ChoiceField(
        label="Will a rapid review follow?",
        choices=YesNoUnknown.choices,
        widget=forms.RadioSelect,
    )
    late_reason = forms.CharField(
        label="If the notification was late, why?",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
    )

    @classmethod
    def initial_for(cls, notification, *, notifier):
        n = notification
        return {
            "version": n.version,
            "submitted_on": n.submitted_on,
            "national_reference": n.national_reference or "",
            "notifier_name": n.notifier_name or notifier,
            "notifier_contact": n.notifier_contact,
            "partners_told_on": n.partners_told_on,
            "ofsted_sos_notified_on": n.ofsted_sos_notified_on,
            "rapid_review_follows": n.rapid_review_follows,
            "late_reason": n.late_reason,
        }

    @classmethod
    def from_answers(cls, answers, *, notification):
        """The form bound to answers kept in the session between the form and the check page."""
        data = QueryDict(mutable=True)
        for key, values in answers.items():
            data.setlist(key, values)
        return cls(data, notification=notification)

    def __init__(self, *args, notification, **kwargs):
        self.notification = notification
        super().__init__(*args, **kwargs)
        if not (notification.case.is_looked_after_death or notification.case.is_care_leaver_death):
            del self.fields["ofsted_sos_notified_on"]

    def clean_national_reference(self):
        value = self.cleaned_data["national_reference"].strip()
        if (
            value
            and Notification.objects.filter(national_reference=value)
            .exclude(pk=self.notification.pk)
            .exists()
        ):
            raise forms.ValidationError(
                "This national Panel reference is already recorded on another case"
            )
        return value

    def clean(self):
        data = super().clean()
        aware = self.notification.la_aware_on
        for field in ("submitted_on", "partners_told_on", "ofsted_sos_notified_on"):
            value = data.get(field)
            if value and value < aware:
                self.add_error(
                    field,
                    f"{self.fields[field].label} must be on or after the date the local "
                    f"authority became aware ({aware:%-d %B %Y})",
                )
        if not self.errors:
            late = late_clocks(self.notification, data)
            if late and not data.get("late_reason", "").strip():
                first = late[0]
                self.add_error(
                    "late_reason",
                    f"This is after the deadline ({first.get_kind_display().lower()} was due "
                    f"{first.due_date:%-d %B %Y}): give the reason it was late",
                )
        return data

    def summary(self):
        """Rows for the check-your-answers page."""
        rows = []
        for name, field in self.fields.items():
            if name == "version":
                continue
            value = self.cleaned_data.get(name)
            if hasattr(field, "choices") and value:
                value = dict(field.choices).get(value, value)
            if hasattr(value, "strftime"):
                value = f"{value:%-d %B %Y}"
            rows.append({"name": name, "label": field.label, "value": value or "Not given"})
        return rows


class AwarenessDateForm(forms.Form):
    version = VersionField()
    la_aware_on = GovukDateField(
        label="Date the local authority became aware",
        what="the date the local authority became aware",
        past_only=True,
    )
    confirm = forms.BooleanField(
        label="I understand the notification deadlines will be recalculated from this date",
        error_messages={"required": "Confirm that the deadlines will be recalculated"},
    )
