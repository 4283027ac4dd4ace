"""Stage 3: the local child safeguarding practice review (LCSPR, "local review").

A local review starts from the safeguarding partners' decision: at the rapid review (the day the
third partner signs it off) or, for a case without a rapid review, recorded here with its date
and who decided. The people on it (Lead Reviewer, Chair of the review, Case Review Panel
members) are appointments, each granting the case-team object permission while it lasts.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from rapid_reviews.models import RapidReview
from safeguarding.accounts.models import Agency
from safeguarding.cases.models import Case, CaseTeamMember


class LocalReview(models.Model):
    class Status(models.TextChoices):
        TO_COMMISSION = "to_commission", "To commission"
        COMMISSIONED = "commissioned", "Commissioned"
        CRP_AGREED = "crp_agreed", "Report agreed by the Case Review Panel"
        CRG_APPROVED = "crg_approved", "Report approved by the Case Review Group"
        APPROVED = "approved", "Final approval by the Executive"
        PUBLISHED = "published", "Published"
        NATIONAL_REVIEW = "national_review", "National review"
        STOPPED = "stopped", "Not going ahead"
        CLOSED = "closed", "Closed: every action finished"

    # A review still being worked on (its clocks run, its people may change).
    ACTIVE = (
        Status.TO_COMMISSION,
        Status.COMMISSIONED,
        Status.CRP_AGREED,
        Status.CRG_APPROVED,
        Status.APPROVED,
    )

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="local_review")
    rapid_review = models.OneToOneField(
        RapidReview,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="local_review",
        help_text="Empty when the partnership decided without a rapid review.",
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.TO_COMMISSION)
    decided_on = models.DateField(
        "date of the decision",
        help_text="The day the third safeguarding partner signed off (D7 and D8 count from it).",
    )
    decided_by = models.CharField("who decided", max_length=300)
    decision_reasons = models.TextField("the reasons for the decision", blank=True)
    key_lines_of_enquiry = models.TextField(
        "key lines of enquiry", blank=True, help_text="One per line."
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    started_at = models.DateTimeField(default=timezone.now)
    # D7: the national Panel, Ofsted and DfE told of the review, with the reviewer's name.
    national_panel_told_on = models.DateField(null=True, blank=True)
    reviewer_named = models.CharField(
        "the reviewer named in the notification", max_length=300, blank=True
    )
    # Publication: D9 from the planned date, D10 from publication.
    planned_publication_on = models.DateField(null=True, blank=True)
    report_sent_on = models.DateField(
        "final report sent to the national Panel and the Secretary of State",
        null=True,
        blank=True,
    )
    published_on = models.DateField(null=True, blank=True)
    publication_link = models.URLField("where it is published", max_length=500, blank=True)
    media_plan = models.TextField(blank=True)
    earliest_removal_on = models.DateField(null=True, blank=True)
    late_sending_reason = models.TextField(
        "why the report was sent fewer than 7 working days before publication", blank=True
    )
    # The end of the review: every action of its plan closed or carried into other work.
    closed_on = models.DateField(null=True, blank=True)
    closure_reasons = models.TextField(
        "why the review closed", blank=True, help_text="How each action of the plan finished."
    )
    # The terms of reference are agreed before the Case Review Panel first meets (flagged).
    first_panel_meeting_on = models.DateField(
        "date of the first Case Review Panel meeting", null=True, blank=True
    )
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        ordering = ["decided_on", "id"]
        permissions = [
            ("commission_local_review", "Can start and commission local reviews"),
            ("view_reviews_to_commission", "Can see the local reviews to commission"),
            ("revise_decision", "Can record a revised decision after a challenge"),
            ("work_on_local_review", "Can work on a local review they are appointed to"),
            ("approve_final_report", "Can give the Executive's final approval to a report"),
        ]

    def __str__(self):
        return f"Local review for {self.case.reference}"

    def kloe_list(self):
        return [
            line.strip(" -•\t")
            for line in self.key_lines_of_enquiry.splitlines()
            if line.strip(" -•\t")
        ]

    @property
    def is_active(self):
        return self.status in self.ACTIVE


class Appointment(models.Model):
    """Someone appointed to a local review. While it lasts the person is on the case's team (the
    guardian object permission); removed, they lose access at once and the row stays, with who
    removed them and when."""

    class Role(models.TextChoices):
        LEAD_REVIEWER = CaseTeamMember.Role.LEAD_REVIEWER.value, "Lead Reviewer"
        REVIEW_CHAIR = CaseTeamMember.Role.REVIEW_CHAIR.value, "Chair of the review"
        CRP_MEMBER = CaseTeamMember.Role.CRP_MEMBER.value, "Case Review Panel member"

    review = models.ForeignKey(LocalReview, on_delete=models.CASCADE, related_name="appointments")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=20, choices=Role.choices)
    # The agency a Case Review Panel member speaks for (one member per involved agency).
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    directly_involved = models.BooleanField(
        default=False, help_text="The member was directly involved with the child or family."
    )
    appointed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    appointed_at = models.DateTimeField(default=timezone.now)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    removed_at = models.DateTimeField(null=True, blank=True)
    removal_reason = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["role", "appointed_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["review", "user", "role"],
                condition=Q(removed_at__isnull=True),
                name="one_current_appointment_per_role",
            ),
            models.UniqueConstraint(
                fields=["review", "agency"],
                condition=Q(removed_at__isnull=True, role="crp_member"),
                name="one_crp_member_per_agency",
            ),
        ]

    def __str__(self):
        return f"{self.user} – {self.get_role_display()}"


class NoLocalReview(models.Model):
    """The partners decided on other learning or no further action: the case leaves the review
    stages, its reasons kept, and the agencies asked for learning are told. Decided at the
    rapid review, or, for a case without one, by the CSPR Panel (`decided_by` says so)."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="no_local_review")
    rapid_review = models.OneToOneField(
        RapidReview,
        on_delete=models.PROTECT,
        related_name="no_local_review",
        null=True,
        blank=True,
    )
    # Who decided, where no rapid review did (its partners' sign-off says who otherwise).
    decided_by = models.CharField(max_length=300, blank=True)
    decision = models.CharField(max_length=20, choices=RapidReview.Decision.choices)
    learning_activity = models.CharField(
        max_length=20, choices=RapidReview.LearningActivity.choices, blank=True
    )
    reasons = models.TextField()
    decided_on = models.DateField()
    superseded = models.BooleanField(
        default=False, help_text="A revised decision holds a local review after all."
    )
    history = HistoricalRecords()

    def __str__(self):
        return f"No local review for {self.case.reference}"


class LearningAsked(models.Model):
    """What an agency is asked to do instead of a local review (a single-agency review, an
    audit...), and when it was told."""

    record = models.ForeignKey(NoLocalReview, on_delete=models.CASCADE, related_name="asked")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    what = models.TextField("what the agency is asked to do")
    told_on = models.DateField(default=timezone.localdate)
    told_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["told_on", "id"]

    def __str__(self):
        return f"{self.agency}: {self.what[:40]}"


class RevisedDecision(models.Model):
    """After the national Panel challenges the decision, the Chair records a revised one with
    its reasons; it takes effect (recomputing or cancelling D7 and D8) when the three
    safeguarding partners have signed it again, dated by the third signature."""

    class Status(models.TextChoices):
        AWAITING_SIGN_OFF = "awaiting", "Waiting for the partners to sign"
        IN_EFFECT = "in_effect", "In effect"

    rapid_review = models.ForeignKey(
        RapidReview, on_delete=models.CASCADE, related_name="revised_decisions"
    )
    decision = models.CharField(max_length=20, choices=RapidReview.Decision.choices)
    learning_activity = models.CharField(
        max_length=20, choices=RapidReview.LearningActivity.choices, blank=True
    )
    reasons = models.TextField()
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.AWAITING_SIGN_OFF
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    took_effect_on = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["recorded_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["rapid_review"],
                condition=Q(status="awaiting"),
                name="one_revision_awaiting_sign_off",
            )
        ]

    def __str__(self):
        return f"Revised decision on {self.rapid_review.case.reference}"


class RevisedSignOff(models.Model):
    revision = models.ForeignKey(
        RevisedDecision, on_delete=models.CASCADE, related_name="sign_offs"
    )
    partner = models.CharField(max_length=20)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=200)
    role = models.CharField(max_length=200, blank=True)
    signed_on = models.DateField(default=timezone.localdate)
    history = HistoricalRecords()

    class Meta:
        ordering = ["partner"]
        constraints = [
            models.UniqueConstraint(
                fields=["revision", "partner"], name="one_revised_sign_off_per_partner"
            )
        ]

    def __str__(self):
        return f"{self.partner}: {self.name}"


class NationalReviewUpdate(models.Model):
    """The national Panel took the case as a national review: no local 6-month clock; what the
    partnership contributes is tracked here instead."""

    review = models.ForeignKey(
        LocalReview, on_delete=models.CASCADE, related_name="national_updates"
    )
    on = models.DateField()
    note = models.TextField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-on", "-id"]

    def __str__(self):
        return f"{self.on:%d %b %Y}: {self.note[:40]}"


class TermsOfReference(models.Model):
    """The review's terms of reference. Each save is a new version (its change history keeps
    every one); the form posts the version it was opened on, so two people editing at once
    never lose an edit. Agreed by the Chair of the review with the Lead Reviewer: a change
    after that is a new draft to agree again."""

    class Method(models.TextChoices):
        SILP = "silp", "Significant Incident Learning Process (SILP)"
        SCIE = "scie", "SCIE Learning Together"
        APPRECIATIVE = "appreciative", "Appreciative inquiry"
        OTHER = "other", "Another systems method"

    review = models.OneToOneField(LocalReview, on_delete=models.CASCADE, related_name="terms")
    scope = models.TextField(blank=True)
    period_from = models.DateField("period under review: from", null=True, blank=True)
    period_to = models.DateField("period under review: to", null=True, blank=True)
    agencies = models.ManyToManyField(Agency, blank=True, related_name="+")
    key_lines_of_enquiry = models.TextField(blank=True, help_text="One per line.")
    method = models.CharField(max_length=20, choices=Method.choices, blank=True)
    method_other = models.CharField("the other method", max_length=200, blank=True)
    family_involvement = models.TextField(blank=True)
    timescale = models.TextField(blank=True)
    governance = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=0)
    agreed_version = models.PositiveIntegerField(null=True, blank=True)
    agreed_on = models.DateField(null=True, blank=True)
    agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    agreed_with = models.CharField("agreed with (the Lead Reviewer)", max_length=300, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords(m2m_fields=[agencies])

    def __str__(self):
        return f"Terms of reference v{self.version} for {self.review.case.reference}"

    @property
    def is_agreed(self):
        return self.agreed_version == self.version

    def kloe_list(self):
        return [
            line.strip(" -•\t")
            for line in self.key_lines_of_enquiry.splitlines()
            if line.strip(" -•\t")
        ]


class ProgressCheck(models.Model):
    """The partners check the review's timeliness and quality (reg. 14): every 8 weeks (D12)."""

    review = models.ForeignKey(LocalReview, on_delete=models.CASCADE, related_name="checks")
    checked_on = models.DateField()
    timeliness = models.TextField("timeliness")
    quality = models.TextField("quality")
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-checked_on", "-id"]

    def __str__(self):
        return f"Progress check {self.checked_on:%d %b %Y}"


class ReviewerRequest(models.Model):
    """A request to the reviewer for information or a draft, in writing (reg. 14)."""

    class Kind(models.TextChoices):
        INFORMATION = "information", "Information"
        DRAFT = "draft", "A draft of the report"

    review = models.ForeignKey(
        LocalReview, on_delete=models.CASCADE, related_name="reviewer_requests"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    details = models.TextField()
    asked_on = models.DateField()
    due_on = models.DateField(null=True, blank=True)
    answered_on = models.DateField(null=True, blank=True)
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-asked_on", "-id"]

    def __str__(self):
        return f"{self.get_kind_display()} asked {self.asked_on:%d %b %Y}"

    def get_absolute_url(self):
        """Where the reviewer reads what they are asked for: the list on the review's page."""
        return (
            reverse("cspr:detail", kwargs={"reference": self.review.case.reference})
            + "#requests-to-the-reviewer"
        )

    def is_overdue(self, today):
        return self.answered_on is None and self.due_on is not None and self.due_on < today


class DelayNotice(models.Model):
    """D8 at risk: the PDEO records the delay, its reasons and when the national Panel and the
    Executive were told."""

    review = models.ForeignKey(LocalReview, on_delete=models.CASCADE, related_name="delays")
    expected_on = models.DateField("when the review is now expected to be published")
    reasons = models.TextField()
    panel_told_on = models.DateField("national Panel told", null=True, blank=True)
    executive_told_on = models.DateField("Executive told", null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-recorded_at", "-id"]

    def __str__(self):
        return f"Delay to {self.expected_on:%d %b %Y}"


class Approval(models.Model):
    """One step of an approval chain, in order. The final report: the Case Review Panel agrees,
    the Case Review Group approves, the Executive gives final approval. The action plan: the
    Case Review Group signs it off, then the Executive."""

    class Subject(models.TextChoices):
        REPORT = "report", "The final report"
        ACTION_PLAN = "action_plan", "The action plan"

    class Step(models.TextChoices):
        CRP = "crp", "Agreed by the Case Review Panel"
        CRG = "crg", "Approved by the Case Review Group"
        EXECUTIVE = "executive", "Final approval by the Executive"

    review = models.ForeignKey(LocalReview, on_delete=models.CASCADE, related_name="approvals")
    subject = models.CharField(max_length=20, choices=Subject.choices, default=Subject.REPORT)
    step = models.CharField(max_length=10, choices=Step.choices)
    approved_on = models.DateField()
    present = models.TextField(
        "who was present", help_text="Names, roles and agencies, until meetings are recorded."
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["approved_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["review", "subject", "step"], name="one_approval_per_subject_step"
            )
        ]

    def __str__(self):
        return (
            f"{self.get_subject_display()}: {self.get_step_display()} {self.approved_on:%d %b %Y}"
        )


class PublicationDelay(models.Model):
    """Publication delayed (a trial, an inquest) or withheld: the reasons, and when they were
    sent to the national Panel and the Secretary of State (D11)."""

    class Kind(models.TextChoices):
        DELAYED = "delayed", "Publication delayed"
        WITHHELD = "withheld", "Not to be published"

    review = models.ForeignKey(
        LocalReview, on_delete=models.CASCADE, related_name="publication_delays"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    reasons = models.TextField()
    decided_on = models.DateField()
    sent_on = models.DateField(
        "reasons sent to the national Panel and the Secretary of State", null=True, blank=True
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-decided_on", "-id"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.decided_on:%d %b %Y}"


# --- Drafts of the report and factual accuracy (D14) ---


def draft_path(instance, filename):
    # A random name outside the web root: nothing about the child or the file in the path.
    return f"report-drafts/{instance.review.case_id}/{uuid.uuid4().hex}"


class ReportDraft(models.Model):
    """A version of the review's report, uploaded by the Lead Reviewer (or the PDEO) and
    circulated to the Case Review Panel for factual-accuracy comments. Circulating opens D14
    (the comments are due 10 working days later); it is met the day the comments close: when
    the last agency circulated to says its comments are complete, or when the Lead Reviewer
    closes them."""

    review = models.ForeignKey(LocalReview, on_delete=models.CASCADE, related_name="drafts")
    number = models.PositiveIntegerField("version")
    file = models.FileField(upload_to=draft_path, max_length=300)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    note = models.TextField("what changed in this version", blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)
    circulated_on = models.DateField(null=True, blank=True)
    circulated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    comments_due_on = models.DateField(null=True, blank=True)
    comments_closed_on = models.DateField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["review", "number"], name="one_draft_per_version")
        ]

    def __str__(self):
        return f"Draft {self.number} of the report on {self.review.case.reference}"

    @property
    def comments_open(self):
        return self.circulated_on is not None and self.comments_closed_on is None


class DraftCirculation(models.Model):
    """An agency the draft was circulated to (through its Case Review Panel member), and when
    it said its comments were complete."""

    draft = models.ForeignKey(ReportDraft, on_delete=models.CASCADE, related_name="circulated_to")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    finished_on = models.DateField(null=True, blank=True)
    finished_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["agency__name"]
        constraints = [
            models.UniqueConstraint(fields=["draft", "agency"], name="circulated_once_per_agency")
        ]

    def __str__(self):
        return f"{self.agency} on draft {self.draft.number}"


class FactualAccuracyComment(models.Model):
    """An agency's factual-accuracy comment on a draft, made by its Case Review Panel member
    for that agency only, and the Lead Reviewer's response."""

    class Outcome(models.TextChoices):
        CHANGED = "changed", "The report is changed"
        NOT_CHANGED = "not_changed", "The report is not changed"

    draft = models.ForeignKey(ReportDraft, on_delete=models.CASCADE, related_name="comments")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    where = models.CharField("section or page", max_length=200, blank=True)
    comment = models.TextField()
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    made_at = models.DateTimeField(default=timezone.now)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    response = models.TextField(blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    responded_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["agency__name", "made_at", "id"]

    def __str__(self):
        return f"{self.agency}: {self.comment[:40]}"


# --- Learning events and the family's part ---


class LearningEvent(models.Model):
    """A practitioner learning event or a feedback session: when, who was invited from each
    agency, who attended, and what was learned. Inside the review's visibility: the notes are
    about the family and the practitioners."""

    class Kind(models.TextChoices):
        LEARNING_EVENT = "learning_event", "Practitioner learning event"
        FEEDBACK = "feedback", "Feedback session"

    review = models.ForeignKey(
        LocalReview, on_delete=models.CASCADE, related_name="learning_events"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    held_on = models.DateField("date")
    notes = models.TextField(blank=True)
    attendance_recorded = models.BooleanField(default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["held_on", "id"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.held_on:%d %b %Y}"


class EventPractitioner(models.Model):
    """A practitioner invited to a learning event, from an agency, and whether they came."""

    event = models.ForeignKey(LearningEvent, on_delete=models.CASCADE, related_name="practitioners")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    who = models.CharField("name and role", max_length=200)
    attended = models.BooleanField(default=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["agency__name", "who", "id"]

    def __str__(self):
        return f"{self.who} ({self.agency})"


class FamilyEngagement(models.Model):
    """A family member approached to take part: recorded by their relationship to the child
    (never their name), how and when, their answer, and what they contributed."""

    class How(models.TextChoices):
        LETTER = "letter", "Letter"
        PHONE = "phone", "Telephone"
        VISIT = "visit", "Home visit"
        MEETING = "meeting", "Meeting"
        PROFESSIONAL = "professional", "Through a professional they know"
        OTHER = "other", "Another way"

    class Response(models.TextChoices):
        AWAITING = "awaiting", "No answer yet"
        AGREED = "agreed", "Agreed to take part"
        DECLINED = "declined", "Declined"
        NO_RESPONSE = "no_response", "Did not respond"

    review = models.ForeignKey(
        LocalReview, on_delete=models.CASCADE, related_name="family_engagement"
    )
    relationship = models.CharField("relationship to the child", max_length=100)
    how = models.CharField(max_length=20, choices=How.choices)
    approached_on = models.DateField()
    response = models.CharField(max_length=20, choices=Response.choices, default=Response.AWAITING)
    contributions = models.TextField("their views and contributions", blank=True)
    version = models.PositiveIntegerField(default=1)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["approached_on", "id"]

    def __str__(self):
        return f"{self.relationship} approached {self.approached_on:%d %b %Y}"


# --- Learning: recommendations (each with SMART actions in safeguarding/actions), learning
# themes and the learning briefing ("7-minute briefing") ---


class Recommendation(models.Model):
    """A recommendation of the review, numbered from 1. Its SMART actions are `actions.Action`
    rows whose source is this recommendation (`source_type` / `source_id`), set on the case."""

    review = models.ForeignKey(
        LocalReview, on_delete=models.CASCADE, related_name="recommendations"
    )
    number = models.PositiveIntegerField()
    text = models.TextField(max_length=5000)
    draft = models.ForeignKey(
        "ReportDraft",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="recommendations",
        help_text="The version of the report the recommendation is taken from.",
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(
                fields=["review", "number"], name="one_recommendation_per_number"
            )
        ]

    def __str__(self):
        return self.label

    @property
    def label(self):
        return f"Recommendation {self.number}"


class LearningTheme(models.Model):
    """A learning theme from the partnership's list (kept in Django admin): reviews are tagged
    with them, and the themes page and the reports count how often each recurs."""

    name = models.CharField(max_length=200, unique=True)
    description = models.TextField(blank=True)
    active = models.BooleanField(
        default=True, help_text="Only active themes can be chosen for a review."
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class ReviewTheme(models.Model):
    """A review tagged with a learning theme."""

    review = models.ForeignKey(LocalReview, on_delete=models.CASCADE, related_name="theme_tags")
    theme = models.ForeignKey(LearningTheme, on_delete=models.PROTECT, related_name="tags")
    tagged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    tagged_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["theme__name"]
        constraints = [
            models.UniqueConstraint(fields=["review", "theme"], name="one_tag_per_theme")
        ]

    def __str__(self):
        return f"{self.review.case.reference}: {self.theme}"


class LearningBriefing(models.Model):
    """What the one-page learning briefing ("7-minute briefing") says beyond the review's own
    records (its recommendations and themes): the case in brief, by pseudonym, the key learning
    and questions for practitioners. Published material: anonymised."""

    review = models.OneToOneField(LocalReview, on_delete=models.CASCADE, related_name="briefing")
    summary = models.TextField("the case in brief", max_length=3000)
    key_learning = models.TextField("key learning", max_length=3000)
    questions = models.TextField(
        "questions for practitioners", max_length=2000, help_text="One per line."
    )
    version = models.PositiveIntegerField(default=0)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    def __str__(self):
        return f"Learning briefing for {self.review.case.reference}"

    @staticmethod
    def _lines(text):
        return [line.strip(" -•\t") for line in text.splitlines() if line.strip(" -•\t")]

    def question_list(self):
        return self._lines(self.questions)

    def learning_list(self):
        return self._lines(self.key_learning)
