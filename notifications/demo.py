"""Demo cases at different stages of notification (fictional; run by seed_demo)."""

from datetime import timedelta

from django.utils import timezone

from safeguarding.cases.models import Case
from safeguarding.deadlines.calendar import current_calendar

from . import services
from .models import Notification, Referral

LA = "Northbridge City Council Children's Services"
POLICE = "Northbridge Police"
HOSPITALS = "Northbridge Hospitals NHS Foundation Trust"
SCHOOLS = "Northbridge Education Partnership"

CASES = [
    # key, nature, days ago aware (working days), how far it got, child name, referrer agency
    ("awaiting-screening", Case.Nature.SERIOUS_HARM, None, "referral", "Mia Thornton", HOSPITALS),
    ("notified-on-time", Case.Nature.DEATH, 30, "recorded", "Leo Barker", POLICE),
    ("notified-late", Case.Nature.SERIOUS_HARM, 20, "recorded-late", "Ava Sinclair", LA),
    ("due-tomorrow", Case.Nature.SERIOUS_HARM, "tomorrow", "screened", "Noah Patel", SCHOOLS),
    ("looked-after-death", Case.Nature.LAC_DEATH, 3, "screened", "Isla Green", LA),
    ("consider-review", Case.Nature.SERIOUS_HARM, None, "consider", "Oscar Reid", SCHOOLS),
    ("not-accepted", Case.Nature.OTHER, None, "not-accepted", "Ella Hughes", HOSPITALS),
]

OUTLINES = {
    "awaiting-screening": "Infant admitted to hospital with unexplained fractures; parents' "
    "accounts inconsistent.",
    "notified-on-time": "Death of a 2-year-old at home; injuries suggest non-accidental harm.",
    "notified-late": "Teenager seriously harmed in a stabbing linked to criminal exploitation.",
    "due-tomorrow": "Child seriously injured; neglect suspected, school had raised concerns.",
    "looked-after-death": "Death of a looked-after child in a residential placement.",
    "consider-review": "Serious self-harm by a child known to several agencies; learning about "
    "how agencies worked together.",
    "not-accepted": "Parent's complaint about the handling of a school admission.",
}


def _demo_tag(key):
    return f"[demo:{key}]"


def seed(*, agencies, users):
    pdeo = users["pdeo@northbridge.example"]
    chair = users["chair@northbridge.example"]
    calendar = current_calendar()
    today = timezone.localdate()
    made = []
    for key, nature, aware, progress, child, agency in CASES:
        tag = _demo_tag(key)
        referral = Referral.objects.filter(why_serious__endswith=tag).select_related("case").first()
        if referral is None:
            if aware == "tomorrow":
                aware_on = calendar.subtract_working_days(calendar.add_working_days(today, 1), 5)
            elif aware is not None:
                aware_on = calendar.subtract_working_days(today, aware)
            else:
                aware_on = today - timedelta(days=2)
            referral = services.record_referral(
                user=pdeo,
                referring_agency=agencies[agency],
                referrer_name="Demo Referrer",
                referrer_role="Safeguarding lead",
                received_on=aware_on,
                what_happened=OUTLINES[key],
                why_serious=f"Abuse or neglect suspected and the child was harmed. {tag}",
                nature=nature,
                child_name=child,
                child_age_years=4,
                incident_date=aware_on - timedelta(days=1),
            )
            if progress == "consider":
                services.screen_referral(
                    referral=referral,
                    user=chair,
                    decision=Referral.Decision.CONSIDER_REVIEW,
                    reason="Not notifiable, but there may be learning about multi-agency working.",
                )
            elif progress == "not-accepted":
                services.screen_referral(
                    referral=referral,
                    user=pdeo,
                    decision=Referral.Decision.NOT_ACCEPTED,
                    not_accepted_reason=Referral.NotAcceptedReason.COMPLAINT,
                    reason="A service complaint: passed to the school's complaints procedure.",
                )
            elif progress != "referral":
                services.screen_referral(
                    referral=referral,
                    user=pdeo,
                    decision=Referral.Decision.NOTIFY,
                    reason="Meets the definition of a serious child safeguarding case.",
                    la_aware_on=aware_on,
                )
                notification = Notification.objects.get(case=referral.case)
                if progress == "recorded":
                    services.record_notification(
                        notification=notification,
                        user=pdeo,
                        expected_version=1,
                        submitted_on=calendar.add_working_days(aware_on, 3),
                        national_reference=f"DEMO-{referral.case.reference}",
                        notifier_name="Tom Ellis",
                        notifier_contact="pdeo@northbridge.example",
                        partners_told_on=calendar.add_working_days(aware_on, 2),
                    )
                elif progress == "recorded-late":
                    services.record_notification(
                        notification=notification,
                        user=pdeo,
                        expected_version=1,
                        submitted_on=calendar.add_working_days(aware_on, 8),
                        national_reference=f"DEMO-{referral.case.reference}",
                        notifier_name="Tom Ellis",
                        notifier_contact="pdeo@northbridge.example",
                        partners_told_on=calendar.add_working_days(aware_on, 4),
                        late_reason="The local authority's duty manager was not told of the "
                        "incident by the hospital until after the weekend.",
                    )
        made.append(f"  demo case {referral.case.reference}: {key}")
    return made
