from django import forms
from django.contrib.auth import get_user_model

from rapid_reviews.models import RapidReview
from safeguarding.accounts.models import Agency
from safeguarding.actions.forms import ActionForm
from safeguarding.contributions.uploads import max_bytes
from safeguarding.forms import GovukDateField, ModelChoiceField, ModelMultipleChoiceField

from .models import (
    Appointment,
    Approval,
    EventPractitioner,
    FactualAccuracyComment,
    FamilyEngagement,
    LearningEvent,
    LearningTheme,
    PublicationDelay,
    ReportDraft,
    ReviewerRequest,
    TermsOfReference,
)

TEXT = {"max_length": 30000, "widget": forms.Textarea(attrs={"rows": 5})}


class StartForm(forms.Form):
    decided_on = GovukDateField(
        label="Date of the decision",
        what="the date of the decision",
        help_text="The 6-month clock counts from it. For example, 27 3 2026",
    )
    decided_by = forms.CharField(
        label="Who decided",
        max_length=300,
        help_text="For example, the three safeguarding partners at the Executive Group",
        error_messages={"required": "Enter who decided to hold the local review"},
    )
    reasons = forms.CharField(label="The reasons for the decision", required=False, **TEXT)
    key_lines_of_enquiry = forms.CharField(
        label="Key lines of enquiry (one per line)", required=False, **TEXT
    )


class PersonChoiceField(ModelChoiceField):
    def label_from_instance(self, person):
        agency = f", {person.agency}" if person.agency_id else ", independent"
        return f"{person.full_name}{agency}"


class AppointForm(forms.Form):
    role = forms.ChoiceField(
        label="Their role on the review",
        choices=Appointment.Role.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the person's role on the review"},
    )
    person = PersonChoiceField(
        label="Who",
        queryset=get_user_model().objects.none(),
        empty_label="Choose someone",
        error_messages={
            "required": "Choose the person to appoint",
            "invalid_choice": "Choose a person from the list",
        },
    )
    directly_involved = forms.BooleanField(
        label="This Case Review Panel member was directly involved with the child or family",
        required=False,
    )

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        if people is not None:
            self.fields["person"].queryset = people


class ToldForm(forms.Form):
    told_on = GovukDateField(
        label="Date the notification was sent",
        what="the date the notification was sent",
        help_text="Sent to the national Panel, Ofsted and DfE. For example, 27 3 2026",
    )
    reviewer_named = forms.CharField(
        label="The reviewer named in it",
        max_length=300,
        error_messages={"required": "Enter the reviewer's name as given in the notification"},
    )


class TellAgenciesForm(forms.Form):
    agencies = ModelMultipleChoiceField(
        label="Agencies asked",
        queryset=Agency.objects.order_by("name"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one agency"},
    )
    what = forms.CharField(
        label="What they are asked to do",
        help_text="It is emailed to each agency's contributors: do not name the child or family.",
        error_messages={"required": "Enter what the agencies are asked to do"},
        **TEXT,
    )


class RevisedDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="The revised decision",
        choices=RapidReview.Decision.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the revised decision"},
    )
    learning_activity = forms.ChoiceField(
        label="The learning activity (for other learning)",
        choices=[("", "Choose an activity"), *RapidReview.LearningActivity.choices],
        required=False,
    )
    reasons = forms.CharField(
        label="The reasons for the revised decision",
        error_messages={"required": "Give the reasons for the revised decision"},
        **TEXT,
    )


class NationalUpdateForm(forms.Form):
    on = GovukDateField(label="Date", what="the date")
    note = forms.CharField(
        label="What the partnership did or was asked",
        error_messages={"required": "Enter what the partnership did or was asked"},
        **TEXT,
    )


class TermsForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    scope = forms.CharField(label="Scope", required=False, **TEXT)
    period_from = GovukDateField(
        label="Period under review: from", what="the start of the period", required=False
    )
    period_to = GovukDateField(
        label="Period under review: to", what="the end of the period", required=False
    )
    agencies = ModelMultipleChoiceField(
        label="Agencies taking part",
        queryset=Agency.objects.order_by("name"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    key_lines_of_enquiry = forms.CharField(
        label="Key lines of enquiry (one per line)",
        help_text="Carried over from the rapid review: change them as the review needs.",
        required=False,
        **TEXT,
    )
    method = forms.ChoiceField(
        label="Method",
        choices=TermsOfReference.Method.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    method_other = forms.CharField(label="The other method", max_length=200, required=False)
    family_involvement = forms.CharField(label="Family involvement", required=False, **TEXT)
    timescale = forms.CharField(label="Timescale", required=False, **TEXT)
    governance = forms.CharField(label="Governance", required=False, **TEXT)


class ProgressCheckForm(forms.Form):
    checked_on = GovukDateField(label="Date of the check", what="the date of the check")
    timeliness = forms.CharField(
        label="Timeliness", error_messages={"required": "Enter a note on timeliness"}, **TEXT
    )
    quality = forms.CharField(
        label="Quality", error_messages={"required": "Enter a note on quality"}, **TEXT
    )


class ReviewerRequestForm(forms.Form):
    kind = forms.ChoiceField(
        label="What was asked for",
        choices=ReviewerRequest.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what was asked for"},
    )
    details = forms.CharField(
        label="The request, as sent in writing",
        error_messages={"required": "Enter what the reviewer was asked for"},
        **TEXT,
    )
    asked_on = GovukDateField(label="Date asked", what="the date asked")
    due_on = GovukDateField(
        label="Wanted by (optional)",
        what="the date wanted",
        required=False,
        help_text="Left empty, 10 working days after the date asked",
    )


class FirstMeetingForm(forms.Form):
    first_panel_meeting_on = GovukDateField(
        label="Date of the first Case Review Panel meeting", what="the date of the meeting"
    )


class DelayForm(forms.Form):
    expected_on = GovukDateField(
        label="When the review is now expected to be published", what="the expected date"
    )
    reasons = forms.CharField(
        label="Reasons for the delay",
        error_messages={"required": "Enter the reasons for the delay"},
        **TEXT,
    )
    panel_told_on = GovukDateField(
        label="Date the national Panel was told", what="the date told", required=False
    )
    executive_told_on = GovukDateField(
        label="Date the Executive was told", what="the date told", required=False
    )


class ApprovalForm(forms.Form):
    step = forms.ChoiceField(
        label="Which step",
        choices=[(s, label) for s, label in Approval.Step.choices if s != Approval.Step.EXECUTIVE],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the approval step"},
    )
    approved_on = GovukDateField(label="Date", what="the date")
    present = forms.CharField(
        label="Who was present",
        help_text="Names, roles and agencies.",
        error_messages={"required": "Enter who was present"},
        **TEXT,
    )


class FinalApprovalForm(forms.Form):
    approved_on = GovukDateField(label="Date of the Executive's approval", what="the date")
    present = forms.CharField(
        label="Who was present",
        help_text="Names, roles and agencies.",
        error_messages={"required": "Enter who was present"},
        **TEXT,
    )


class PlanPublicationForm(forms.Form):
    planned_on = GovukDateField(label="Planned publication date", what="the planned date")


class ReportSentForm(forms.Form):
    sent_on = GovukDateField(
        label="Date the final report was sent to the national Panel and the Secretary of State",
        what="the date sent",
    )


class PublishForm(forms.Form):
    published_on = GovukDateField(label="Date published", what="the date of publication")
    link = forms.URLField(
        assume_scheme="https",
        label="Where it is published (the link)",
        max_length=500,
        error_messages={
            "required": "Enter where the report is published",
            "invalid": "Enter the link like https://www.example.org/report",
        },
    )
    media_plan = forms.CharField(label="Media plan", required=False, **TEXT)


class LateReasonForm(forms.Form):
    reason = forms.CharField(
        label="Why the report was sent fewer than 7 working days before publication",
        error_messages={"required": "Enter why the report was sent late"},
        **TEXT,
    )


class PublicationDelayForm(forms.Form):
    kind = forms.ChoiceField(
        label="Publication is",
        choices=PublicationDelay.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether publication is delayed or withheld"},
    )
    reasons = forms.CharField(
        label="The reasons (for example, a criminal trial or an inquest)",
        error_messages={"required": "Enter the reasons"},
        **TEXT,
    )
    decided_on = GovukDateField(label="Date decided", what="the date of the decision")
    sent_on = GovukDateField(
        label="Date the reasons were sent to the national Panel and the Secretary of State",
        what="the date sent",
        required=False,
    )


# --- Drafts of the report and factual accuracy ---


class DraftForm(forms.Form):
    upload = forms.FileField(
        label="The draft report",
        required=False,  # the service says "Select the draft report"
        help_text="A PDF, Word or OpenDocument text file, up to "
        f"{max_bytes() // (1024 * 1024)} MB.",
        error_messages={"empty": "The selected file is empty", "invalid": "Select a file"},
    )
    note = forms.CharField(
        label="What changed in this version (optional)",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class CommentForm(forms.Form):
    where = forms.CharField(
        label="Section or page (optional)",
        required=False,
        max_length=200,
        help_text="For example, section 4.2, page 12",
    )
    comment = forms.CharField(
        label="Your agency's comment on the facts",
        error_messages={"required": "Enter the comment"},
        **TEXT,
    )


class ResponseForm(forms.Form):
    outcome = forms.ChoiceField(
        label="Is the report changed?",
        choices=FactualAccuracyComment.Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether the report is changed"},
    )
    response = forms.CharField(
        label="Your response", error_messages={"required": "Enter the response"}, **TEXT
    )


# --- Learning events and the family's part ---


class LearningEventForm(forms.Form):
    kind = forms.ChoiceField(
        label="What kind of event",
        choices=LearningEvent.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the kind of event"},
    )
    held_on = GovukDateField(label="Date", what="the date of the event")
    notes = forms.CharField(label="Notes (optional)", required=False, **TEXT)


class PractitionerForm(forms.Form):
    agency = ModelChoiceField(
        label="Agency",
        queryset=Agency.objects.order_by("name"),
        empty_label="Choose an agency",
        error_messages={
            "required": "Choose the practitioner's agency",
            "invalid_choice": "Choose an agency from the list",
        },
    )
    who = forms.CharField(
        label="Practitioner's name and role",
        max_length=200,
        help_text="For example, Sam Patel, health visitor",
        error_messages={"required": "Enter the practitioner's name and role"},
    )


class AttendanceForm(forms.Form):
    attended = ModelMultipleChoiceField(
        label="Who attended",
        queryset=EventPractitioner.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        error_messages={"invalid_choice": "Choose from the practitioners invited"},
    )
    notes = forms.CharField(label="What was learned (notes)", required=False, **TEXT)

    def __init__(self, *args, practitioners=None, **kwargs):
        super().__init__(*args, **kwargs)
        if practitioners is not None:
            self.fields["attended"].queryset = practitioners
        self.fields["attended"].label_from_instance = lambda p: f"{p.who}, {p.agency.name}"


class FamilyForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    relationship = forms.CharField(
        label="Who was approached: their relationship to the child",
        max_length=100,
        help_text="For example, mother or grandfather. Do not enter their name.",
        error_messages={"required": "Enter their relationship to the child, for example mother"},
    )
    how = forms.ChoiceField(
        label="How were they approached",
        choices=FamilyEngagement.How.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how they were approached"},
    )
    approached_on = GovukDateField(label="Date approached", what="the date they were approached")
    response = forms.ChoiceField(
        label="Their response",
        choices=FamilyEngagement.Response.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose their response"},
    )
    contributions = forms.CharField(
        label="Their views and contributions (optional)", required=False, **TEXT
    )


# --- Recommendations, the action plan, learning themes and the learning briefing ---


class DraftChoiceField(ModelChoiceField):
    def label_from_instance(self, draft):
        return f"Version {draft.number}, uploaded {draft.uploaded_at:%-d %B %Y}"


class RecommendationForm(forms.Form):
    text = forms.CharField(
        label="The recommendation",
        help_text="As it is worded in the final report.",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Enter the recommendation"},
    )
    draft = DraftChoiceField(
        label="Which version of the report is it from? (optional)",
        queryset=ReportDraft.objects.none(),
        required=False,
        empty_label="Not from an uploaded version",
        error_messages={"invalid_choice": "Choose a version of the report from the list"},
    )

    def __init__(self, *args, drafts=None, **kwargs):
        super().__init__(*args, **kwargs)
        if drafts is not None:
            self.fields["draft"].queryset = drafts
        if not self.fields["draft"].queryset.exists():
            del self.fields["draft"]


class RecommendationActionForm(ActionForm):
    """A SMART action for a recommendation: the actions' own form, without the case and source
    (the recommendation is its source, the review's case its case)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["case_reference"]
        del self.fields["source"]


class PlanSignOffForm(forms.Form):
    approved_on = GovukDateField(label="Date of the sign-off", what="the date of the sign-off")
    present = forms.CharField(
        label="Who was present",
        help_text="Names, roles and agencies.",
        error_messages={"required": "Enter who was present"},
        **TEXT,
    )


class ThemesForm(forms.Form):
    themes = ModelMultipleChoiceField(
        label="Learning themes",
        help_text="From the partnership's list. Choose none to remove every theme.",
        queryset=LearningTheme.objects.filter(active=True).order_by("name"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        error_messages={"invalid_choice": "Choose themes from the list"},
    )


class BriefingForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    summary = forms.CharField(
        label="The case in brief",
        help_text="By pseudonym only: never the child's or the family's names, dates of birth "
        "or addresses.",
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Enter the case in brief"},
    )
    key_learning = forms.CharField(
        label="Key learning (one point per line)",
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Enter the key learning"},
    )
    questions = forms.CharField(
        label="Questions for practitioners (one per line)",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Enter at least one question for practitioners"},
    )
