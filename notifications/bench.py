"""The benchmark's referrals and notifications (`manage.py seed_bench`): every case began as
a referral; most were screened to notify, with the notification's clocks (D1-D4 on the
notification, D5 too, as notifications.services opens them) met or missed as the years left
them."""

from datetime import timedelta

from safeguarding.cases.models import Case
from safeguarding.deadlines.rules import Kind

from .models import Notification, Referral


def seed(bench):
    referrals, notifications = [], []
    la = bench.partners["local_authority"]
    for n, case in enumerate(bench.cases):
        received = case.incident_date + timedelta(days=1)
        notify = n % 10 < 7 or case is bench.busy_case
        referrals.append(
            {
                "id": bench.next_id(Referral),
                "case_id": case.id,
                "referring_agency_id": bench.agencies[n % len(bench.agencies)][0],
                "referrer_name": bench.name(),
                "referrer_role": "Social worker",
                "received_on": received,
                "what_happened": "A serious injury to a child known to children's services.",
                "why_serious": "Abuse or neglect is known or suspected and the child was "
                "seriously harmed.",
                "decision": Referral.Decision.NOTIFY if notify else "consider_review",
                "decision_reason": "Meets the criteria for a serious incident notification.",
                "decided_by_id": case.lead_id,
                "decided_on": received + timedelta(days=1),
                "recorded_by_id": case.lead_id,
            }
        )
        if not notify:
            continue
        aware = received
        submitted = bench.calendar.add_working_days(aware, 2 + n % 5)
        nid = bench.next_id(Notification)
        notifications.append(
            {
                "id": nid,
                "case_id": case.id,
                "la_aware_on": aware,
                "submitted_on": submitted,
                "national_reference": f"NP-{case.reference}",
                "notifier_name": bench.name(),
                "partners_told_on": submitted,
                "recorded_by_id": case.lead_id,
            }
        )
        kinds = [Kind.NOTIFY_NATIONAL_PANEL, Kind.TELL_PARTNERS]
        if case.nature == Case.Nature.LAC_DEATH:
            kinds.append(Kind.NOTIFY_LAC_DEATH)
        if case.nature == Case.Nature.CARE_LEAVER_DEATH:
            kinds.append(Kind.NOTIFY_CARE_LEAVER_DEATH)
        for kind in kinds:
            bench.clock(
                kind=kind,
                model=Notification,
                object_id=nid,
                case=case,
                anchor=aware,
                met_on=submitted,
            )
        case.notification_id = nid
        case.la_aware_on = aware
    del la
    made = lambda row: (bench.at(row["received_on"]), "+", row["recorded_by_id"])  # noqa: E731
    bench.writer.write(Referral, referrals, history=made)
    bench.writer.write(
        Notification,
        notifications,
        history=lambda row: (bench.at(row["la_aware_on"], 15), "+", row["recorded_by_id"]),
    )
