from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from simple_history.models import HistoricalRecords

from .roles import SERVICE_PERMISSIONS, permissions_of


def kept_for(user, name, build):
    """`build()`, made once per person object (a request's, as `User.role_names` is) and kept
    on it under `name`. For the visibility gates' query conditions, which a page builds a
    dozen times: keep a condition, never an answer (a queryset kept here is only ever used
    as a subquery, so each query still asks the database)."""
    kept = user.__dict__.get(name)
    if kept is None:
        kept = user.__dict__[name] = build()
    return kept


class Agency(models.Model):
    """An organisation that takes part: a safeguarding partner or a relevant agency."""

    class Kind(models.TextChoices):
        LOCAL_AUTHORITY = "local_authority", "Local authority"
        POLICE = "police", "Police"
        ICB = "icb", "Integrated Care Board"
        EDUCATION = "education", "Education"
        HEALTH_PROVIDER = "health_provider", "Health provider"
        PROBATION = "probation", "Probation"
        YOUTH_JUSTICE = "youth_justice", "Youth justice"
        VOLUNTARY_SECTOR = "voluntary_sector", "Voluntary sector"
        OTHER = "other", "Other"

    # The three statutory safeguarding partners (Children Act 2004 s.16E).
    SAFEGUARDING_PARTNER_KINDS = (Kind.LOCAL_AUTHORITY, Kind.POLICE, Kind.ICB)

    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=32, choices=Kind.choices)
    is_active = models.BooleanField(default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "agencies"

    def __str__(self):
        return self.name


class IdentifierPolicy(models.Model):
    """Which of a child's identifying details an agency of this kind is shown when it is asked
    for information, so it can find its own records. Name and date of birth always; the rest
    only where agencies of the kind search on them (set in Django admin). Shown on the open
    request only, to that agency's contributors, logged as a read, and never in an email."""

    kind = models.CharField(max_length=32, choices=Agency.Kind.choices, unique=True)
    address = models.BooleanField(default=False, help_text="They search on an address.")
    nhs_number = models.BooleanField(default=False, help_text="They search on an NHS number.")
    household = models.BooleanField(
        default=False, help_text="They search on the names of the people in the household."
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["kind"]
        verbose_name = "identifiers shown to agencies of a kind"
        verbose_name_plural = "identifiers shown to agencies, by kind"

    # What most partnerships set (a migration writes these rows; an admin changes them): used
    # too for a kind with no row, so a missing row never shows less than intended.
    DEFAULTS = {
        Agency.Kind.LOCAL_AUTHORITY: {"address": True, "household": True},
        Agency.Kind.POLICE: {"address": True, "household": True},
        Agency.Kind.ICB: {"address": True, "nhs_number": True},
        Agency.Kind.HEALTH_PROVIDER: {"address": True, "nhs_number": True},
        Agency.Kind.EDUCATION: {"address": True},
        Agency.Kind.PROBATION: {"address": True, "household": True},
        Agency.Kind.YOUTH_JUSTICE: {"address": True, "household": True},
    }

    def __str__(self):
        return self.get_kind_display()

    @classmethod
    def for_kind(cls, kind):
        return cls.objects.filter(kind=kind).first() or cls(kind=kind, **cls.DEFAULTS.get(kind, {}))

    def shown(self):
        """The identifying details shown, in words (for admin and the page)."""
        extra = [
            label
            for flag, label in (
                (self.address, "address"),
                (self.nhs_number, "NHS number"),
                (self.household, "household members' names"),
            )
            if flag
        ]
        return ["name", "date of birth", *extra]


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("An email address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra)

    def get_by_natural_key(self, username):
        return self.get(email__iexact=username)

    def to_choose_from(self):
        """Active people, for a form's list of them: the columns an option shows (`__str__`)
        and a chosen person's agency, no more. A partnership has a thousand people, and
        loading every column of each (with their agencies) was a third of such a page."""
        return self.filter(is_active=True).only("full_name", "email", "is_active", "agency")


class User(AbstractBaseUser, PermissionsMixin):
    """A person who logs in. Email is the login; every person belongs to one agency."""

    email = models.EmailField("email address", unique=True)
    full_name = models.CharField(max_length=200)
    job_title = models.CharField(max_length=200, blank=True)
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="users", null=True, blank=True
    )
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(
        default=False, help_text="Can log into Django admin (after the second factor)."
    )
    date_joined = models.DateTimeField(default=timezone.now)

    class ReminderPreference(models.TextChoices):
        DIGEST = "digest", "One email a day listing everything due"
        IMMEDIATE = "immediate", "A separate email for each reminder"

    # Escalations are always sent at once; this is for ordinary reminders.
    reminder_preference = models.CharField(
        max_length=10, choices=ReminderPreference.choices, default=ReminderPreference.DIGEST
    )
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique"),
        ]
        permissions = [("use_service", "Can use the case review service")]

    def __str__(self):
        return self.full_name or self.email

    def clean(self):
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()
        if not self.is_superuser and self.agency_id is None:
            raise ValidationError({"agency": "Choose the agency this person works for."})

    def get_full_name(self):
        return self.full_name

    def get_short_name(self):
        return self.full_name.split(" ")[0] if self.full_name else self.email

    @property
    def role_names(self):
        """Names of the partnership-wide roles (groups) this person holds, cached per request."""
        if not hasattr(self, "_role_names"):
            self._role_names = frozenset(self.groups.values_list("name", flat=True))
        return self._role_names

    def has_role(self, *roles):
        return bool(self.role_names.intersection(roles))

    def has_perm(self, perm, obj=None):
        """The service's permissions come from the person's roles only: a superuser with no
        role (an admin, who works in Django admin) reaches no service page. Everything else
        (admin's model permissions, object permissions) is Django's usual answer."""
        if obj is None and perm in SERVICE_PERMISSIONS:
            return self.is_active and perm in permissions_of(self.role_names)
        return super().has_perm(perm, obj)
