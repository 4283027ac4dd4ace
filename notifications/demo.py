"""Demo cases at each step of referral, screening and notification (fictional; run by
seed_demo). Each case is told as it happened, on its own dates (safeguarding.demo.as_of), and
is found again by its child's name (`demo_case`), never by a tag on the page."""

from dataclasses import dataclass
from datetime import time, timedelta

from django.utils import timezone

from safeguarding.cases import services as case_services
from safeguarding.cases.models import Case, Child
from safeguarding.deadlines.calendar import current_calendar
from safeguarding.deadlines.services import mark_missed
from safeguarding.demo import as_of

from . import services
from .models import Notification, Referral

LA = "Northbridge City Council Children's Services"
POLICE = "Northbridge Police"
HOSPITALS = "Northbridge Hospitals NHS Foundation Trust"
SCHOOLS = "Northbridge Education Partnership"


@dataclass(frozen=True)
class DemoCase:
    key: str
    nature: str
    # Working days before today that the local authority became aware (None: two days ago).
    aware: int | None
    progress: str  # referral, screened, recorded, recorded-late, consider, not-accepted
    child: str
    sex: str
    age: tuple  # (years, months) at the incident; only years are recorded when no DOB
    dob_known: bool
    agency: str
    referrer: str
    referrer_role: str
    outline: str
    why_serious: str


CASES = [
    DemoCase(
        "awaiting-screening",
        Case.Nature.SERIOUS_HARM,
        None,
        "referral",
        "Mia Thornton",
        Child.Sex.FEMALE,
        (0, 7),
        True,
        HOSPITALS,
        "Dr Anna Kowalski",
        "Consultant Paediatrician",
        "Seven-month-old admitted with unexplained rib fractures; the parents' accounts of how "
        "they happened differ.",
        "Fractures in a non-mobile baby with no consistent explanation: physical abuse "
        "suspected, and the injuries are serious.",
    ),
    DemoCase(
        "notified-on-time",
        Case.Nature.DEATH,
        13,
        "recorded",
        "Leo Barker",
        Child.Sex.MALE,
        (2, 5),
        True,
        POLICE,
        "DS Jane Marsh",
        "Detective Sergeant, Child Abuse Investigation Team",
        "Death of a two-year-old at home; the post-mortem found injuries of different ages.",
        "The injuries suggest non-accidental harm over a period: abuse suspected, and the child "
        "has died.",
    ),
    DemoCase(
        "notified-late",
        Case.Nature.SERIOUS_HARM,
        20,
        "recorded-late",
        "Ava Sinclair",
        Child.Sex.FEMALE,
        (15, 3),
        True,
        LA,
        "Marcus Hale",
        "Team Manager, Children's Social Care",
        "Fifteen-year-old stabbed in a park; police believe she was being criminally exploited "
        "to carry drugs.",
        "Child criminal exploitation known to agencies for months; she was seriously injured.",
    ),
    DemoCase(
        "due-tomorrow",
        Case.Nature.SERIOUS_HARM,
        "tomorrow",
        "screened",
        "Noah Patel",
        Child.Sex.MALE,
        (8, 0),
        False,
        SCHOOLS,
        "Rachel Moore",
        "Headteacher",
        "Eight-year-old admitted to hospital malnourished and with untreated burns; the school "
        "had raised concerns about neglect.",
        "Neglect over a long period, and serious harm to his physical health.",
    ),
    DemoCase(
        "looked-after-death",
        Case.Nature.LAC_DEATH,
        3,
        "screened",
        "Isla Green",
        Child.Sex.FEMALE,
        (16, 1),
        True,
        LA,
        "Sarah Quinn",
        "Independent Reviewing Officer",
        "Death of a looked-after sixteen-year-old in a residential placement out of area.",
        "A looked-after child has died; the placement's care of her is in question.",
    ),
    DemoCase(
        "care-leaver-death",
        Case.Nature.CARE_LEAVER_DEATH,
        2,
        "screened",
        "Jordan Whitfield",
        Child.Sex.MALE,
        (19, 4),
        False,
        LA,
        "Priya Nair",
        "Leaving Care Personal Adviser",
        "Death of a nineteen-year-old care leaver in supported accommodation.",
        "A care leaver under 25 has died: notified to the Secretary of State and Ofsted. No "
        "rapid review follows automatically.",
    ),
    DemoCase(
        "consider-review",
        Case.Nature.SERIOUS_HARM,
        None,
        "consider",
        "Oscar Reid",
        Child.Sex.MALE,
        (13, 8),
        True,
        SCHOOLS,
        "Hannah Cole",
        "Designated Safeguarding Lead",
        "Serious self-harm by a thirteen-year-old known to several agencies.",
        "Serious harm to his mental health; there may be learning about how agencies worked "
        "together.",
    ),
    DemoCase(
        "not-accepted",
        Case.Nature.OTHER,
        None,
        "not-accepted",
        "Ella Hughes",
        Child.Sex.FEMALE,
        (10, 2),
        True,
        HOSPITALS,
        "Gareth Lloyd",
        "Patient Liaison Officer",
        "A parent's complaint about how a school admission was handled.",
        "The parent says the school's decision harmed their child's education.",
    ),
    DemoCase(
        "sent-awaiting-reply",
        Case.Nature.SERIOUS_HARM,
        28,
        "recorded",
        "Theo Walsh",
        Child.Sex.MALE,
        (0, 5),
        True,
        POLICE,
        "DC Omar Shah",
        "Detective Constable, Child Abuse Investigation Team",
        "Five-month-old with a head injury and retinal bleeding after a call to the ambulance "
        "service by his father.",
        "A non-accidental head injury is suspected; he is in intensive care.",
    ),
]
BY_KEY = {c.key: c for c in CASES}


def demo_case(key):
    """The demo case for `key` ("notified-on-time"...), found by its child's name."""
    return Case.objects.filter(children__name=BY_KEY[key].child).order_by("pk").first()


def awareness_date(spec, today, calendar):
    if spec.aware == "tomorrow":  # D1 (5 working days) falls due tomorrow
        return calendar.subtract_working_days(calendar.add_working_days(today, 1), 5)
    if spec.aware is None:
        return calendar.subtract_working_days(today, 1)
    return calendar.subtract_working_days(today, spec.aware)


def birth_date(spec, incident):
    years, months = spec.age
    return incident - timedelta(days=round(years * 365.25 + months * 30.4 + 11))


def seed(*, agencies, users):
    pdeo = users["pdeo@northbridge.example"]
    chair = users["chair@northbridge.example"]
    calendar = current_calendar()
    today = timezone.localdate()
    made = []
    for spec in CASES:
        case = demo_case(spec.key)
        if case is None:
            case = _tell(spec, agencies, pdeo, chair, today, calendar)
        made.append(f"  demo case {case.reference} ({case.pseudonym}): {spec.key}")
    mark_missed()  # what fell due while the stories were told is missed, as the chase would say
    return made


def _tell(spec, agencies, pdeo, chair, today, calendar):
    aware_on = awareness_date(spec, today, calendar)
    incident = aware_on - timedelta(days=2 if spec.aware is None else 1)
    dob = birth_date(spec, incident)
    with as_of(aware_on, by=pdeo, at=_at(9, 10)):
        referral = services.record_referral(
            user=pdeo,
            referring_agency=agencies[spec.agency],
            referrer_name=spec.referrer,
            referrer_role=spec.referrer_role,
            referrer_email=f"{spec.referrer.split()[-1].lower()}@{_domain(spec.agency)}",
            received_on=aware_on,
            what_happened=spec.outline,
            why_serious=spec.why_serious,
            nature=spec.nature,
            child_name=spec.child,
            child_date_of_birth=dob if spec.dob_known else None,
            child_age_years=None if spec.dob_known else spec.age[0],
            incident_date=incident,
        )
        case = referral.case
        _describe_child(case.children.get(), spec)
    if spec.progress == "referral":
        return case
    if spec.progress == "consider":
        with as_of(calendar.add_working_days(aware_on, 1), by=chair, at=_at(11, 30)):
            services.screen_referral(
                referral=referral,
                user=chair,
                decision=Referral.Decision.CONSIDER_REVIEW,
                reason="Not notifiable: he was not harmed by abuse or neglect. There may be "
                "learning about how agencies worked together; the CSPR Panel will consider it.",
            )
        return case
    if spec.progress == "not-accepted":
        with as_of(aware_on, by=pdeo, at=_at(15, 0)):
            services.screen_referral(
                referral=referral,
                user=pdeo,
                decision=Referral.Decision.NOT_ACCEPTED,
                not_accepted_reason=Referral.NotAcceptedReason.COMPLAINT,
                reason="A service complaint: passed to the school's complaints procedure, and "
                "the parent told how to use it.",
            )
        return case
    with as_of(aware_on, by=pdeo, at=_at(14, 0)):
        services.screen_referral(
            referral=referral,
            user=pdeo,
            decision=Referral.Decision.NOTIFY,
            reason="Meets the definition of a serious child safeguarding case.",
            la_aware_on=aware_on,
        )
    notification = Notification.objects.get(case=case)
    if spec.progress == "recorded":
        told, sent = calendar.add_working_days(aware_on, 2), calendar.add_working_days(aware_on, 3)
        with as_of(sent, by=pdeo, at=_at(16, 20)):
            services.record_notification(
                notification=notification,
                user=pdeo,
                expected_version=notification.version,
                submitted_on=sent,
                national_reference=f"NP-{case.year}-{4100 + case.sequence:05d}",
                notifier_name="Tom Ellis",
                notifier_contact="pdeo@northbridge.example, 0121 496 0123",
                partners_told_on=told,
            )
    elif spec.progress == "recorded-late":
        told, sent = calendar.add_working_days(aware_on, 4), calendar.add_working_days(aware_on, 8)
        with as_of(sent, by=pdeo, at=_at(12, 5)):
            services.record_notification(
                notification=notification,
                user=pdeo,
                expected_version=notification.version,
                submitted_on=sent,
                national_reference=f"NP-{case.year}-{4100 + case.sequence:05d}",
                notifier_name="Tom Ellis",
                notifier_contact="pdeo@northbridge.example, 0121 496 0123",
                partners_told_on=told,
                late_reason="The hospital did not tell the local authority's duty manager of the "
                "injury until after the weekend, and the police shared the exploitation "
                "intelligence a week later.",
            )
    return case


# What the referral says about each child beyond the name and age: ethnicity, disability,
# legal status or placement, child protection plan.
CHILD_DETAILS = {
    "Mia Thornton": ("White British", "", "None", Child.ProtectionPlan.NEVER),
    "Leo Barker": ("White British", "", "Child in need", Child.ProtectionPlan.PREVIOUS),
    "Ava Sinclair": ("Mixed White and Black Caribbean", "", "None", Child.ProtectionPlan.NEVER),
    "Noah Patel": ("British Indian", "", "Child in need", Child.ProtectionPlan.CURRENT),
    "Isla Green": ("White British", "Autism", "Looked after (section 31)", "never"),
    "Jordan Whitfield": ("Black British", "", "Care leaver", Child.ProtectionPlan.PREVIOUS),
    "Oscar Reid": ("Pakistani", "ADHD", "None", Child.ProtectionPlan.UNKNOWN),
    "Ella Hughes": ("White British", "", "None", Child.ProtectionPlan.NEVER),
    "Theo Walsh": ("White Irish", "", "None", Child.ProtectionPlan.NEVER),
}


def _describe_child(child, spec):
    ethnicity, disability, legal, plan = CHILD_DETAILS[spec.child]
    case_services.update_child(
        child=child,
        expected_version=child.version,
        sex=spec.sex,
        ethnicity=ethnicity,
        disability=disability,
        legal_status=legal,
        child_protection_plan=plan,
        home_local_authority="Northbridge",
    )


def _at(hour, minute):
    return time(hour, minute)


def _domain(agency):
    return {
        LA: "northbridge.gov.example",
        POLICE: "northbridge.police.example",
        HOSPITALS: "nhs.example",
        SCHOOLS: "northbridge-schools.example",
    }.get(agency, "example.org")
