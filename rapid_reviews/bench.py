"""The benchmark's rapid reviews (`manage.py seed_bench`): one for each of the plan's share of
notified cases, the latest still in progress, the rest decided, signed off by the three
partners and sent, with D5 (on the notification) met and D6 (the national Panel's reply)."""

from datetime import timedelta

from notifications.models import Notification
from safeguarding.deadlines.rules import Kind

from .documents import rapid_review_pdf
from .models import CriterionAnswer, RapidReview, SignOff

CRITERIA = ["improvements", "recurrent", "working_together"]


def seed(bench):
    notified = [c for c in bench.cases if getattr(c, "notification_id", None)]
    wanted = min(bench.plan["rapid_reviews"], len(notified))
    # Spread over the years, always including the busy case.
    step = len(notified) / wanted if wanted else 1
    chosen = {id(notified[int(i * step)]) for i in range(wanted)}
    if bench.busy_case is not None and id(bench.busy_case) not in chosen and chosen:
        chosen.pop()
        chosen.add(id(bench.busy_case))
    reviews, criteria, sign_offs = [], [], []
    partners = bench.partners
    for case in notified:
        if id(case) not in chosen:
            continue
        rid = bench.next_id(RapidReview)
        opened = case.la_aware_on + timedelta(days=1)
        due = bench.calendar.add_working_days(case.la_aware_on, 15)
        in_progress = (bench.today - opened).days < 30
        sent = None if in_progress else due - timedelta(days=rid % 4)
        reviews.append(
            {
                "id": rid,
                "case_id": case.id,
                "status": RapidReview.Status.IN_PROGRESS if in_progress else "replied",
                "opened_by_id": case.lead_id,
                "opened_on": opened,
                "meeting_date": opened + timedelta(days=10),
                "child_and_family": "The child lived with their mother and two siblings.",
                "agency_involvement": "Children's services, police, health and school.",
                "what_went_well": "Prompt strategy discussion once the injury was seen.",
                "what_could_be_better": "Earlier concerns from the school were not shared.",
                "key_lines_of_enquiry": "Information sharing\nHearing the child's voice",
                "decision": ""
                if in_progress
                else ["lcspr", "other_learning", "no_further_action"][rid % 3],
                "decision_rationale": "" if in_progress else "Meets the criteria.",
                "decided_on": None if in_progress else opened + timedelta(days=10),
                "sent_on": sent,
                "sent_by_id": sent and case.lead_id,
                "reply_received_on": sent and sent + timedelta(days=12),
                "reply_outcome": "" if in_progress else "agrees",
                "version": 1 if in_progress else 6,
            }
        )
        bench.clock(
            kind=Kind.RAPID_REVIEW,
            model=Notification,
            object_id=case.notification_id,
            case=case,
            anchor=case.la_aware_on,
            due=due,
            met_on=sent,
        )
        if in_progress:
            continue
        bench.clock(
            kind=Kind.PANEL_REPLY,
            model=RapidReview,
            object_id=rid,
            case=case,
            anchor=sent,
            met_on=sent + timedelta(days=12),
        )
        for criterion in CRITERIA:
            criteria.append(
                {
                    "id": bench.next_id(CriterionAnswer),
                    "review_id": rid,
                    "criterion": criterion,
                    "answer": "yes",
                    "rationale": "Agencies did not share what they knew.",
                }
            )
        for kind in ("local_authority", "police", "icb"):
            sign_offs.append(
                {
                    "id": bench.next_id(SignOff),
                    "review_id": rid,
                    "partner": kind,
                    "agency_id": partners[kind],
                    "user_id": case.lead_id,
                    "name": bench.name(),
                    "role": "Director",
                    "signed_on": sent - timedelta(days=1),
                }
            )
    bench.writer.write(
        RapidReview,
        reviews,
        history=lambda r: (bench.at(r["opened_on"]), "+", r["opened_by_id"]),
    )
    bench.writer.write(CriterionAnswer, criteria)
    bench.writer.write(SignOff, sign_offs)


def pages(context):
    """The benchmark's rapid review pages: the busy case's review, reviews to commission."""
    busy = context.busy_case.reference
    return [
        {"name": "rapid review (busy case)", "as": "pdeo", "path": f"/cases/{busy}/rapid-review/"},
        {"name": "reviews to commission", "as": "pdeo", "path": "/reviews-to-commission/"},
    ]


def files(context):
    """The rapid review PDF, as 'final for sending' makes it (in the request: see
    docs/architecture.md), timed by the benchmark."""
    review = RapidReview.objects.get(case=context.busy_case)
    return {"rapid review PDF": lambda: rapid_review_pdf(review, final=True)}
