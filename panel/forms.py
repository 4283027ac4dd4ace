from django import forms
from django.contrib.auth import get_user_model

from cspr.models import Approval
from notifications.forms import ScreeningForm
from rapid_reviews.forms import DecisionForm
from rapid_reviews.models import RapidReview
from safeguarding.accounts.models import Agency
from safeguarding.actions.forms import ActionForm
from safeguarding.forms import (
    GovukDateField,
    GovukTimeField,
    ModelChoiceField,
    ModelMultipleChoiceField,
    VersionField,
)

from .models import QUORACY_PARTNERS, AgendaItem, Attendance, PanelMember, Partner


def _people(label, what):
    return ModelChoiceField(
        label=label,
        queryset=get_user_model().objects.to_choose_from(),
        empty_label="Choose a person",
        error_messages={"required": f"Choose {what}", "invalid_choice": f"Choose {what}"},
    )


class MemberForm(forms.Form):
    person = _people("Member", "the member")
    agency = ModelChoiceField(
        label="Agency they represent",
        help_text="The local authority, police and ICB are the safeguarding partners: the "
        "Panel is quorate only when all three are represented.",
        queryset=Agency.objects.filter(is_active=True),
        empty_label="Choose an agency",
        error_messages={"required": "Choose their agency", "invalid_choice": "Choose their agency"},
    )
    panel_role = forms.ChoiceField(
        label="Role on the Panel",
        choices=PanelMember.PanelRole.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose their role on the Panel"},
    )
    deputy = _people("Named deputy", "their named deputy")
    start_date = GovukDateField(label="Start date", what="the date they join the Panel")
    end_date = GovukDateField(
        label="End date (if known)", what="the date they leave the Panel", required=False
    )


class MemberEditForm(forms.Form):
    version = VersionField()
    panel_role = MemberForm.base_fields["panel_role"]
    start_date = GovukDateField(label="Start date", what="the date they joined the Panel")
    end_date = GovukDateField(
        label="End date (if known)", what="the date they leave the Panel", required=False
    )


class DeputyForm(forms.Form):
    deputy = _people("Named deputy", "the deputy")
    replace = forms.BooleanField(
        label="Replace their current deputy with this person",
        required=False,
        help_text="Each member has exactly one named deputy.",
    )


class _WhenAndWhere(forms.Form):
    start_time = GovukTimeField(
        label="Start time", error_messages={"required": "Enter the time the meeting starts"}
    )
    end_time = GovukTimeField(
        label="End time", error_messages={"required": "Enter the time the meeting ends"}
    )
    place = forms.CharField(
        label="Place", required=False, max_length=300, help_text="Leave blank if online only."
    )
    online_link = forms.URLField(
        label="Online meeting link",
        required=False,
        max_length=500,
        assume_scheme="https",
        error_messages={"invalid": "Enter the link like https://meet.example.org/panel"},
    )


class ScheduleForm(_WhenAndWhere):
    first_date = GovukDateField(
        label="Date of the first meeting",
        what="the date of the first meeting",
        help_text="Six meetings are set, every other month on the same weekday of the month, "
        "moved to the next working day where that is a bank holiday.",
    )
    field_order = ["first_date", "start_time", "end_time", "place", "online_link"]


class CallMeetingForm(_WhenAndWhere):
    day = GovukDateField(label="Date", what="the date of the meeting")
    title = forms.CharField(
        label="Name of the meeting",
        required=False,
        max_length=200,
        help_text="For example: Extraordinary CSPR Panel meeting (rapid review). Never a "
        "child's name: this goes into people's calendars.",
    )
    field_order = ["title", "day", "start_time", "end_time", "place", "online_link"]


class MoveMeetingForm(_WhenAndWhere):
    version = VersionField()
    day = GovukDateField(label="New date", what="the date of the meeting")
    reason = forms.CharField(label="Why it is moving (optional)", required=False, max_length=300)
    field_order = ["version", "day", "start_time", "end_time", "place", "online_link", "reason"]


class CancelMeetingForm(forms.Form):
    version = VersionField()
    reason = forms.CharField(
        label="Why it is cancelled",
        max_length=300,
        error_messages={"required": "Enter why the meeting is cancelled"},
    )


class ItemForm(forms.Form):
    kind = forms.ChoiceField(
        label="What the item is",
        choices=AgendaItem.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what the item is"},
    )
    case_reference = forms.CharField(
        label="Case reference (if the item is about a case)",
        required=False,
        max_length=30,
        help_text="For example NSCP-2026-007.",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-20"}),
    )
    learning_source = forms.ChoiceField(
        label="For learning from other reviews: which review",
        choices=AgendaItem.LearningSource.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    title = forms.CharField(
        label="Short title (optional)",
        required=False,
        max_length=200,
        help_text="Never a child's name: use the reference and pseudonym.",
    )


class PapersForm(forms.Form):
    documents = ModelMultipleChoiceField(
        label="Papers from the case's documents",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choose papers from this case's documents"},
    )

    def __init__(self, *args, queryset, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["documents"].queryset = queryset
        self.fields["documents"].label_from_instance = lambda d: f"{d.original_name} ({d.agency})"


class AttendanceForm(forms.Form):
    """One question per member current on the meeting's date."""

    def __init__(self, *args, attendance, **kwargs):
        super().__init__(*args, **kwargs)
        self.members = {}
        for member, recorded in attendance:
            name = f"member_{member.pk}"
            self.members[name] = member
            self.fields[name] = forms.ChoiceField(
                label=f"{member.user} ({member.get_panel_role_display()}, {member.agency})",
                help_text=f"Named deputy: {member.deputy}",
                choices=Attendance.Status.choices,
                widget=forms.RadioSelect,
                required=False,
                initial=recorded.status if recorded else None,
            )

    def statuses(self):
        return {member: self.cleaned_data.get(name) for name, member in self.members.items()}


class DeclarationForm(forms.Form):
    person = ModelChoiceField(
        label="Who declares the interest",
        queryset=None,
        empty_label="Choose a person",
        error_messages={"required": "Choose who declares it", "invalid_choice": "Choose who"},
    )
    nature = forms.CharField(
        label="What the interest is",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": "Enter what the interest is"},
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people


class MinutesForm(forms.Form):
    version = VersionField()
    minutes = forms.CharField(
        label="Minutes of the item",
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=30000,
        help_text="References and pseudonyms only: never a child's name.",
        error_messages={"required": "Enter the minutes of the item"},
    )
    close = forms.BooleanField(
        label="The item is closed",
        required=False,
        help_text="Closing it ends the members' access to the case's papers (for a rapid "
        "review, that ends with the third partner's sign-off).",
    )


class RapidReviewDecisionForm(DecisionForm):
    """The rapid review's own decision form; the date and who was present come from the
    meeting and its attendance, not typed in."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["decided_on"]
        del self.fields["decided_at_meeting"]


class ReferralDecisionForm(ScreeningForm):
    """The referral's own screening form, decided at the meeting."""


class VirtualDecisionForm(RapidReviewDecisionForm):
    """Between meetings: who agreed for each of the three partners."""

    def __init__(self, *args, people_by_partner, **kwargs):
        super().__init__(*args, **kwargs)
        for partner in QUORACY_PARTNERS:
            label = Partner(partner).label
            self.fields[f"agreed_{partner}"] = ModelChoiceField(
                label=f"Who agreed for the {label.lower()}",
                queryset=people_by_partner[partner],
                empty_label="Choose a person",
                error_messages={
                    "required": f"Choose who agreed for the {label.lower()}",
                    "invalid_choice": f"Choose who agreed for the {label.lower()}",
                },
            )

    def agreements(self):
        return {p: self.cleaned_data.pop(f"agreed_{p}") for p in QUORACY_PARTNERS}


class ActionLogForm(forms.Form):
    """An action arising at the meeting: the actions app's own fields, and where it arose."""

    item = ModelChoiceField(
        label="Agenda item it arose from (optional)",
        queryset=None,
        required=False,
        empty_label="The meeting as a whole",
        help_text="An action from an item about a case is an action on that case.",
        error_messages={"invalid_choice": "Choose an item of this meeting"},
    )
    description = ActionForm.base_fields["description"]
    owner_agency = ActionForm.base_fields["owner_agency"]
    owner = ActionForm.base_fields["owner"]
    due_date = ActionForm.base_fields["due_date"]
    measure_of_success = ActionForm.base_fields["measure_of_success"]
    escalate = forms.BooleanField(
        label="Escalate it to the Executive Group now",
        required=False,
        help_text="The highlight report lists escalated actions until they are finished.",
    )
    escalation_reason = forms.CharField(
        label="Why it is escalated (if it is)",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = items
        self.fields["item"].label_from_instance = lambda item: str(item)

    def clean(self):
        data = super().clean()
        if data.get("escalate") and not (data.get("escalation_reason") or "").strip():
            self.add_error("escalation_reason", "Enter why the action is escalated")
        return data


class EscalateForm(forms.Form):
    reason = forms.CharField(
        label="Why the Panel escalates it to the Executive Group",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter why the action is escalated"},
    )


class ActionLogFilterForm(forms.Form):
    overdue = forms.BooleanField(label="Overdue only", required=False)
    escalated = forms.BooleanField(label="Escalated only", required=False)


class HighlightReportForm(forms.Form):
    executive_meeting = forms.CharField(
        label="Executive Group meeting",
        max_length=200,
        initial="Executive Group meeting",
        error_messages={"required": "Enter the name of the Executive Group meeting"},
    )
    executive_meeting_on = GovukDateField(
        label="Date of the Executive Group meeting", what="the date of the meeting"
    )
    commissioning = forms.CharField(
        label="Recommendations on commissioning",
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Reviews the Panel recommends the Executive commissions, or stops. "
        "References and pseudonyms only: never a child's name.",
    )
    learning = forms.CharField(
        label="Learning",
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Learning from reviews, local and national, since the last report.",
    )
    key_messages = forms.CharField(
        label="Key messages",
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Needed before the report is issued.",
    )


class HighlightEditForm(HighlightReportForm):
    version = VersionField()


class LocalReviewDecisionForm(forms.Form):
    """The Panel decides whether to hold a local review of a case no rapid review decides: to
    hold one, or not (another learning activity, or no further action), with its reasons."""

    decision = forms.ChoiceField(
        label="The Panel's decision",
        choices=[
            (RapidReview.Decision.LCSPR, "Hold a local review"),
            *[
                (value, label)
                for value, label in RapidReview.Decision.choices
                if value != RapidReview.Decision.LCSPR
            ],
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the Panel's decision"},
    )
    learning_activity = forms.ChoiceField(
        label="If another learning activity, which?",
        choices=[("", "Choose one")] + RapidReview.LearningActivity.choices,
        required=False,
    )
    reasons = forms.CharField(
        label="Why the Panel decided as it did",
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Enter why the Panel decided as it did"},
    )
    key_lines_of_enquiry = forms.CharField(
        label="Key lines of enquiry, for a local review (optional)",
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == RapidReview.Decision.OTHER_LEARNING and not data.get(
            "learning_activity"
        ):
            self.add_error("learning_activity", "Choose the learning activity")
        return data


class ApprovalForm(forms.Form):
    """The Panel, as the Case Review Group, approves a local review's final report (after the
    Case Review Panel has agreed it) and signs off its action plan: either or both."""

    approves = forms.MultipleChoiceField(
        label="What the Case Review Group approves",
        choices=Approval.Subject.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="The Executive gives final approval to each next.",
        error_messages={
            "required": "Choose what the Case Review Group approves",
            "invalid_choice": "Choose the final report, the action plan or both",
        },
    )
