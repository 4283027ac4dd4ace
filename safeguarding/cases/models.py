"""The case: the spine every stage hangs on, its children, its team, and who may see it."""

from datetime import date

from django.conf import settings
from django.contrib.auth.models import Permission
from django.core.exceptions import EmptyResultSet, ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.db.models.expressions import RawSQL
from django.utils import timezone
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase
from simple_history.models import HistoricalRecords

from safeguarding.accounts.models import Agency, kept_for
from safeguarding.accounts.roles import PARTNERSHIP_WIDE_ROLES, Role
from safeguarding.page_memo import for_this_page, reading_a_page

# The object permission that puts a person on one case's team (django-guardian).
WORK_ON_CASE = "work_on_case"


class YesNoUnknown(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"
    UNKNOWN = "unknown", "Not known"


# The work-on-case permission's id, asked once per process (as Django keeps content types) and
# asked again whenever migrate or flush has run (`remember_work_on_case`, on post_migrate),
# which may have made the permission afresh with another id.
_work_on_case_id = {}


def _work_on_case():
    """The work-on-case permission's id, written into the gate's SQL as a number.

    Joined to the permissions table by its codename, PostgreSQL guessed that a person is on one
    case's team, not a hundred, and planned the queries that pass the gate (reminders, clocks,
    requests) from the wrong end: 25 to 85 ms for what takes 0.2 (docs/performance.md, "Sixth
    round"). As a subquery it was answered once per query, but planned in every query that
    holds the gate, and the planner could not use what it knows of that one id: a Panel
    member's home page cost PostgreSQL about 5 ms more of its 28 ("Fifteenth round")."""
    if "id" not in _work_on_case_id:
        remember_work_on_case()
    # 0 before migrate has made the permission: no permission has that id, so nobody is on a team.
    return _work_on_case_id.get("id") or 0


def remember_work_on_case(using="default", **kwargs):
    _work_on_case_id.clear()
    found = (
        Permission.objects.using(using)
        .filter(codename=WORK_ON_CASE, content_type__app_label="cases", content_type__model="case")
        .values_list("pk", flat=True)
        .first()
    )
    if found is not None:
        _work_on_case_id["id"] = found


def _gate_tests(user, to_case):
    """(on the case's team, conflicted on it) as subqueries on the outer case, or on the case
    the outer row belongs to (`to_case`), built once per person object: a page passes a dozen
    querysets through the gate, and building these two each time was a tenth of a home page's
    time. Django copies an expression when a query uses it, so one kept here is never changed
    by that use."""
    case = to_case.removesuffix("__") or "pk"
    return kept_for(
        user,
        f"_case_gate_tests:{to_case}",
        lambda: (
            Exists(
                CaseUserObjectPermission.objects.filter(
                    content_object=OuterRef(case), user=user, permission=_work_on_case()
                )
            ),
            Exists(ConflictOfInterest.objects.filter(case=OuterRef(case), user=user)),
        ),
    )


def case_gate(user, *, read, to_case=""):
    """The visibility gate's rule (`CaseQuerySet`) as a condition on a case, or, with `to_case`
    ("case__"), on the case a row belongs to; None when the person sees no case at all.

    Another app's gate asks it with `to_case` where a query joins the case anyway: the
    condition is then tested on each row as the rows are read in order, so a LIMIT stops it
    early. As a list of the cases' ids (`case_ids_visible_to`) a Panel member's, who sees
    every case before the Panel, was built in full, all 10,000 cases, before the first row
    (docs/performance.md, "Fifteenth round")."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    roles = user.role_names
    on_team, conflicted = _gate_tests(user, to_case)
    if roles & PARTNERSHIP_WIDE_ROLES:
        # Every case; through a relation, only rows that have one.
        allowed = Q(**{f"{to_case}isnull": False}) if to_case else Q()
    else:
        allowed = Q(on_team)
        if not read and Role.PANEL_MEMBER in roles:
            allowed |= Q(**{f"{to_case}before_panel_on__isnull": False})
    return allowed & ~Q(conflicted) if may_be_conflicted(user) else allowed


def may_be_conflicted(user):
    """Whether the gate must test each case for a conflict of interest the person declared.
    On a page that only reads it is asked once (`for_this_page`): most people declare none,
    and the test was a subquery on every row of every gated query. Anywhere else (a POST, a
    task, a test calling a selector) the gate always tests, with no query to decide."""
    if not reading_a_page():
        return True
    return for_this_page(
        f"declared-conflicts:{user.pk}",
        lambda: ConflictOfInterest.objects.filter(user=user).exists(),
    )


class CaseQuerySet(models.QuerySet):
    """The visibility gate, in two steps. Every read of a case, and of anything on one, goes
    through one of these two methods.

    - `visible_to(user)`: the case exists for the person: its reference, pseudonym, stage and
      status, its clocks' dates (lists, What's due, the home page).
    - `readable_by(user)`: they may also read what the case says: free text (the outline,
      agency responses, chronology entries, rapid review sections), files, and the children's
      identifying details. Names typed into free text or scanned into a file can never all be
      found and hidden, so the rule is about who may read, not what is shown.

    Partnership-wide roles (Business Manager, PDEO, Chair, Deputy Chair) read every case;
    anyone on a case's team (a django-guardian object permission) reads that case; Panel
    members see, without reading, the cases before the CSPR Panel. A person who declared a
    conflict of interest on a case neither sees nor reads it. Agency contributors reach a case
    only through their agency's requests (contributions).
    """

    def _gate(self, user, *, read):
        condition = case_gate(user, read=read)
        return self.none() if condition is None else self.filter(condition)

    def sees_every_case(self, user):
        """The gate lets this person see every case: a partnership-wide role and, on this
        page, no declared conflict of interest. Other gates then need not ask which cases."""
        return (
            getattr(user, "is_authenticated", False)
            and user.is_active
            and bool(user.role_names & PARTNERSHIP_WIDE_ROLES)
            and not may_be_conflicted(user)
        )

    def visible_to(self, user):
        return self._gate(user, read=False)

    def readable_by(self, user):
        return self._gate(user, read=True)


def case_ids_visible_to(user):
    """The ids of the cases `visible_to(user)`, for `case__in=` in another app's gate."""
    return _gate_ids(user, read=False)


def case_ids_readable_by(user):
    """The ids of the cases `readable_by(user)`, for `case__in=` in another app's gate."""
    return _gate_ids(user, read=True)


def on_readable_cases(user):
    """The case gate for another app's rows, as a condition on their `case`: those on the
    cases `readable_by(user)`. For someone the gate lets read every case (`sees_every_case`),
    only that the row has a case: the same rows, with no subquery of every case's id, which
    PostgreSQL planned as a join on each query (about 0.1 ms of planning each, three queries
    on a PDEO's home page; docs/performance.md, "Twenty-third round")."""
    if Case.objects.sees_every_case(user):
        return Q(case__isnull=False)
    return Q(case__in=case_ids_readable_by(user))


def _gate_ids(user, *, read):
    """The case gate as a subquery of ids, its SQL written once per person object. Django
    builds and compiles a subquery afresh in every query that holds it, and a Panel member's
    or lead reviewer's page passes a dozen queries through the gate: about a millisecond of
    Python each (docs/performance.md, "Seventh round"). The subquery asks nothing of the
    outer query, so its SQL can be embedded as it is. It is a condition, not an answer: the
    database still reads who is on which case whenever a query runs. Kept under a name of its
    own for each form of the gate, as the deadlines gate is: one written on a page where the
    person declared no conflict must never serve a POST or a task."""

    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Case.objects.none().values("pk")  # no case at all: Django leaves it out
    conflicted = may_be_conflicted(user)
    form = "" if conflicted else ":no-conflict"
    name = f"_case_ids:{'read' if read else 'see'}{form}"
    return kept_for(user, name, lambda: written_sql(_gate_ids_query(user, read, conflicted)))


def _gate_ids_query(user, read, conflicted):
    roles = user.role_names
    if (
        not conflicted
        and not roles & PARTNERSHIP_WIDE_ROLES
        and (read or Role.PANEL_MEMBER not in roles)
    ):
        # The gate is then only the team test (`case_gate`): the cases the person's team
        # permissions name. The permission rows hold the case's id (a foreign key), so the
        # subquery need not read the cases, and each query that embeds it plans one table
        # fewer (docs/performance.md, "Twenty-fifth round").
        return CaseUserObjectPermission.objects.filter(
            user=user, permission_id=_work_on_case()
        ).values("content_object_id")
    cases = Case.objects.readable_by(user) if read else Case.objects.visible_to(user)
    return cases.order_by().values("pk")


def written_sql(queryset):
    """A queryset's SQL, compiled now, to embed as a subquery (`field__in=`) that Django need
    not build and compile again in each query that holds it. Only for a subquery that asks
    nothing of the outer query. One that can match nothing (a gate that lets nothing through)
    has no SQL to write: it is given back as it is, and Django leaves the condition out."""
    try:
        sql, params = queryset.query.get_compiler(using=queryset.db).as_sql()
    except EmptyResultSet:
        return queryset
    return RawSQL(sql, params)


class Case(models.Model):
    class Stage(models.TextChoices):
        REFERRAL = "referral", "Referral"
        CONSIDERATION = "consideration", "Consideration for a local review"
        NOTIFICATION = "notification", "Notification"
        RAPID_REVIEW = "rapid_review", "Rapid review"
        LOCAL_REVIEW = "local_review", "Local review"
        MONITORING = "monitoring", "Action plan monitoring"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    class Nature(models.TextChoices):
        DEATH = "death", "Death"
        SERIOUS_HARM = "serious_harm", "Serious harm"
        LAC_DEATH = "lac_death", "Death of a looked-after child"
        CARE_LEAVER_DEATH = "care_leaver_death", "Death of a care leaver"
        OTHER = "other", "Other"

    class Place(models.TextChoices):
        IN_AREA = "in_area", "In the partnership's area"
        OUTSIDE_ENGLAND = "outside_england", "Outside England (the child normally lives here)"

    class AbuseType(models.TextChoices):
        PHYSICAL = "physical", "Physical abuse"
        EMOTIONAL = "emotional", "Emotional abuse"
        SEXUAL = "sexual", "Sexual abuse"
        NEGLECT = "neglect", "Neglect"
        CRIMINAL_EXPLOITATION = "criminal_exploitation", "Child criminal exploitation"
        SEXUAL_EXPLOITATION = "sexual_exploitation", "Child sexual exploitation"
        DOMESTIC_ABUSE = "domestic_abuse", "Domestic abuse"
        ONLINE = "online", "Online abuse"
        OTHER = "other", "Other"

    reference = models.CharField(max_length=30, unique=True)
    year = models.PositiveSmallIntegerField()
    sequence = models.PositiveIntegerField()
    pseudonym = models.CharField(
        max_length=60, help_text="Used in lists, reports and anything published, e.g. Child A."
    )
    stage = models.CharField(max_length=20, choices=Stage.choices, default=Stage.REFERRAL)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    # Set when screening brings the case before the CSPR Panel (panel members can then see it).
    before_panel_on = models.DateField(null=True, blank=True)

    incident_date = models.DateField(null=True, blank=True)
    incident_time = models.TimeField(null=True, blank=True)
    place = models.CharField(max_length=20, choices=Place.choices, default=Place.IN_AREA)
    nature = models.CharField(max_length=20, choices=Nature.choices)
    abuse_types = models.JSONField(default=list, blank=True)
    outline = models.TextField(help_text="A short outline of what happened.")
    agencies_involved = models.ManyToManyField(Agency, blank=True, related_name="cases")
    police_investigation = models.CharField(
        max_length=10, choices=YesNoUnknown.choices, default=YesNoUnknown.UNKNOWN
    )
    coroner_involved = models.CharField(
        max_length=10, choices=YesNoUnknown.choices, default=YesNoUnknown.UNKNOWN
    )
    child_death_review = models.CharField(
        max_length=10, choices=YesNoUnknown.choices, default=YesNoUnknown.UNKNOWN
    )
    media_interest = models.CharField(
        max_length=10, choices=YesNoUnknown.choices, default=YesNoUnknown.UNKNOWN
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    # Optimistic locking: an edit must say which version it started from.
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords(m2m_fields=[agencies_involved])

    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "-sequence"]
        constraints = [
            models.UniqueConstraint(fields=["year", "sequence"], name="case_reference_per_year"),
        ]
        indexes = [
            models.Index(fields=["status", "stage"]),
            models.Index(fields=["pseudonym"]),
            # A reporting year's cases (the reports dashboard, the yearly pack): a year's among
            # a decade's, without reading every case (docs/performance.md).
            models.Index(fields=["created_at"], name="case_created_at"),
        ]
        permissions = [
            ("view_case_list", "Can see the case list"),
            (WORK_ON_CASE, "Is on the case team (granted per case)"),
            ("run_cases", "Can record referrals, notifications and case details"),
            ("screen_referral", "Can record a screening decision"),
            ("manage_case_team", "Can add and remove people on a case team"),
            ("declare_conflict", "Can declare a conflict of interest"),
            ("export_cases", "Can export the case list"),
        ]

    def __str__(self):
        return f"{self.reference} ({self.pseudonym})"

    def clean(self):
        errors = {}
        today = timezone.localdate()
        if self.incident_date and self.incident_date > today:
            errors["incident_date"] = "The date of the incident must be today or in the past"
        bad = [t for t in self.abuse_types if t not in self.AbuseType.values]
        if bad:
            errors["abuse_types"] = "Choose abuse types from the list"
        if errors:
            raise ValidationError(errors)

    @property
    def is_looked_after_death(self):
        return self.nature == self.Nature.LAC_DEATH

    @property
    def is_care_leaver_death(self):
        return self.nature == self.Nature.CARE_LEAVER_DEATH

    def abuse_type_labels(self):
        return [self.AbuseType(t).label for t in self.abuse_types if t in self.AbuseType.values]


class CaseUserObjectPermission(UserObjectPermissionBase):
    """Per-case roles (lead reviewer, review chair, CRP member...) as guardian permissions with a
    real foreign key, so the gate is one indexed join, not a generic lookup."""

    content_object = models.ForeignKey(Case, on_delete=models.CASCADE)


class CaseGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Case, on_delete=models.CASCADE)


class CaseReferenceCounter(models.Model):
    """The last reference number used in a year; locked while a case is created."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.year}: {self.last}"


class Child(models.Model):
    # The details that identify a child: shown only to people with a need to know (partnership
    # staff and the case team; ChildView hides them from everyone else). The one list of them.
    IDENTIFYING_FIELDS = ("name", "date_of_birth", "address", "nhs_number")

    class Sex(models.TextChoices):
        FEMALE = "female", "Female"
        MALE = "male", "Male"
        UNBORN = "unborn", "Unborn"
        UNKNOWN = "unknown", "Not known"

    class ProtectionPlan(models.TextChoices):
        CURRENT = "current", "Yes, current"
        PREVIOUS = "previous", "Previously"
        NEVER = "never", "No"
        UNKNOWN = "unknown", "Not known"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="children")
    pseudonym = models.CharField(max_length=60)
    # Identifying details (IDENTIFYING_FIELDS).
    name = models.CharField(max_length=200)
    date_of_birth = models.DateField(null=True, blank=True)
    address = models.TextField(blank=True)
    nhs_number = models.CharField(max_length=12, blank=True)
    # Non-identifying.
    age_years = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="If the date of birth is not known."
    )
    sex = models.CharField(max_length=10, choices=Sex.choices, default=Sex.UNKNOWN)
    ethnicity = models.CharField(max_length=100, blank=True)
    religion = models.CharField(max_length=100, blank=True)
    disability = models.CharField(max_length=200, blank=True)
    legal_status = models.CharField(
        max_length=200, blank=True, help_text="Legal status or placement, e.g. looked after (s.20)."
    )
    child_protection_plan = models.CharField(
        max_length=10, choices=ProtectionPlan.choices, default=ProtectionPlan.UNKNOWN
    )
    known_to_agencies = models.TextField(blank=True)
    home_local_authority = models.CharField(max_length=200, blank=True)
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        ordering = ["case", "id"]
        verbose_name_plural = "children"

    def __str__(self):
        return self.pseudonym

    def clean(self):
        errors = {}
        today = timezone.localdate()
        if self.date_of_birth:
            if self.date_of_birth > today:
                errors["date_of_birth"] = "Date of birth must be today or in the past"
            elif (
                self.case_id
                and self.case.incident_date
                and self.date_of_birth > self.case.incident_date
            ):
                errors["date_of_birth"] = (
                    "Date of birth must be on or before the date of the incident"
                )
        if self.age_years is not None and self.age_years > 17:
            if not (self.case_id and self.case.nature == Case.Nature.CARE_LEAVER_DEATH):
                errors["age_years"] = "A child is anyone under 18: enter an age from 0 to 17"
        if self.nhs_number and not valid_nhs_number(self.nhs_number):
            errors["nhs_number"] = "Enter a valid NHS number, like 485 777 3456"
        if errors:
            raise ValidationError(errors)

    def age_at(self, day: date | None):
        if self.date_of_birth and day:
            years = day.year - self.date_of_birth.year
            if (day.month, day.day) < (self.date_of_birth.month, self.date_of_birth.day):
                years -= 1
            return max(years, 0)
        return self.age_years


def valid_nhs_number(value):
    """NHS numbers are 10 digits with a modulus 11 check digit."""
    digits = value.replace(" ", "")
    if len(digits) != 10 or not digits.isdigit():
        return False
    total = sum(int(d) * (10 - i) for i, d in enumerate(digits[:9]))
    check = 11 - total % 11
    check = 0 if check == 11 else check
    return check != 10 and check == int(digits[9])


class HouseholdMember(models.Model):
    """Someone in the child's household. Their name is an identifying detail of the family:
    read only with a need to know, like the child's (Case.objects.readable_by), and shown to an
    agency asked for information only where its kind searches on household names."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="household")
    # Identifying (IDENTIFYING_FIELDS).
    name = models.CharField(max_length=200)
    relationship = models.CharField(
        max_length=100, help_text="To the child, for example mother, stepfather, sibling."
    )
    history = HistoricalRecords()

    IDENTIFYING_FIELDS = ("name",)

    class Meta:
        ordering = ["case", "id"]

    def __str__(self):
        return self.relationship


class CaseTeamMember(models.Model):
    """Someone working on one case. Membership grants the guardian `view_case` permission."""

    class Role(models.TextChoices):
        CASE_LEAD = "case_lead", "Case lead (PDEO)"
        LEAD_REVIEWER = "lead_reviewer", "Lead reviewer"
        REVIEW_CHAIR = "review_chair", "Chair of the review panel"
        CRP_MEMBER = "crp_member", "Case review panel member"
        # Until the Panel's meetings put members on a case's team while it is on the agenda.
        PANEL_MEMBER = "panel_member", "CSPR Panel member (for a decision or sign-off)"
        OTHER = "other", "Other"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="team")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=20, choices=Role.choices)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["case", "role", "id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "user", "role"], name="one_team_role_each")
        ]

    def __str__(self):
        return f"{self.user} – {self.get_role_display()}"


class ConflictOfInterest(models.Model):
    """Declared by a person about one case: they lose access to it and do not count towards
    quoracy on it."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="conflicts")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="conflicts_of_interest"
    )
    nature = models.TextField(help_text="What the conflict is.")
    declared_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-declared_at"]
        constraints = [
            models.UniqueConstraint(fields=["case", "user"], name="one_conflict_per_person_case")
        ]

    def __str__(self):
        return f"{self.user} on {self.case.reference}"


class Escalation(models.Model):
    """An immediate safeguarding escalation of ongoing risk, recorded on the case."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="escalations")
    issue = models.TextField()
    escalated_to = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    escalated_on = models.DateField()
    response = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-escalated_on", "-id"]

    def __str__(self):
        return f"Escalation to {self.escalated_to} on {self.escalated_on:%d %b %Y}"

    def clean(self):
        if self.escalated_on and self.escalated_on > timezone.localdate():
            raise ValidationError({"escalated_on": "The date must be today or in the past"})
