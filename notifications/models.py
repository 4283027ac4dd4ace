"""Stage 1: a professional's referral, its screening, and the notification of a serious
incident to the national Panel (and to Ofsted and the Secretary of State where required)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from safeguarding.accounts.models import Agency
from safeguarding.cases.models import Case, YesNoUnknown


class Referral(models.Model):
    class Decision(models.TextChoices):
        NOTIFY = "notify", "Notify as a serious incident"
        CONSIDER_REVIEW = "consider_review", "Not notifiable, but consider for a local review"
        NOT_ACCEPTED = "not_accepted", "Not accepted"

    class NotAcceptedReason(models.TextChoices):
        NOT_SERIOUS = "not_serious", "Does not meet the definition of a serious case"
        WHISTLEBLOWING = "whistleblowing", "Whistle-blowing: use the whistle-blowing procedure"
        DISAGREEMENT = (
            "professional_disagreement",
            "Professional disagreement: use the escalation (resolving disagreements) policy",
        )
        COMPLAINT = "complaint", "Service complaint: use the agency's complaints procedure"
        OTHER = "other", "Another reason"

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="referral")
    referring_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    referrer_name = models.CharField(max_length=200)
    referrer_role = models.CharField(max_length=200, blank=True)
    referrer_email = models.EmailField(blank=True)
    referrer_phone = models.CharField(max_length=40, blank=True)
    received_on = models.DateField()
    what_happened = models.TextField()
    why_serious = models.TextField(help_text="Why it may be a serious child safeguarding case.")

    decision = models.CharField(max_length=20, choices=Decision.choices, blank=True)
    not_accepted_reason = models.CharField(
        max_length=30, choices=NotAcceptedReason.choices, blank=True
    )
    decision_reason = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        indexes = [
            # The referrals still to screen, oldest first (the PDEO's home page and the count
            # on every page): a handful among a decade's, found without reading the others.
            models.Index(
                fields=["received_on", "id"],
                condition=models.Q(decision=""),
                name="referral_to_screen",
            ),
            # A reporting year's referrals (the reports dashboard, the yearly pack): a year's
            # among a decade's, without reading every referral (docs/performance.md).
            models.Index(fields=["received_on"], name="referral_received_on"),
        ]

    def __str__(self):
        return f"Referral for {self.case.reference}"

    def clean(self):
        if self.received_on and self.received_on > timezone.localdate():
            raise ValidationError({"received_on": "The date received must be today or in the past"})

    @property
    def is_screened(self):
        return bool(self.decision)


class Notification(models.Model):
    """The serious incident notification. Its awareness date starts the D1–D4 clocks."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="notification")
    la_aware_on = models.DateField("date the local authority became aware")
    submitted_on = models.DateField("date submitted to the national Panel", null=True, blank=True)
    national_reference = models.CharField(
        "national Panel reference", max_length=50, null=True, blank=True, unique=True
    )
    notifier_name = models.CharField("notifier", max_length=200, blank=True)
    notifier_contact = models.CharField("notifier's contact details", max_length=200, blank=True)
    ofsted_sos_notified_on = models.DateField(
        "date Ofsted and the Secretary of State were notified", null=True, blank=True
    )
    partners_told_on = models.DateField(
        "date the safeguarding partners were told", null=True, blank=True
    )
    late_reason = models.TextField("reason the notification was late", blank=True)
    rapid_review_follows = models.CharField(
        "a rapid review follows",
        max_length=10,
        choices=YesNoUnknown.choices,
        default=YesNoUnknown.YES,
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    def __str__(self):
        return f"Notification for {self.case.reference}"

    def clean(self):
        errors = {}
        today = timezone.localdate()
        for field in ("la_aware_on", "submitted_on", "ofsted_sos_notified_on", "partners_told_on"):
            value = getattr(self, field)
            if value and value > today:
                label = self._meta.get_field(field).verbose_name
                errors[field] = f"The {label} must be today or in the past"
        if self.la_aware_on:
            for field in ("submitted_on", "ofsted_sos_notified_on", "partners_told_on"):
                value = getattr(self, field)
                if value and value < self.la_aware_on and field not in errors:
                    label = self._meta.get_field(field).verbose_name
                    errors[field] = (
                        f"The {label} must be on or after the date the local authority became "
                        f"aware ({self.la_aware_on:%-d %B %Y})"
                    )
        if self.national_reference:
            clash = Notification.objects.filter(national_reference=self.national_reference)
            if clash.exclude(pk=self.pk).exists():
                errors["national_reference"] = (
                    "This national Panel reference is already recorded on another case"
                )
        if errors:
            raise ValidationError(errors)
