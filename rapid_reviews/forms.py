from django import forms

from safeguarding.forms import GovukDateField, VersionField

from .models import CriterionAnswer, RapidReview
from .sections import BY_SLUG
from .selectors import CARRY_ON, CLOSE

COMPLETED_CHOICES = [
    ("yes", "Yes, I've completed this section"),
    ("no", "No, I'll come back to it later"),
]

# Labels for the section fields, in the review's own words.
FIELD_LABELS = {
    "meeting_date": "Date of the rapid review meeting",
    "child_and_family": "The child and family",
    "incident_and_current_situation": "The incident and the current situation",
    "agency_involvement": "Overview of agency involvement",
    "key_practice_episodes": "Key practice episodes",
    "what_went_well": "What went well",
    "what_could_be_better": "What could be better, and why",
    "lived_experience": "The child's lived experience and voice",
    "race_culture_identity": "Race, culture, identity and inequality",
    "immediate_actions": "Immediate actions taken and escalations of ongoing risk",
    "learning_identified": "Learning already identified",
    "key_lines_of_enquiry": "Key lines of enquiry (one per line)",
}


def section_form_class(slug):
    """A form for one task-list section: its fields, and 'have you completed it?'."""
    section = BY_SLUG[slug]
    fields = {"version": VersionField()}
    for name in section.fields:
        if name == "meeting_date":
            fields[name] = GovukDateField(
                label=FIELD_LABELS[name], what="the date of the meeting", required=False
            )
        else:
            fields[name] = forms.CharField(
                label=FIELD_LABELS[name],
                required=False,
                max_length=30000,
                widget=forms.Textarea(attrs={"rows": 6}),
            )
    fields["completed"] = forms.ChoiceField(
        label="Have you completed this section?",
        choices=COMPLETED_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether you've completed this section"},
    )
    return type(f"{slug.title().replace('-', '')}Form", (forms.Form,), fields)


class CriteriaForm(forms.Form):
    """Each statutory and guidance criterion: yes / no / possibly, with a rationale."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for code, label in CriterionAnswer.Criterion.choices:
            self.fields[f"{code}_answer"] = forms.ChoiceField(
                label=label,
                choices=CriterionAnswer.Answer.choices,
                widget=forms.RadioSelect,
                error_messages={"required": "Answer this criterion"},
            )
            self.fields[f"{code}_rationale"] = forms.CharField(
                label="Why",
                widget=forms.Textarea(attrs={"rows": 2}),
                max_length=10000,
                error_messages={"required": "Give the reason for this answer"},
            )

    @classmethod
    def initial_for(cls, answers):
        initial = {}
        for code, answer in answers.items():
            initial[f"{code}_answer"] = answer.answer
            initial[f"{code}_rationale"] = answer.rationale
        return initial

    def rows(self):
        """(answer field, rationale field, statutory?) per criterion, in order."""
        return [
            (self[f"{code}_answer"], self[f"{code}_rationale"], code in CriterionAnswer.STATUTORY)
            for code in CriterionAnswer.Criterion.values
        ]

    def answers(self):
        return {
            code: (self.cleaned_data[f"{code}_answer"], self.cleaned_data[f"{code}_rationale"])
            for code in CriterionAnswer.Criterion.values
        }


class DecisionForm(forms.Form):
    @classmethod
    def initial_for(cls, review):
        return {
            "decision": review.decision,
            "other_learning_activity": review.other_learning_activity,
            "rationale": review.decision_rationale,
            "national_review_view": review.national_review_view,
            "national_review_reason": review.national_review_reason,
            "decided_on": review.decided_on,
            "decided_at_meeting": review.decided_at_meeting,
        }

    decision = forms.ChoiceField(
        label="The decision",
        choices=RapidReview.Decision.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the decision"},
    )
    other_learning_activity = forms.ChoiceField(
        label="If another learning activity, which?",
        choices=[("", "Choose one")] + RapidReview.LearningActivity.choices,
        required=False,
    )
    rationale = forms.CharField(
        label="Rationale for the decision",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=20000,
        error_messages={"required": "Give the rationale for the decision"},
    )
    national_review_view = forms.ChoiceField(
        label="Do the partners think a national review may be needed?",
        choices=RapidReview.NationalView.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether a national review may be needed"},
    )
    national_review_reason = forms.CharField(
        label="Why (if yes or not sure)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=10000,
    )
    decided_on = GovukDateField(
        label="Date of the CSPR Panel meeting that decided",
        what="the date of the decision",
        past_only=True,
    )
    decided_at_meeting = forms.CharField(
        label="Who was present",
        help_text="Names, roles and agencies.",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=10000,
        error_messages={"required": "Record who was present when the decision was taken"},
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == RapidReview.Decision.OTHER_LEARNING and not data.get(
            "other_learning_activity"
        ):
            self.add_error("other_learning_activity", "Choose the learning activity")
        return data


class SendForm(forms.Form):
    """The date sent and, for each request still open, what happens to it: nothing is left
    open and chased without someone deciding so."""

    sent_on = GovukDateField(
        label="Date sent to the national Panel", what="the date sent", past_only=True
    )

    def __init__(self, *args, requests=(), carry_on=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.requests = list(requests)
        if not carry_on:
            return
        for r in self.requests:
            self.fields[f"request_{r.pk}"] = forms.ChoiceField(
                label=f"The request to {r.agency.name}",
                help_text=f"{r.get_status_display()}, due {r.due_date:%-d %B %Y}.",
                choices=[
                    (CLOSE, "Close it: tell the agency it is no longer needed"),
                    (CARRY_ON, "Carry it on into the local review: the agency is told"),
                ],
                widget=forms.RadioSelect,
                error_messages={
                    "required": f"Choose whether to close the request to {r.agency.name} or "
                    "carry it on into the local review",
                    "invalid_choice": f"Choose whether to close the request to {r.agency.name} "
                    "or carry it on into the local review",
                },
            )

    def request_choices(self):
        return {r.pk: self.cleaned_data.get(f"request_{r.pk}") for r in self.requests}


class ReplyForm(forms.Form):
    received_on = GovukDateField(
        label="Date the reply was received", what="the date received", past_only=True
    )
    outcome = forms.ChoiceField(
        label="The national Panel's reply",
        choices=RapidReview.ReplyOutcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what the Panel replied"},
    )
    comments = forms.CharField(
        label="Comments", required=False, widget=forms.Textarea(attrs={"rows": 4}), max_length=20000
    )
