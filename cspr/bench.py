"""The benchmark's local reviews (`manage.py seed_bench`): one for each of the plan's share of
the rapid reviews that decided on one, shaped as the services leave them. The older reviews are
published, the recent ones commissioned (a Lead Reviewer, a Chair and a Case Review Panel,
agreed terms of reference, progress checks every 8 weeks), the newest still to commission. Their
clocks: D7 (the national Panel told), D8 (published within 6 months), D12 (progress checks),
D9 and D10 (publication)."""

from datetime import timedelta

from rapid_reviews.models import RapidReview
from safeguarding.accounts.roles import Role
from safeguarding.actions.bench import Actions
from safeguarding.actions.models import Action
from safeguarding.cases.models import CaseTeamMember
from safeguarding.deadlines.rules import Kind, rule_for

from .files import BRIEFING, PACK
from .models import (
    Appointment,
    Approval,
    DraftCirculation,
    FactualAccuracyComment,
    LearningBriefing,
    LearningTheme,
    LocalReview,
    ProgressCheck,
    Recommendation,
    ReportDraft,
    ReviewerRequest,
    ReviewTheme,
    TermsOfReference,
)

S = LocalReview.Status
KLOES = "Information sharing between school and health\nHearing the child's voice"


def _status(age_days):
    if age_days < 20:
        return S.TO_COMMISSION
    if age_days < 150:
        return S.COMMISSIONED
    if age_days < 180:
        return S.APPROVED
    return S.PUBLISHED


def _reviewer_request(case, lid, asked_on, answered_on):
    return {
        "review_id": lid,
        "kind": ReviewerRequest.Kind.INFORMATION,
        "details": "The agencies' chronologies merged, with the gaps marked.",
        "asked_on": asked_on,
        "due_on": asked_on + timedelta(days=14),
        "answered_on": answered_on,
        "asked_by_id": case.lead_id,
    }


def seed(bench):
    by_id = {c.id: c for c in bench.cases}
    decided = list(
        RapidReview.objects.filter(decision=RapidReview.Decision.LCSPR, decided_on__isnull=False)
        .order_by("decided_on", "id")
        .values_list("id", "case_id", "decided_on")
    )
    wanted = min(bench.plan["local_reviews"], len(decided))
    step = len(decided) / wanted if wanted else 1
    # Spread over the years, always including the newest (still to commission).
    chosen = [decided[int(i * step)] for i in range(wanted - 1)] + decided[-1:]
    reviews, appointments, terms, checks, approvals, requests = [], [], [], [], [], []
    drafts = {"drafts": [], "circulations": [], "comments": []}
    learning = Learning(bench)
    lead_reviewer = bench.sign_in["lead_reviewer"]
    for n, (rapid_review_id, case_id, decided_on) in enumerate(chosen):
        case = by_id[case_id]
        lid = bench.next_id(LocalReview)
        # Whatever the scale, the newest review is still to commission and the one before it
        # is commissioned, led by the signed-in lead reviewer and chaired by the signed-in Panel
        # member: every page then shows the same kinds of thing at 0.01 as at 1, so its query
        # count is the same (the benchmark's --compare).
        busy = n == len(chosen) - 2
        if n == len(chosen) - 1 and n:
            status = S.TO_COMMISSION
        elif busy:
            status = S.COMMISSIONED
        else:
            status = _status((bench.today - decided_on).days)
        published = status == S.PUBLISHED
        told = None if status == S.TO_COMMISSION else decided_on + timedelta(days=4)
        six_months = rule_for(Kind.LCSPR_PUBLISHED).due_date(decided_on, bench.calendar)
        published_on = six_months - timedelta(days=n % 20 - 5)  # a few a little late
        reviews.append(
            {
                "id": lid,
                "case_id": case_id,
                "rapid_review_id": rapid_review_id,
                "status": status,
                "decided_on": decided_on,
                "decided_by": "The safeguarding partners, at the rapid review",
                "decision_reasons": "The case meets the criteria for a local review.",
                "key_lines_of_enquiry": KLOES,
                "started_by_id": case.lead_id,
                "started_at": bench.at(decided_on),
                "national_panel_told_on": told,
                "reviewer_named": "" if told is None else bench.name(),
                "planned_publication_on": published_on if published else None,
                "report_sent_on": published_on - timedelta(days=10) if published else None,
                "published_on": published_on if published else None,
                "publication_link": "https://example.org/reviews/report.pdf" if published else "",
                "version": 1 if status == S.TO_COMMISSION else 8,
            }
        )
        bench.clock(
            kind=Kind.NOTIFY_LCSPR_DECISION,
            model=LocalReview,
            object_id=lid,
            case=case,
            anchor=decided_on,
            met_on=told,
        )
        bench.clock(
            kind=Kind.LCSPR_PUBLISHED,
            model=LocalReview,
            object_id=lid,
            case=case,
            anchor=decided_on,
            met_on=published_on if published else None,
        )
        if status == S.TO_COMMISSION:
            continue
        # The signed-in lead reviewer leads a share of the reviews (and the newest commissioned).
        if busy:
            bench.busy_review_case = case  # the actions' bench puts an overdue action on it
        reviewer = lead_reviewer if n % 8 == 0 or busy else None
        chair = bench.sign_in["panel_member"] if busy else bench.person(Role.PANEL_MEMBER)
        people = [
            (Appointment.Role.LEAD_REVIEWER, reviewer or bench.person(Role.LEAD_REVIEWER), None),
            (Appointment.Role.REVIEW_CHAIR, chair, None),
        ]
        for kind in ("local_authority", "police", "icb"):
            agency = bench.partners[kind]
            members = bench.contributors.get(agency) or bench.users[Role.PANEL_MEMBER]
            people.append((Appointment.Role.CRP_MEMBER, bench.rng.choice(members), agency))
        for role, user_id, agency in people:
            appointments.append(
                {
                    "id": bench.next_id(Appointment),
                    "review_id": lid,
                    "user_id": user_id,
                    "role": role,
                    "agency_id": agency,
                    "appointed_by_id": case.lead_id,
                    "appointed_at": bench.at(told),
                }
            )
            bench.add_team(case, user_id, CaseTeamMember.Role(role))
        terms.append(
            {
                "id": bench.next_id(TermsOfReference),
                "review_id": lid,
                "scope": "The 18 months before the incident, and the agencies involved.",
                "period_from": case.incident_date - timedelta(days=540),
                "period_to": case.incident_date,
                "key_lines_of_enquiry": KLOES,
                "method": TermsOfReference.Method.SILP,
                "family_involvement": "The family will be invited to contribute.",
                "timescale": "Six months from the decision.",
                "governance": "Reports to the Case Review Group.",
                "version": 2,
                "agreed_version": 2,
                "agreed_on": told + timedelta(days=14),
                "agreed_by_id": case.lead_id,
                "agreed_with": "The Lead Reviewer",
                "updated_by_id": case.lead_id,
                "updated_at": bench.at(told + timedelta(days=10)),
            }
        )
        # Progress checks every 8 weeks (D12) until publication, the last one open if still
        # running.
        end = published_on if published else bench.today
        anchor = decided_on
        while True:
            due = anchor + timedelta(weeks=8)
            if due > end:
                bench.clock(
                    kind=Kind.PROGRESS_CHECK,
                    model=LocalReview if anchor == decided_on else ProgressCheck,
                    object_id=lid if anchor == decided_on else checks[-1]["id"],
                    case=case,
                    anchor=anchor,
                    status="cancelled" if published else None,
                )
                break
            check_id = bench.next_id(ProgressCheck)
            bench.clock(
                kind=Kind.PROGRESS_CHECK,
                model=LocalReview if anchor == decided_on else ProgressCheck,
                object_id=lid if anchor == decided_on else checks[-1]["id"],
                case=case,
                anchor=anchor,
                met_on=due,
            )
            checks.append(
                {
                    "id": check_id,
                    "review_id": lid,
                    "checked_on": due,
                    "timeliness": "On track for publication within 6 months.",
                    "quality": "Agency contributions complete and analytical.",
                    "checked_by_id": case.lead_id,
                }
            )
            # Before each check the partnership asked the reviewer for something in writing
            # (reg. 14), answered within days.
            requests.append(
                _reviewer_request(case, lid, due - timedelta(days=14), due - timedelta(days=6))
            )
            anchor = due
        if status in LocalReview.ACTIVE and status != S.TO_COMMISSION:
            # A review under way has a request waiting: some overdue, some not yet due.
            asked = max(decided_on, bench.today - timedelta(days=n % 20))
            requests.append(_reviewer_request(case, lid, asked, None))
        if (bench.today - decided_on).days > 100:
            _drafts(bench, drafts, case, lid, decided_on, people)
        if status in (S.APPROVED, S.PUBLISHED):
            for offset, step_ in enumerate(Approval.Step):
                approvals.append(
                    {
                        "id": bench.next_id(Approval),
                        "review_id": lid,
                        "step": step_,
                        "approved_on": decided_on + timedelta(days=140 + 7 * offset),
                        "present": "Recorded at the meeting.",
                        "recorded_by_id": case.lead_id,
                        "recorded_at": bench.at(decided_on + timedelta(days=140 + 7 * offset)),
                    }
                )
        if published:
            learning.add(case, lid, published_on)
            bench.clock(
                kind=Kind.PRE_PUBLICATION_COPY,
                model=LocalReview,
                object_id=lid,
                case=case,
                anchor=published_on,
                met_on=published_on - timedelta(days=10),
            )
            bench.clock(
                kind=Kind.KEEP_PUBLISHED,
                model=LocalReview,
                object_id=lid,
                case=case,
                anchor=published_on,
            )
    bench.writer.write(
        LocalReview,
        reviews,
        history=lambda r: (r["started_at"], "+", r["started_by_id"]),
    )
    bench.writer.write(
        Appointment, appointments, history=lambda r: (r["appointed_at"], "+", r["appointed_by_id"])
    )
    bench.writer.write(TermsOfReference, terms)
    bench.writer.write(ProgressCheck, checks)
    bench.writer.write(
        ReviewerRequest, [{"id": bench.next_id(ReviewerRequest), **r} for r in requests]
    )
    bench.writer.write(Approval, approvals)
    learning.write()
    bench.writer.write(ReportDraft, drafts["drafts"])
    bench.writer.write(DraftCirculation, drafts["circulations"])
    bench.writer.write(FactualAccuracyComment, drafts["comments"])


THEMES = [
    "Information sharing",
    "Hearing the child's voice",
    "Neglect",
    "Domestic abuse",
    "Escalation",
    "Professional curiosity",
    "Safe sleep",
    "Adolescent risk",
]


class Learning:
    """A published review's learning: three recommendations, each with three SMART actions
    (through the core's `Actions`, so they are chased and reported as every action is), the
    action plan signed off by the Case Review Group and the Executive, two or three themes from
    the admin list, and its learning briefing."""

    def __init__(self, bench):
        self.bench = bench
        self.actions = Actions(bench)
        self.recommendations, self.tags, self.briefings, self.approvals = [], [], [], []
        self.themes = [
            {"id": bench.next_id(LearningTheme), "name": name, "description": "", "active": True}
            for name in THEMES
        ]
        self.recommendation_ct = bench.ct(Recommendation)

    def add(self, case, lid, published_on):
        bench, made = self.bench, len(self.recommendations)
        for number in (1, 2, 3):
            rid = bench.next_id(Recommendation)
            self.recommendations.append(
                {
                    "id": rid,
                    "review_id": lid,
                    "number": number,
                    "text": "Agencies should share concerns about neglect with the school.",
                    "added_by_id": case.lead_id,
                    "added_at": bench.at(published_on - timedelta(days=30)),
                }
            )
            for _ in range(3):
                self.actions.make(
                    n=len(self.actions.actions),
                    case=case,
                    set_on=published_on - timedelta(days=20),
                    source=Action.Source.RECOMMENDATION,
                    label=f"Recommendation {number}",
                    source_type=self.recommendation_ct,
                    source_id=rid,
                )
        for offset, step in enumerate((Approval.Step.CRG, Approval.Step.EXECUTIVE)):
            self.approvals.append(
                {
                    "id": bench.next_id(Approval),
                    "review_id": lid,
                    "subject": Approval.Subject.ACTION_PLAN,
                    "step": step,
                    "approved_on": published_on - timedelta(days=10 - 5 * offset),
                    "present": "Recorded at the meeting.",
                    "recorded_by_id": case.lead_id,
                    "recorded_at": bench.at(published_on - timedelta(days=10 - 5 * offset)),
                }
            )
        for k in range(2 + made % 2):
            self.tags.append(
                {
                    "id": bench.next_id(ReviewTheme),
                    "review_id": lid,
                    "theme_id": self.themes[(made + k * 3) % len(self.themes)]["id"],
                    "tagged_by_id": case.lead_id,
                    "tagged_at": bench.at(published_on),
                }
            )
        self.briefings.append(
            {
                "id": bench.next_id(LearningBriefing),
                "review_id": lid,
                "summary": f"{case.pseudonym} was seriously harmed at home at the age of two.",
                "key_learning": "Concerns were not shared.\nThe child was not seen alone.",
                "questions": "Who would you tell?\nHow do you hear the child's voice?",
                "version": 1,
                "updated_by_id": case.lead_id,
                "updated_at": bench.at(published_on),
            }
        )

    def write(self):
        writer = self.bench.writer
        writer.write(LearningTheme, self.themes)
        writer.write(Recommendation, self.recommendations)
        writer.write(Approval, self.approvals)
        writer.write(ReviewTheme, self.tags)
        writer.write(
            LearningBriefing,
            self.briefings,
            history=lambda r: (r["updated_at"], "+", r["updated_by_id"]),
        )
        self.actions.write()


def _drafts(bench, out, case, lid, decided_on, people):
    """Two versions of the report: the first circulated to the Case Review Panel's agencies
    for factual accuracy (D14 met), two comments from each agency with the Lead Reviewer's
    responses; the second, the final draft, not circulated."""
    lead = people[0][1]
    for number in (1, 2):
        did = bench.next_id(ReportDraft)
        uploaded = decided_on + timedelta(days=80 + 15 * number)
        circulated = uploaded + timedelta(days=1) if number == 1 else None
        due = bench.calendar.add_working_days(circulated, 10) if circulated else None
        out["drafts"].append(
            {
                "id": did,
                "review_id": lid,
                "number": number,
                "file": f"drafts/bench/{did}.pdf",
                "original_name": f"{case.reference} report v{number}.pdf",
                "content_type": "application/pdf",
                "size": 250_000,
                "sha256": f"{did:064x}",
                "note": "Factual-accuracy changes made." if number == 2 else "",
                "uploaded_by_id": lead,
                "uploaded_at": bench.at(uploaded),
                "circulated_on": circulated,
                "circulated_by_id": lead if circulated else None,
                "comments_due_on": due,
                "comments_closed_on": due - timedelta(days=2) if due else None,
                "closed_by_id": lead if due else None,
            }
        )
        if circulated is None:
            continue
        bench.clock(
            kind=Kind.FACTUAL_ACCURACY,
            model=ReportDraft,
            object_id=did,
            case=case,
            anchor=circulated,
            due=due,
            met_on=due - timedelta(days=2),
        )
        for role, member, agency in people:
            if role != Appointment.Role.CRP_MEMBER:
                continue
            out["circulations"].append(
                {
                    "id": bench.next_id(DraftCirculation),
                    "draft_id": did,
                    "agency_id": agency,
                    "finished_on": due - timedelta(days=2),
                    "finished_by_id": member,
                }
            )
            for n in (1, 2):
                out["comments"].append(
                    {
                        "id": bench.next_id(FactualAccuracyComment),
                        "draft_id": did,
                        "agency_id": agency,
                        "where": f"Section {n + 2}",
                        "comment": "The strategy discussion was on the 3rd, not the 4th.",
                        "made_by_id": member,
                        "made_at": bench.at(circulated + timedelta(days=n)),
                        "outcome": FactualAccuracyComment.Outcome.CHANGED,
                        "response": "Corrected in version 2.",
                        "responded_by_id": lead,
                        "responded_at": bench.at(due),
                    }
                )


def _busy_review(context):
    """The signed-in lead reviewer's longest-running commissioned review (with its drafts)."""
    return (
        LocalReview.objects.filter(
            status=S.COMMISSIONED,
            appointments__user=context.people["lead_reviewer"],
            appointments__removed_at__isnull=True,
        )
        .select_related("case")
        .order_by("decided_on", "id")
        .first()
    )


def pages(context):
    """The local review pages: a commissioned review as its Lead Reviewer and as the PDEO, and
    the case list of local reviews (reviews to commission is rapid_reviews' page)."""
    review = _busy_review(context)
    listed = [
        {"name": "local reviews (case list)", "as": "pdeo", "path": "/cases/?stage=local_review"},
        {"name": "learning themes", "as": "business_manager", "path": "/learning-themes/"},
    ]
    published = _published_review()
    if published is not None:
        plan = f"/cases/{published.case.reference}/local-review/action-plan/"
        listed.append({"name": "an action plan (PDEO)", "as": "pdeo", "path": plan})
    if review is None:
        return listed
    path = f"/cases/{review.case.reference}/local-review/"
    pages = [
        *listed,
        {"name": "local review (lead reviewer)", "as": "lead_reviewer", "path": path},
        {"name": "local review (PDEO)", "as": "pdeo", "path": path},
    ]
    draft = review.drafts.filter(circulated_on__isnull=False).first()
    if draft is not None:
        pages.append(
            {
                "name": "a draft and its comments (lead reviewer)",
                "as": "lead_reviewer",
                "path": f"{path}drafts/{draft.pk}/",
            }
        )
    return pages


def _published_review():
    """The latest published review (with its action plan and briefing)."""
    return (
        LocalReview.objects.filter(status=S.PUBLISHED)
        .select_related("case")
        .order_by("-published_on", "-id")
        .first()
    )


def files(context):
    """The PDEO's pack for the Case Review Panel and a learning briefing, built directly."""
    jobs = {}
    pdeo = context.people["pdeo"]
    review = _busy_review(context)
    if review is not None:
        params = {"reference": review.case.reference}
        jobs["Case Review Panel pack"] = lambda: PACK.build(review.case, params, pdeo, _noop)
    published = _published_review()
    if published is not None:
        case = published.case
        params = {"reference": case.reference}
        jobs["learning briefing PDF"] = lambda: BRIEFING.build(case, params, pdeo, _noop)
    return jobs


def _noop(*args, **kwargs):
    pass
