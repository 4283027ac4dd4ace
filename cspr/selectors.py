"""Reads about local reviews that depend on who is asking: each starts from the case gate."""

from collections import defaultdict
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from rapid_reviews.models import RapidReview
from rapid_reviews.selectors import rapid_review_on
from safeguarding.accounts.models import Agency
from safeguarding.accounts.roles import (
    APPROVE_FINAL_REPORT,
    COMMISSION_LOCAL_REVIEW,
    PARTNERSHIP_WIDE_ROLES,
    REVISE_DECISION,
    SIGN_OFF_RAPID_REVIEW,
)
from safeguarding.actions.models import Action
from safeguarding.cases.models import Case, on_readable_cases
from safeguarding.cases.panels import NextStep
from safeguarding.contributions.models import InformationRequest
from safeguarding.deadlines import recipients
from safeguarding.deadlines import selectors as deadline_selectors
from safeguarding.deadlines import services as deadline_services
from safeguarding.deadlines.rules import Kind
from safeguarding.history import history_of
from safeguarding.paths import path_for

from . import services
from .models import (
    Appointment,
    Approval,
    DraftCirculation,
    EventPractitioner,
    FactualAccuracyComment,
    FamilyEngagement,
    LearningBriefing,
    LearningEvent,
    LearningTheme,
    LocalReview,
    NoLocalReview,
    Recommendation,
    ReportDraft,
    ReviewerRequest,
    ReviewTheme,
    RevisedDecision,
    TermsOfReference,
)

# The local review's own clocks, shown on its pages and the case page.
REVIEW_CLOCKS = [
    Kind.NOTIFY_LCSPR_DECISION,
    Kind.LCSPR_PUBLISHED,
    Kind.PROGRESS_CHECK,
    Kind.PRE_PUBLICATION_COPY,
    Kind.KEEP_PUBLISHED,
    Kind.PUBLICATION_REASONS,
    Kind.FACTUAL_ACCURACY,
]


def review_for(case):
    review = LocalReview.objects.filter(case=case).select_related("case", "rapid_review").first()
    if review is None:
        raise Http404("This case has no local review")
    return review


def no_review_for(case):
    record = NoLocalReview.objects.filter(case=case, superseded=False).first()
    if record is None:
        raise Http404("This case has no decision against a local review")
    return record


def appointments(review, *, current=True):
    rows = Appointment.objects.filter(review=review).select_related(
        "user", "agency", "appointed_by", "removed_by"
    )
    return rows.filter(removed_at__isnull=True) if current else rows


def appointment_for(review, pk):
    appointment = Appointment.objects.filter(review=review, pk=pk).select_related("review").first()
    if appointment is None:
        raise Http404("No such appointment on this review")
    return appointment


def missing_agencies(review, current):
    """Involved agencies with no Case Review Panel member yet."""
    have = {a.agency_id for a in current if a.role == Appointment.Role.CRP_MEMBER}
    return [a for a in review.case.agencies_involved.order_by("name") if a.pk not in have]


def to_commission(user):
    """Local reviews decided and not yet commissioned, on cases the person may read, oldest
    decision first, with their key lines of enquiry: what a row of the page shows, not the
    decision's reasons, the media plan or the case's outline."""
    shown = ("case", "decided_on", "key_lines_of_enquiry", "case__reference", "case__pseudonym")
    return (
        LocalReview.objects.filter(on_readable_cases(user), status=LocalReview.Status.TO_COMMISSION)
        .select_related("case")
        .only(*shown)
        .order_by("decided_on", "id")
    )


def clocks(review):
    """The review's clocks (D12 belongs to the last check, D11 to each delay): one query."""
    return deadline_selectors.clocks_on_case(review.case, REVIEW_CLOCKS)


def case_panel(request, case):
    """The local review (or the decision against one) on the case page: three queries."""
    review = LocalReview.objects.filter(case=case).first()
    if review is None:
        record = NoLocalReview.objects.filter(case=case, superseded=False).first()
        if record is None:
            return None
        return {"review": None, "record": record, "asked": list(record.asked.all())}
    return {
        "review": review,
        "record": None,
        "clocks": clocks(review),
        "team": list(appointments(review)),
    }


def next_steps(request, case):
    """What to do next on the local review (or the decision about one), for this person."""
    user = request.user
    ref = {"reference": case.reference}
    steps = []
    rapid = rapid_review_on(case)
    if rapid is not None and rapid.reply_outcome == RapidReview.ReplyOutcome.CHALLENGES:
        waiting = RevisedDecision.objects.filter(
            rapid_review=rapid, status=RevisedDecision.Status.AWAITING_SIGN_OFF
        ).first()
        if waiting is None and user.has_perm(REVISE_DECISION):
            steps.append(
                NextStep(
                    "Record a revised decision after the national Panel's challenge",
                    reverse("cspr:revise", kwargs=ref),
                )
            )
        elif waiting is not None and user.has_perm(SIGN_OFF_RAPID_REVIEW):
            if not services.revised_sign_off_refusal(waiting, user):
                steps.append(
                    NextStep(
                        "Sign the revised decision", reverse("cspr:revised_sign_off", kwargs=ref)
                    )
                )
    if not user.has_perm(COMMISSION_LOCAL_REVIEW):
        return steps
    review = LocalReview.objects.filter(case=case).first()
    if review is None:
        return steps
    if review.status == LocalReview.Status.TO_COMMISSION:
        steps.append(NextStep("Commission the local review", reverse("cspr:team", kwargs=ref)))
    if review.is_active and review.national_panel_told_on is None:
        steps.append(
            NextStep(
                "Record telling the national Panel, Ofsted and DfE of the review",
                reverse("cspr:told", kwargs=ref),
            )
        )
    return steps


def review_link(deadline):
    return path_for("cspr:detail", deadline.case.reference)


def told_link(deadline):
    return path_for("cspr:told", deadline.case.reference)


def review_history(case):
    return history_of(LocalReview).filter(case_id=case.id)


def appointment_history(case):
    return history_of(Appointment).filter(review__case_id=case.id)


candidates = services.candidates


def current_roles(review):
    return set(services.current_appointments(review).values_list("role", flat=True))


def rapid_review_for(case):
    rapid = RapidReview.objects.filter(case=case).select_related("case").first()
    if rapid is None:
        raise Http404("This case has no rapid review")
    return rapid


def revision_for(rapid):
    """The revised decision waiting for sign-off, else the latest (404 when none)."""
    revisions = RevisedDecision.objects.filter(rapid_review=rapid).order_by("-recorded_at", "-id")
    revision = revisions.filter(status=RevisedDecision.Status.AWAITING_SIGN_OFF).first()
    revision = revision or revisions.first()
    if revision is None:
        raise Http404("No revised decision")
    return revision


def revised_sign_offs(revision):
    signed = {s.partner: s for s in revision.sign_offs.all()}
    return [
        (kind, Agency.Kind(kind).label, signed.get(kind))
        for kind in Agency.SAFEGUARDING_PARTNER_KINDS
    ]


def terms(review):
    return TermsOfReference.objects.filter(review=review).select_related("agreed_by").first()


def terms_versions(terms):
    """Every saved version, newest first (the change history)."""
    if terms is None:
        return []
    return list(
        history_of(TermsOfReference)
        .filter(id=terms.id, version__gte=1)  # 0: the empty row the first save starts from
        .order_by("-version", "-history_date")
        .select_related("updated_by")
    )


def national_updates(review):
    return list(review.national_updates.select_related("recorded_by"))


def awaiting_final_approval(user):
    """Reports the Case Review Group has approved, waiting for the Executive: for those who
    give final approval, whether or not they are on the case's team (reference and pseudonym
    only; a declared conflict of interest takes the case out)."""
    if not user.has_perm(APPROVE_FINAL_REPORT):
        return LocalReview.objects.none()
    return (
        LocalReview.objects.filter(status=LocalReview.Status.CRG_APPROVED)
        .exclude(case__conflicts__user=user)
        .select_related("case")
        .order_by("decided_on", "id")
    )


def final_approval_review(user, review_id):
    review = awaiting_final_approval(user).filter(pk=review_id).first()
    if review is None:
        raise Http404("No report waiting for your approval")
    return review


def progress_link(deadline):
    return path_for("cspr:progress", deadline.case.reference)


def report_sent_link(deadline):
    return path_for("cspr:report_sent", deadline.case.reference)


def publication_delay_link(deadline):
    return path_for("cspr:publication_delay", deadline.case.reference)


# --- The review's task list: its stages, each with a status and its clock ---

NOT_STARTED, IN_PROGRESS, COMPLETED, CANNOT_START = (
    ("not_started", "Not yet started", "govuk-tag--blue"),
    ("in_progress", "In progress", "govuk-tag--light-blue"),
    ("completed", "Completed", ""),
    ("cannot_start", "Cannot start yet", "govuk-tag--grey"),
)


def _latest(rows_by_kind, kind):
    """The clock of a kind to show: the one still waited for, else the last."""
    found = rows_by_kind.get(kind, [])
    unmet = [r for r in found if r.deadline.met_on is None]
    return (unmet or found or [None])[-1]


def _drafts_status(by_kind):
    """From the D14 clocks: none yet, comments open on a draft, or every round closed."""
    rows = by_kind.get(Kind.FACTUAL_ACCURACY, [])
    if not rows:
        return NOT_STARTED
    return IN_PROGRESS if any(r.deadline.met_on is None for r in rows) else COMPLETED


def plan_state(review):
    """(how many recommendations, the action plan's sign-off steps recorded): two queries."""
    return (
        review.recommendations.count(),
        set(
            review.approvals.filter(subject=Approval.Subject.ACTION_PLAN).values_list(
                "step", flat=True
            )
        ),
    )


def task_list(review, clock_rows, team, terms, request_counts, plan=(0, set())):
    """[(title, url name, status, clock row or None, hint)] for each stage, from what the page
    has already read (no query of its own)."""
    by_kind = {}
    for row in clock_rows:
        by_kind.setdefault(row.deadline.kind, []).append(row)
    S = LocalReview.Status
    roles = {a.role for a in team}
    order = [S.COMMISSIONED, S.CRP_AGREED, S.CRG_APPROVED, S.APPROVED, S.PUBLISHED]
    status = S.PUBLISHED if review.status == S.CLOSED else review.status  # closed: published
    reached = order.index(status) + 1 if status in order else 0
    commissioned = {Appointment.Role.LEAD_REVIEWER, Appointment.Role.REVIEW_CHAIR} <= roles
    sent, accepted = request_counts
    tasks = [
        (
            "Commission the review",
            "cspr:team",
            COMPLETED if commissioned else (IN_PROGRESS if team else NOT_STARTED),
            None,
            "Lead Reviewer, Chair of the review and a Case Review Panel member per agency",
        ),
        (
            "Tell the national Panel, Ofsted and DfE",
            "cspr:told",
            COMPLETED if review.national_panel_told_on else NOT_STARTED,
            _latest(by_kind, Kind.NOTIFY_LCSPR_DECISION),
            "With the reviewer's name",
        ),
        (
            "Agree the terms of reference",
            "cspr:terms",
            COMPLETED
            if terms and terms.is_agreed
            else (IN_PROGRESS if terms and terms.version else NOT_STARTED),
            None,
            services.terms_warning(review, terms) or "Agreed by the Chair with the Lead Reviewer",
        ),
        (
            "Gather information from agencies",
            "requests:send",
            (COMPLETED if sent and sent == accepted else IN_PROGRESS) if sent else NOT_STARTED,
            None,
            f"{accepted} of {sent} requests accepted" if sent else "Requests and chronologies",
        ),
        (
            "Check progress every 8 weeks",
            "cspr:progress",
            IN_PROGRESS if reached < 5 else COMPLETED,
            _latest(by_kind, Kind.PROGRESS_CHECK),
            "Timeliness and quality (regulation 14)",
        ),
        (
            "Share drafts for factual accuracy",
            "cspr:drafts",
            _drafts_status(by_kind),
            _latest(by_kind, Kind.FACTUAL_ACCURACY),
            "Each version circulated to the Case Review Panel; the Lead Reviewer responds",
        ),
        (
            "Approve the final report",
            "cspr:approval",
            COMPLETED
            if reached >= 4
            else (IN_PROGRESS if reached >= 2 else CANNOT_START)
            if commissioned
            else CANNOT_START,
            None,
            "Case Review Panel, Case Review Group, then the Executive",
        ),
        (
            "Publish the report",
            "cspr:publish" if reached >= 4 else "cspr:plan_publication",
            COMPLETED
            if reached == 5
            else (IN_PROGRESS if review.planned_publication_on else NOT_STARTED),
            _latest(by_kind, Kind.LCSPR_PUBLISHED),
            "Within 6 months of the decision; the final report sent 7 working days before",
        ),
        (
            "Agree the action plan",
            "cspr:action_plan",
            COMPLETED
            if Approval.Step.EXECUTIVE in plan[1]
            else (IN_PROGRESS if plan[0] else NOT_STARTED),
            None,
            "Recommendations with SMART actions, signed off by the Case Review Group and the "
            "Executive",
        ),
    ]
    return tasks


def request_counts(case):
    """(sent, accepted) requests for the local review: one query."""
    counts = (
        InformationRequest.objects.filter(
            case=case, purpose=InformationRequest.Purpose.LOCAL_REVIEW
        )
        .exclude(status=InformationRequest.Status.WITHDRAWN)
        .aggregate(
            sent=Count("id"),
            accepted=Count("id", filter=Q(status=InformationRequest.Status.ACCEPTED)),
        )
    )
    return counts["sent"], counts["accepted"]


def in_progress(reviews):
    """Reviews in progress, for the home page's lists: what an item shows (the case, the
    status) and not the decision's reasons, the media plan and the case's outline, free text
    about the child that a list would read for nothing."""
    return (
        reviews.filter(status__in=LocalReview.ACTIVE)
        .select_related("case")
        .only("case", "status", "decided_on", "case__reference", "case__pseudonym")
        .order_by("decided_on")
    )


def reviews_led_by(user, *, chair=False):
    """Reviews the person is a current Lead Reviewer of (or Chair, with `chair`)."""
    roles = [Appointment.Role.LEAD_REVIEWER] + ([Appointment.Role.REVIEW_CHAIR] if chair else [])
    return LocalReview.objects.filter(
        on_readable_cases(user),
        appointments__user=user,
        appointments__role__in=roles,
        appointments__removed_at__isnull=True,
    ).distinct()


# --- Drafts of the report and factual accuracy (D14) ---


def sees_every_agency(review, user):
    """The partnership team, the PDEO and the review's Lead Reviewer and Chair see every
    agency's comments; anyone else (a Case Review Panel member) sees their own agency's."""
    return bool(user.role_names & PARTNERSHIP_WIDE_ROLES) or services.may_work_on(review, user)


def comments_in_scope(review, user, rows):
    """The comments this person may see: every agency's, or their own agency's only."""
    if sees_every_agency(review, user):
        return rows
    return rows.filter(agency_id=user.agency_id) if user.agency_id else rows.none()


def drafts(review):
    return list(
        review.drafts.select_related("uploaded_by", "circulated_by").annotate(
            comment_count=Count("comments", distinct=True),
            unanswered=Count(
                "comments", filter=Q(comments__responded_at__isnull=True), distinct=True
            ),
        )
    )


def draft_for(review, pk):
    draft = (
        ReportDraft.objects.filter(review=review, pk=pk)
        .select_related("review__case", "uploaded_by", "circulated_by", "closed_by")
        .first()
    )
    if draft is None:
        raise Http404("No such draft on this review")
    return draft


def circulation(draft):
    return list(draft.circulated_to.select_related("agency", "finished_by"))


def comments(draft, user):
    rows = draft.comments.select_related("agency", "made_by", "responded_by")
    return list(comments_in_scope(draft.review, user, rows))


def agency_on_draft(draft, user, agency_id):
    """An agency the draft was circulated to, as this person may see it: their own, or any for
    the review's leads and the partnership team (another agency's: a 404)."""
    row = draft.circulated_to.filter(agency_id=agency_id).select_related("agency").first()
    if row is None:
        raise Http404("The draft was not circulated to this agency")
    if not sees_every_agency(draft.review, user) and user.agency_id != row.agency_id:
        raise Http404("Another agency's comments")
    return row


def comment_for(draft, user, pk):
    rows = FactualAccuracyComment.objects.filter(draft=draft, pk=pk).select_related(
        "agency", "draft__review__case"
    )
    comment = comments_in_scope(draft.review, user, rows).first()
    if comment is None:
        raise Http404("No such comment")
    return comment


def draft_clock(draft):
    """D14 on this draft (None before it is circulated)."""
    return deadline_services.deadline_for(kind=Kind.FACTUAL_ACCURACY, obj=draft)


def draft_link(deadline):
    return path_for("cspr:draft", deadline.case.reference, deadline.object_id)


def _unfinished_agencies(deadlines):
    """{deadline id: agency ids still to finish commenting} (one query)."""
    by_draft = defaultdict(set)
    for draft_id, agency_id in DraftCirculation.objects.filter(
        draft_id__in={d.object_id for d in deadlines}, finished_on__isnull=True
    ).values_list("draft_id", "agency_id"):
        by_draft[draft_id].add(agency_id)
    return {d.id: by_draft[d.object_id] for d in deadlines}


def factual_accuracy_owners(deadlines):
    """D14 reminders go to the Case Review Panel members of the agencies that have not finished
    commenting (two queries for the batch); with none (every member removed), the Lead
    Reviewer and the Chair of the review, who may close the comments."""
    unfinished = _unfinished_agencies(deadlines)
    members = defaultdict(set)
    for case_id, agency_id, user_id in Appointment.objects.filter(
        review__case_id__in={d.case_id for d in deadlines},
        role=Appointment.Role.CRP_MEMBER,
        removed_at__isnull=True,
        user__is_active=True,
    ).values_list("review__case_id", "agency_id", "user_id"):
        members[(case_id, agency_id)].add(user_id)
    owners = {
        d.id: {u for agency in unfinished[d.id] for u in members[(d.case_id, agency)]}
        for d in deadlines
    }
    nobody = [d for d in deadlines if not owners[d.id]]
    if nobody:
        owners.update(recipients.review_leads(nobody))
    return owners


def factual_accuracy_waits_on(deadlines):
    """D14 waits on the agencies still to comment, by name (one query for any batch)."""
    names = defaultdict(list)
    for draft_id, name in (
        DraftCirculation.objects.filter(
            draft_id__in=recipients.object_ids(deadlines), finished_on__isnull=True
        )
        .order_by("agency__name")
        .values_list("draft_id", "agency__name")
    ):
        names[draft_id].append(name)
    return {
        d.id: (
            ", ".join(names[d.object_id]) + " (Case Review Panel)"
            if names[d.object_id]
            else "The Lead Reviewer (to close the comments)"
        )
        for d in deadlines
    }


# --- Learning events and the family's part ---


def learning_events(review):
    """Every event with its practitioners (two queries)."""
    return list(
        review.learning_events.prefetch_related(
            Prefetch("practitioners", queryset=EventPractitioner.objects.select_related("agency"))
        )
    )


def event_for(review, pk):
    event = LearningEvent.objects.filter(review=review, pk=pk).select_related("review").first()
    if event is None:
        raise Http404("No such learning event on this review")
    return event


def practitioners(event):
    return EventPractitioner.objects.filter(event=event).select_related("agency")


def family_engagement(review):
    return list(review.family_engagement.all())


def family_record_for(review, pk):
    record = FamilyEngagement.objects.filter(review=review, pk=pk).first()
    if record is None:
        raise Http404("No such record on this review")
    return record


# --- Recommendations and the action plan ---


def drafts_of(review):
    """The versions of the review's report, newest first (for the recommendation form)."""
    return ReportDraft.objects.filter(review=review).order_by("-number")


def recommendation_for(review, pk):
    recommendation = Recommendation.objects.filter(review=review, pk=pk).first()
    if recommendation is None:
        raise Http404("No such recommendation on this review")
    recommendation.review = review
    return recommendation


def action_plan(review, today=None):
    """[(recommendation, [(action, overdue)])], in number order, with the plan's progress:
    two queries however many recommendations and actions."""
    today = today or timezone.localdate()
    recommendations = list(
        Recommendation.objects.filter(review=review).select_related("draft").order_by("number")
    )
    actions = (
        Action.objects.filter(
            source_type=ContentType.objects.get_for_model(Recommendation),
            source_id__in=[r.pk for r in recommendations],
        )
        .select_related("case", "owner_agency", "owner")
        .order_by("due_date", "id")
    )
    by_recommendation = {}
    for action in actions:
        by_recommendation.setdefault(action.source_id, []).append(
            (action, action.is_overdue(today))
        )
    plan = [(r, by_recommendation.get(r.pk, [])) for r in recommendations]
    every = [a for _, rows in plan for a, _ in rows]
    progress = {
        "total": len(every),
        "closed": sum(1 for a in every if a.status == Action.Status.CLOSED),
        "carried": sum(1 for a in every if a.status == Action.Status.CARRIED),
        "proposed": sum(1 for a in every if a.status == Action.Status.CLOSURE_PROPOSED),
        "overdue": sum(1 for _, rows in plan for _, late in rows if late),
        "rag": [
            (rag, label, sum(1 for a in every if a.unfinished and a.rag == rag))
            for rag, label in Action.Rag.choices
        ],
    }
    progress["finished"] = progress["closed"] + progress["carried"]
    progress["open"] = progress["total"] - progress["finished"]
    return plan, progress


def approvals(review, subject=Approval.Subject.REPORT):
    return list(review.approvals.filter(subject=subject).select_related("recorded_by"))


def plans_awaiting_executive(user):
    """Action plans the Case Review Group has signed off, waiting for the Executive's: for those
    who give final approval, on or off the case's team (reference and pseudonym only; a
    declared conflict of interest takes the case out)."""
    if not user.has_perm(APPROVE_FINAL_REPORT):
        return LocalReview.objects.none()
    plan = Approval.objects.filter(subject=Approval.Subject.ACTION_PLAN)
    return (
        LocalReview.objects.filter(pk__in=plan.filter(step=Approval.Step.CRG).values("review"))
        .exclude(pk__in=plan.filter(step=Approval.Step.EXECUTIVE).values("review"))
        .exclude(case__conflicts__user=user)
        .select_related("case")
        .order_by("decided_on", "id")
    )


def plan_awaiting_executive(user, review_id):
    review = plans_awaiting_executive(user).filter(pk=review_id).first()
    if review is None:
        raise Http404("No action plan waiting for your sign-off")
    return review


# --- Learning themes and the learning briefing ---


def themes_of(review):
    return [tag.theme for tag in ReviewTheme.objects.filter(review=review).select_related("theme")]


def briefing(review):
    return LearningBriefing.objects.filter(review=review).first()


@dataclass(frozen=True)
class ThemedReview:
    """A review as the learning themes page lists it: reference and pseudonym only."""

    reference: str
    pseudonym: str


def themes_across_reviews(user):
    """Each learning theme with how many reviews are tagged with it (all of them: a count names
    nobody) and which of those reviews the person may see, by reference and pseudonym only;
    most recurrent first. Two queries however many themes and reviews: the tags come as plain
    rows with only what the page shows, whether the person may see each one's case decided in
    the query (a model instance per tag, review and case cost most of the page's time at
    scale, docs/performance.md)."""
    visible = Case.objects.visible_to(user).filter(pk=OuterRef("review__case_id"))
    tags = (
        ReviewTheme.objects.annotate(shown=Exists(visible))
        .order_by("review__decided_on", "review_id")
        .values_list("theme_id", "shown", "review__case__reference", "review__case__pseudonym")
    )
    counts, shown = {}, {}
    for theme_id, is_shown, reference, pseudonym in tags:
        counts[theme_id] = counts.get(theme_id, 0) + 1
        if is_shown:
            shown.setdefault(theme_id, []).append(ThemedReview(reference, pseudonym))
    rows = []
    for theme in LearningTheme.objects.order_by("name"):
        listed = shown.get(theme.pk, [])
        rows.append((theme, counts.get(theme.pk, 0), listed, counts.get(theme.pk, 0) - len(listed)))
    rows = [row for row in rows if row[1] or row[0].active]
    rows.sort(key=lambda row: (-row[1], row[0].name))
    return rows


def reviewer_requests(review):
    return list(review.reviewer_requests.select_related("asked_by"))


def reviewer_request_for(review, pk):
    request = ReviewerRequest.objects.filter(review=review, pk=pk).first()
    if request is None:
        raise Http404("No such request on this review")
    return request


def requests_to_reviewer_on_page(review, today, *, works_on):
    """The review's page: how many requests to the reviewer are overdue, told to everyone who
    may see the review, and the unanswered ones soonest wanted first, each with whether it is
    overdue, for the PDEO and the people working on the review only (`works_on`: the Lead
    Reviewer has no other page that lists them). One query."""
    unanswered = review.reviewer_requests.filter(answered_on__isnull=True).order_by("due_on", "id")
    listed = [(r, r.is_overdue(today)) for r in unanswered]
    return {
        "overdue_requests": sum(overdue for _, overdue in listed),
        "requests_to_reviewer": listed if works_on else [],
    }


def requests_to(user):
    """What a Lead Reviewer has been asked for on the active reviews they lead and has not yet
    answered (reg. 14): their part of "Waiting for you"."""
    return (
        ReviewerRequest.objects.filter(
            answered_on__isnull=True,
            review__status__in=LocalReview.ACTIVE,
            review__in=reviews_led_by(user),
        )
        .select_related("review__case")
        # What a line shows: not the review's reasons and key lines of enquiry, nor the
        # case's outline (free text about the child).
        .only(
            "kind",
            "asked_on",
            "due_on",
            "review",
            "review__case",
            "review__case__reference",
            "review__case__pseudonym",
        )
        .order_by("due_on", "id")
    )


def drafts_awaiting_comments_from(user):
    """Ids of the drafts whose comments wait on this person's agency, which they speak for on
    the review's Case Review Panel (a subquery)."""
    return DraftCirculation.objects.filter(
        finished_on__isnull=True,
        draft__comments_closed_on__isnull=True,
        draft__review__appointments__user=user,
        draft__review__appointments__role=Appointment.Role.CRP_MEMBER,
        draft__review__appointments__removed_at__isnull=True,
        agency_id=F("draft__review__appointments__agency_id"),
    ).values("draft_id")
