"""The CSPR Panel: its members (each with one named deputy), its meetings, and the invitations
sent for them. Agenda, attendance, declarations, decisions and minutes hang on a meeting.

Everything here is changed by `services.py` only; every model keeps its change history."""

import uuid

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from safeguarding.accounts.models import Agency


class Partner(models.TextChoices):
    """Which safeguarding partner a member represents (quoracy needs all three), or other."""

    LOCAL_AUTHORITY = "local_authority", "Local authority"
    POLICE = "police", "Police"
    ICB = "icb", "Integrated Care Board"
    OTHER = "other", "Other"

    @classmethod
    def of_agency(cls, agency):
        return agency.kind if agency.kind in Agency.SAFEGUARDING_PARTNER_KINDS else cls.OTHER


# The three partners a quorate item needs, each present through a member or a deputy.
QUORACY_PARTNERS = (Partner.LOCAL_AUTHORITY, Partner.POLICE, Partner.ICB)


class PanelMemberQuerySet(models.QuerySet):
    def current_on(self, day):
        return self.filter(start_date__lte=day).filter(
            Q(end_date__isnull=True) | Q(end_date__gte=day)
        )


class PanelMember(models.Model):
    """A member of the CSPR Panel, with exactly one named deputy (the terms of reference do not
    accept several)."""

    class PanelRole(models.TextChoices):
        CHAIR = "chair", "Chair"
        DEPUTY_CHAIR = "deputy_chair", "Deputy Chair"
        MEMBER = "member", "Member"
        BUSINESS_MANAGER = "business_manager", "Business Manager"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="panel_memberships"
    )
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    partner = models.CharField(max_length=20, choices=Partner.choices)
    panel_role = models.CharField(
        "role on the Panel", max_length=20, choices=PanelRole.choices, default=PanelRole.MEMBER
    )
    deputy = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="panel_deputy_for"
    )
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    objects = PanelMemberQuerySet.as_manager()

    class Meta:
        ordering = ["user__full_name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(deputy=models.F("user")), name="panel_deputy_is_someone_else"
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="panel_member_ends_after_start",
            ),
        ]
        permissions = [
            ("view_panel", "Can see the CSPR Panel's members and meetings"),
            ("run_panel", "Can run the CSPR Panel: members, meetings, agenda, papers, minutes"),
            (
                "conduct_panel",
                "Can record attendance, interests and decisions at a CSPR Panel meeting",
            ),
        ]

    def __str__(self):
        return f"{self.user} ({self.get_panel_role_display()}, {self.agency})"

    def is_current_on(self, day):
        return self.start_date <= day and (self.end_date is None or self.end_date >= day)


def new_uid():
    return f"{uuid.uuid4()}@cspr-panel"


class Meeting(models.Model):
    """A meeting of the CSPR Panel. Moving or cancelling it keeps its history (simple-history)
    and sends the members' calendars an update with the same UID and a higher SEQUENCE."""

    class Kind(models.TextChoices):
        REGULAR = "regular", "Regular"
        EXTRAORDINARY = "extraordinary", "Extraordinary"

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        CANCELLED = "cancelled", "Cancelled"

    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.REGULAR)
    title = models.CharField(max_length=200, default="CSPR Panel meeting")
    date = models.DateField()
    start_time = models.TimeField()
    end_time = models.TimeField()
    place = models.CharField(max_length=300, blank=True)
    online_link = models.URLField("online meeting link", max_length=500, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.SCHEDULED)
    called_on = models.DateField(
        default=timezone.localdate, help_text="The day the meeting was set (or called)."
    )
    # The calendar event's identity: the same for every update, SEQUENCE counts the changes.
    uid = models.CharField(max_length=100, unique=True, default=new_uid, editable=False)
    sequence = models.PositiveIntegerField(default=0)
    papers_sent_on = models.DateField(null=True, blank=True)
    change_reason = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        ordering = ["date", "start_time", "id"]
        indexes = [models.Index(fields=["status", "date"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_time__gt=models.F("start_time")), name="meeting_ends_after_start"
            ),
        ]

    def __str__(self):
        return f"{self.title}, {self.date:%-d %B %Y}"

    @property
    def is_cancelled(self):
        return self.status == self.Status.CANCELLED

    @property
    def where(self):
        """Place, online link, or both, in words."""
        return " – ".join(part for part in (self.place, self.online_link) if part)


class Invitation(models.Model):
    """One calendar email (a request, an update or a cancellation) sent to one person."""

    class Method(models.TextChoices):
        REQUEST = "REQUEST", "Invitation"
        CANCEL = "CANCEL", "Cancellation"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="invitations")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    sequence = models.PositiveIntegerField()
    method = models.CharField(max_length=10, choices=Method.choices)
    email = models.ForeignKey(
        "outbox.OutboundEmail", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["meeting", "sequence", "recipient"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "recipient", "sequence"], name="one_invitation_per_change"
            )
        ]

    def __str__(self):
        return f"{self.get_method_display()} {self.sequence} to {self.recipient}"


class AgendaItem(models.Model):
    """One item on a meeting's agenda, linked to its case where there is one, with its papers
    chosen from the case's documents. From when the meeting's papers are sent until the item is
    closed in the minutes (a rapid review: until the third partner signs off), the Panel's
    members, or the deputies of those who sent apologies, are on the case's team."""

    class Kind(models.TextChoices):
        REFERRAL = "referral", "Referral to consider"
        RAPID_REVIEW = "rapid_review", "Rapid review for decision"
        LOCAL_REVIEW = "local_review", "Local review decision"
        PROGRESS = "progress", "Progress and approvals"
        ACTION_LOG = "action_log", "Action log"
        LEARNING = "learning", "Learning from other reviews"
        OTHER_BUSINESS = "other_business", "Any other business"

    # Items that are about one case, and must name it.
    CASE_KINDS = (Kind.REFERRAL, Kind.RAPID_REVIEW, Kind.LOCAL_REVIEW)

    class LearningSource(models.TextChoices):
        LOCAL = "local", "A local review"
        NATIONAL = "national", "A national review"
        ADULT = "adult", "A safeguarding adults review"
        DOMESTIC_HOMICIDE = "domestic_homicide", "A domestic homicide review"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    number = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=20, choices=Kind.choices)
    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, null=True, blank=True, related_name="panel_items"
    )
    title = models.CharField(
        max_length=200, blank=True, help_text="Never a child's name: references and pseudonyms."
    )
    learning_source = models.CharField(max_length=20, choices=LearningSource.choices, blank=True)
    papers = models.ManyToManyField(
        "contributions.Document", blank=True, related_name="panel_items"
    )
    # The minutes of this item: drafted, then approved at the next meeting (read-only after).
    minutes = models.TextField(blank=True)
    closed_on = models.DateField(null=True, blank=True, help_text="Closed in the minutes.")
    minutes_approved_at = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, null=True, blank=True, related_name="approved_items"
    )
    minutes_approved_on = models.DateField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords(m2m_fields=[papers])

    class Meta:
        ordering = ["meeting", "number", "id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="one_item_per_number"),
        ]

    def __str__(self):
        return f"Item {self.number}: {self.heading}"

    @property
    def heading(self):
        what = self.get_kind_display()
        if self.kind == self.Kind.LEARNING and self.learning_source:
            what = f"{what} ({self.get_learning_source_display().lower()})"
        if self.case_id:
            what = f"{what}: {self.case.reference} ({self.case.pseudonym})"
        if self.title:
            what = f"{what} – {self.title}"
        return what

    @property
    def is_closed(self):
        return self.closed_on is not None

    @property
    def minutes_approved(self):
        return self.minutes_approved_on is not None


class Attendance(models.Model):
    """Whether a member came to a meeting, sent apologies, or sent apologies and was
    represented by their named deputy."""

    class Status(models.TextChoices):
        PRESENT = "present", "Present"
        APOLOGIES = "apologies", "Apologies"
        DEPUTY = "deputy", "Apologies, represented by their deputy"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    member = models.ForeignKey(PanelMember, on_delete=models.PROTECT, related_name="attendance")
    status = models.CharField(max_length=12, choices=Status.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "member"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="one_attendance_each")
        ]

    def __str__(self):
        return f"{self.member.user}: {self.get_status_display()}"

    @property
    def attendee(self):
        """Who was in the room for the member: the member, their deputy, or no one."""
        if self.status == self.Status.PRESENT:
            return self.member.user
        if self.status == self.Status.DEPUTY:
            return self.member.deputy
        return None

    @property
    def attendee_id(self):
        """The attendee's id, read from the membership without loading the person."""
        if self.status == self.Status.PRESENT:
            return self.member.user_id
        if self.status == self.Status.DEPUTY:
            return self.member.deputy_id
        return None


class Declaration(models.Model):
    """An interest declared on one agenda item: the person takes no part in that item's
    decision and does not count towards its quoracy. (A conflict of interest on the case,
    declared on the case page, removes the whole case from them, as before.)"""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="declarations")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    nature = models.TextField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["item", "recorded_at"]
        constraints = [
            models.UniqueConstraint(fields=["item", "person"], name="one_declaration_each")
        ]

    def __str__(self):
        return f"{self.person} on {self.item}"


class PanelCaseAccess(models.Model):
    """A person the Panel's need-to-know rule put on a case's team, so the rule can take them
    off again without touching anyone the PDEO added by hand (`granted_team_role` is False when
    they were already on the team as a Panel member)."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    granted_team_role = models.BooleanField(default=True)
    granted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "user"], name="one_panel_access_each")
        ]

    def __str__(self):
        return f"{self.user} on {self.case_id}"


class PanelDecision(models.Model):
    """A decision of the Panel, recorded through the app that owns it (the rapid review's
    decision, the referral's screening, a local review's start or its report's approval). It
    keeps who decided (the Chair or Deputy Chair), who recorded it (the PDEO may, on the
    Chair's behalf, and the record says so), who was present (from attendance), and for a
    decision between meetings each partner's agreement."""

    class Kind(models.TextChoices):
        REFERRAL = "referral", "Referral"
        RAPID_REVIEW = "rapid_review", "Rapid review recommendation"
        LOCAL_REVIEW = "local_review", "Decision to hold a local review"
        CRG_APPROVAL = "crg_approval", "Case Review Group approval of a report and action plan"

    item = models.ForeignKey(
        AgendaItem, on_delete=models.PROTECT, null=True, blank=True, related_name="decisions"
    )
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    summary = models.CharField(max_length=300)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    on_behalf = models.BooleanField(default=False)
    present = models.TextField(help_text="Who was present, from the attendance.")
    is_virtual = models.BooleanField(default=False)
    decided_on = models.DateField()
    recorded_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-decided_on", "-id"]

    def __str__(self):
        return self.summary

    @property
    def recorded_as(self):
        if self.on_behalf:
            return f"Recorded by {self.recorded_by} on behalf of {self.decided_by}"
        return f"Recorded by {self.decided_by}"


class PartnerAgreement(models.Model):
    """A safeguarding partner's agreement to a virtual decision (one taken between meetings)."""

    decision = models.ForeignKey(PanelDecision, on_delete=models.CASCADE, related_name="agreements")
    partner = models.CharField(max_length=20, choices=Partner.choices)
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    agreed_on = models.DateField()
    history = HistoricalRecords()

    class Meta:
        ordering = ["decision", "partner"]
        constraints = [
            models.UniqueConstraint(fields=["decision", "partner"], name="one_agreement_each")
        ]

    def __str__(self):
        return f"{self.get_partner_display()}: {self.person}"


class Escalation(models.Model):
    """The Panel escalates an action (usually an overdue one from its action log) to the
    Executive Group: the highlight report lists it until the action is finished. The action
    itself, its clock and its closure stay the actions app's (safeguarding/actions)."""

    action = models.OneToOneField(
        "actions.Action", on_delete=models.CASCADE, related_name="panel_escalation"
    )
    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, null=True, blank=True, related_name="escalations"
    )
    reason = models.TextField(max_length=5000)
    escalated_on = models.DateField()
    escalated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-escalated_on", "-id"]

    def __str__(self):
        return f"{self.action.reference} escalated {self.escalated_on:%-d %B %Y}"


class HighlightReport(models.Model):
    """The Panel's highlight report to one Executive Group meeting, drafted by the Business
    Manager or the PDEO: the figures are counted when it is issued; the free text is theirs.
    Issuing keeps an unchangeable version (IssuedHighlightReport); editing afterwards and
    issuing again makes a new version and never changes an issued one."""

    executive_meeting = models.CharField(
        "Executive Group meeting", max_length=200, default="Executive Group meeting"
    )
    executive_meeting_on = models.DateField("date of the Executive Group meeting")
    commissioning = models.TextField("recommendations on commissioning", blank=True)
    learning = models.TextField("learning", blank=True)
    key_messages = models.TextField("key messages", blank=True)
    # Whether the text changed since the last version was issued (a new version is needed).
    edited_since_issue = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-executive_meeting_on", "-id"]
        permissions = [
            (
                "read_highlight_reports",
                "Can read the CSPR Panel's issued highlight reports (references and "
                "pseudonyms only)",
            ),
        ]

    def __str__(self):
        when = f"{self.executive_meeting_on:%-d %B %Y}"
        return f"Highlight report to the {self.executive_meeting}, {when}"


def issued_pdf_path(instance, filename):
    # A random name outside the web root: nothing about the report in the path.
    return f"highlight-reports/{uuid.uuid4().hex}"


class IssuedHighlightReport(models.Model):
    """One issued version of a highlight report: what it said (`content`, the figures and text
    as they were counted and written on the day) and the PDF made from it, kept as issued.
    No service changes a version once it is made."""

    report = models.ForeignKey(HighlightReport, on_delete=models.PROTECT, related_name="issues")
    number = models.PositiveSmallIntegerField()
    period_start = models.DateField()
    period_end = models.DateField()
    content = models.JSONField(encoder=DjangoJSONEncoder)
    issued_on = models.DateField()
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField(default=timezone.now)
    pdf = models.FileField(upload_to=issued_pdf_path, max_length=300, blank=True)
    pdf_sha256 = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-issued_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="one_issue_per_number"),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="highlight_period_ends_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.report}, version {self.number}"

    @property
    def title(self):
        return self.content.get("title") or str(self.report)
