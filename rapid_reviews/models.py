"""Stage 2: the rapid review. What a partnership records (docs/domain.md's headings), the criteria
and the decision, the three partners' sign-off, sending, and the national Panel's reply."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from safeguarding.accounts.models import Agency
from safeguarding.cases.models import Case


class RapidReview(models.Model):
    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", "In progress"
        DECIDED = "decided", "Decision recorded"
        SIGNED_OFF = "signed_off", "Signed off"
        FINAL = "final", "Final version made, ready to send"
        SENT = "sent", "Sent to the national Panel"
        REPLIED = "replied", "National Panel replied"

    class Decision(models.TextChoices):
        LCSPR = "lcspr", "Local child safeguarding practice review"
        OTHER_LEARNING = "other_learning", "No local review, but another learning activity"
        NO_FURTHER_ACTION = "no_further_action", "No further action"

    class LearningActivity(models.TextChoices):
        MULTI_AGENCY = "multi_agency", "Multi-agency learning review"
        SINGLE_AGENCY = "single_agency", "Single-agency review"
        AUDIT = "audit", "Audit"
        THEMATIC = "thematic", "Thematic work"
        OTHER = "other", "Other"

    class NationalView(models.TextChoices):
        YES = "yes", "Yes, a national review may be needed"
        NO = "no", "No"
        UNSURE = "unsure", "Not sure"

    class ReplyOutcome(models.TextChoices):
        AGREES = "agrees", "Agrees with the decision"
        CHALLENGES = "challenges", "Challenges the decision"
        NATIONAL_REVIEW = "national_review", "Will carry out a national review"

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="rapid_review")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.IN_PROGRESS)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    opened_on = models.DateField(default=timezone.localdate)
    section_status = models.JSONField(default=dict, blank=True)

    # 1. Key dates (the others come from the notification)
    meeting_date = models.DateField("date of the rapid review meeting", null=True, blank=True)
    # 2.-6. What the review found
    child_and_family = models.TextField("the child and family", blank=True)
    incident_and_current_situation = models.TextField(
        "the incident and the current situation", blank=True
    )
    agency_involvement = models.TextField("agency involvement overview", blank=True)
    key_practice_episodes = models.TextField(blank=True)
    what_went_well = models.TextField(blank=True)
    what_could_be_better = models.TextField("what could be better, and why", blank=True)
    lived_experience = models.TextField("the child's lived experience and voice", blank=True)
    race_culture_identity = models.TextField("race, culture, identity and inequality", blank=True)
    immediate_actions = models.TextField("immediate actions and escalations", blank=True)
    learning_identified = models.TextField("learning already identified", blank=True)
    key_lines_of_enquiry = models.TextField(
        "key lines of enquiry", blank=True, help_text="One per line."
    )
    # 7. The decision
    decision = models.CharField(max_length=20, choices=Decision.choices, blank=True)
    other_learning_activity = models.CharField(
        max_length=20, choices=LearningActivity.choices, blank=True
    )
    decision_rationale = models.TextField(blank=True)
    national_review_view = models.CharField(max_length=10, choices=NationalView.choices, blank=True)
    national_review_reason = models.TextField(blank=True)
    decided_on = models.DateField(null=True, blank=True)
    decided_at_meeting = models.TextField(
        "who was at the CSPR Panel meeting",
        blank=True,
        help_text="Until meetings are recorded in the service: names, roles and agencies.",
    )
    # Sending and reply
    sent_on = models.DateField(null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reply_received_on = models.DateField(null=True, blank=True)
    reply_outcome = models.CharField(max_length=20, choices=ReplyOutcome.choices, blank=True)
    reply_comments = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        permissions = [
            ("run_rapid_review", "Can run a rapid review"),
            ("sign_off_rapid_review", "Can sign off a rapid review for their partner agency"),
            (
                "record_decision",
                "Can record the criteria, the CSPR Panel's decision and the national Panel's reply",
            ),
        ]

    def __str__(self):
        return f"Rapid review for {self.case.reference}"

    def kloe_list(self):
        return [
            line.strip(" -•\t")
            for line in self.key_lines_of_enquiry.splitlines()
            if line.strip(" -•\t")
        ]


class CriterionAnswer(models.Model):
    class Criterion(models.TextChoices):
        # Statutory (reg.11)
        IMPROVEMENTS = (
            "improvements",
            (
                "(a) It highlights or may highlight improvements needed to safeguard and promote "
                "the welfare of children, including ones identified before"
            ),
        )
        RECURRENT = "recurrent", "(b) It highlights or may highlight recurrent themes"
        WORKING_TOGETHER = (
            "working_together",
            (
                "(c) It highlights or may highlight concerns about two or more organisations or "
                "agencies working together effectively"
            ),
        )
        PANEL_REFERRED = (
            "panel_referred",
            (
                "(d) The national Panel considered it and concluded a local review may be more "
                "appropriate"
            ),
        )
        # Guidance
        SINGLE_AGENCY = "single_agency", "Concern about the actions of a single agency"
        NO_AGENCY = "no_agency", "No agency involvement, itself a concern"
        CROSS_BOUNDARY = (
            "cross_boundary",
            ("More than one local authority, police area or ICB involved"),
        )
        INSTITUTIONAL = "institutional", "An institutional setting"

    STATUTORY = ("improvements", "recurrent", "working_together", "panel_referred")

    class Answer(models.TextChoices):
        YES = "yes", "Yes"
        NO = "no", "No"
        POSSIBLY = "possibly", "Possibly"

    review = models.ForeignKey(RapidReview, on_delete=models.CASCADE, related_name="criteria")
    criterion = models.CharField(max_length=20, choices=Criterion.choices)
    answer = models.CharField(max_length=10, choices=Answer.choices)
    rationale = models.TextField()
    history = HistoricalRecords()

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["review", "criterion"], name="one_answer_per_criterion")
        ]

    def __str__(self):
        return f"{self.get_criterion_display()}: {self.get_answer_display()}"


class SignOff(models.Model):
    """One safeguarding partner's sign-off (local authority, police, ICB)."""

    review = models.ForeignKey(RapidReview, on_delete=models.CASCADE, related_name="sign_offs")
    partner = models.CharField(
        max_length=20,
        choices=[
            (k, label) for k, label in Agency.Kind.choices if k in Agency.SAFEGUARDING_PARTNER_KINDS
        ],
    )
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=200)
    role = models.CharField(max_length=200)
    signed_on = models.DateField(default=timezone.localdate)
    history = HistoricalRecords()

    class Meta:
        ordering = ["partner"]
        constraints = [
            models.UniqueConstraint(fields=["review", "partner"], name="one_sign_off_per_partner")
        ]

    def __str__(self):
        return f"{self.get_partner_display()}: {self.name}"


class RapidReviewPdf(models.Model):
    """The final version of a rapid review, made when the review is frozen for sending, and
    kept: the one recorded as sent is this same file (never made again). Never changed; a
    version the PDEO reopened the review after is kept too, marked superseded."""

    review = models.ForeignKey(RapidReview, on_delete=models.PROTECT, related_name="pdfs")
    file = models.FileField(upload_to="rapid_reviews/%Y/", max_length=300)
    sha256 = models.CharField(max_length=64)
    is_final = models.BooleanField(default=False, help_text="Made by 'final for sending'.")
    superseded = models.BooleanField(
        default=False, help_text="The review was reopened for changes after this was made."
    )
    is_sent_version = models.BooleanField(default=False)
    generated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    generated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-generated_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["review"],
                condition=models.Q(is_sent_version=True),
                name="one_sent_version_per_review",
            ),
            models.UniqueConstraint(
                fields=["review"],
                condition=models.Q(is_final=True, superseded=False),
                name="one_current_final_version_per_review",
            ),
        ]

    def __str__(self):
        return f"{self.review} PDF {self.generated_at:%Y-%m-%d %H:%M}"
