from django.core.paginator import Paginator
from django.http import FileResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView

from safeguarding.accounts.access import ServiceView
from safeguarding.accounts.roles import (
    APPROVE_FINAL_REPORT,
    COMMISSION_LOCAL_REVIEW,
    REVISE_DECISION,
    SET_ACTIONS,
    SIGN_OFF_RAPID_REVIEW,
    VIEW_CASE,
    VIEW_REPORTS,
    VIEW_REVIEWS_TO_COMMISSION,
    WORK_ON_LOCAL_REVIEW,
)
from safeguarding.audit.models import AccessLog
from safeguarding.audit.services import record_access
from safeguarding.cases.mixins import CaseMixin, StageRecordMixin
from safeguarding.files.mixins import FileRequestView
from safeguarding.web import AccessLoggedMixin, ServiceActionView, ServiceFormView, open_stored
from safeguarding.workflow import NotAllowed

from . import files, selectors, services
from .forms import (
    AppointForm,
    ApprovalForm,
    AttendanceForm,
    BriefingForm,
    CommentForm,
    DelayForm,
    DraftForm,
    FamilyForm,
    FinalApprovalForm,
    FirstMeetingForm,
    LateReasonForm,
    LearningEventForm,
    NationalUpdateForm,
    PlanPublicationForm,
    PlanSignOffForm,
    PractitionerForm,
    ProgressCheckForm,
    PublicationDelayForm,
    PublishForm,
    RecommendationActionForm,
    RecommendationForm,
    ReportSentForm,
    ResponseForm,
    ReviewerRequestForm,
    RevisedDecisionForm,
    StartForm,
    TellAgenciesForm,
    TermsForm,
    ThemesForm,
    ToldForm,
)
from .models import Appointment, Approval


class ReviewMixin(StageRecordMixin):
    review_for = selectors.review_for
    review_url_name = "cspr:detail"


class StartView(CaseMixin, ServiceFormView):
    """A local review for a case without a rapid review: the decision's date and who took it."""

    permission_required = COMMISSION_LOCAL_REVIEW
    template_name = "cspr/start_form.html"
    form_class = StartForm
    success_message = "Local review started. Its clocks run from the date of the decision."

    def get(self, request, *args, **kwargs):
        if services.start_refusal(self.get_case()) and hasattr(self.get_case(), "local_review"):
            return redirect(reverse("cspr:detail", kwargs={"reference": self.get_case().reference}))
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(refusal=services.start_refusal(self.get_case()), **kwargs)

    def perform(self, form):
        return services.start_local_review(
            case=self.get_case(), user=self.request.user, **form.cleaned_data
        )

    def get_success_url(self):
        return reverse("cspr:detail", kwargs={"reference": self.get_case().reference})


class DetailView(ReviewMixin, TemplateView):
    permission_required = VIEW_CASE
    template_name = "cspr/detail.html"

    def get_context_data(self, **kwargs):
        review = self.get_review()
        team = list(selectors.appointments(review))
        works_on = services.may_work_on(review, self.request.user, team=team)
        clocks = selectors.clocks(review)
        terms = selectors.terms(review)
        tasks = selectors.task_list(
            review,
            clocks,
            team,
            terms,
            selectors.request_counts(review.case),
            selectors.plan_state(review),
        )
        return super().get_context_data(
            clocks=clocks,
            team=team,
            tasks=[
                (title, reverse(url, kwargs={"reference": review.case.reference}), *rest)
                for title, url, *rest in tasks
            ],
            can_commission=self.request.user.has_perm(COMMISSION_LOCAL_REVIEW),
            can_write=self.request.user.has_perm(WORK_ON_LOCAL_REVIEW) and works_on,
            # The terms of reference are for those who work on reviews, not everyone who
            # may see this page (the Business Manager).
            can_read_terms=self.request.user.has_perm(TermsView.permission_required),
            themes=selectors.themes_of(review),
            briefing=selectors.briefing(review),
            **selectors.requests_to_reviewer_on_page(
                review, timezone.localdate(), works_on=works_on
            ),
            **kwargs,
        )


class TeamView(ReviewMixin, ServiceFormView):
    """Commissioning: the Lead Reviewer(s), the Chair of the review and the Case Review Panel,
    one member per involved agency. Each appointment puts the person on the case team."""

    permission_required = COMMISSION_LOCAL_REVIEW
    template_name = "cspr/team.html"
    form_class = AppointForm

    def get_form_kwargs(self):
        people = (
            services.candidates(Appointment.Role.LEAD_REVIEWER)
            | services.candidates(Appointment.Role.REVIEW_CHAIR)
            | services.candidates(Appointment.Role.CRP_MEMBER)
        ).distinct()
        return {**super().get_form_kwargs(), "people": people}

    def get_context_data(self, **kwargs):
        review = self.get_review()
        team = list(selectors.appointments(review))
        return super().get_context_data(
            team=team,
            removed=[a for a in selectors.appointments(review, current=False) if a.removed_at],
            missing=selectors.missing_agencies(review, team),
            **kwargs,
        )

    def perform(self, form):
        return services.appoint(
            review=self.get_review(),
            user=self.request.user,
            person=form.cleaned_data["person"],
            role=form.cleaned_data["role"],
            directly_involved=form.cleaned_data["directly_involved"],
        )

    def get_success_message(self, appointment):
        message = f"{appointment.user.full_name} appointed as {appointment.get_role_display()}"
        if appointment.directly_involved:
            message += (
                ". Warning: they were directly involved with the family; a Case Review Panel "
                "member should ideally have had no direct involvement in the case"
            )
        return message

    def get_success_url(self):
        return reverse("cspr:team", kwargs={"reference": self.get_case().reference})


class RemoveView(ReviewMixin, ServiceActionView):
    permission_required = COMMISSION_LOCAL_REVIEW

    def perform(self):
        appointment = selectors.appointment_for(self.get_review(), self.kwargs["appointment_id"])
        return services.remove(appointment=appointment, user=self.request.user)

    def get_success_message(self, appointment):
        return f"{appointment.user.full_name} removed from the review: they no longer have access"

    def get_success_url(self):
        return reverse("cspr:team", kwargs={"reference": self.get_case().reference})


class ToldView(ReviewMixin, ServiceFormView):
    """D7: the national Panel, Ofsted and DfE told of the review, with the reviewer's name."""

    permission_required = COMMISSION_LOCAL_REVIEW
    template_name = "cspr/told_form.html"
    form_class = ToldForm
    success_message = "Recorded: the national Panel, Ofsted and DfE were told of the review"

    def get_initial(self):
        review = self.get_review()
        names = [
            a.user.full_name
            for a in selectors.appointments(review)
            if a.role == Appointment.Role.LEAD_REVIEWER
        ]
        return {
            "told_on": review.national_panel_told_on,
            "reviewer_named": review.reviewer_named or " and ".join(names),
        }

    def perform(self, form):
        return services.record_national_panel_told(
            review=self.get_review(), user=self.request.user, **form.cleaned_data
        )


class TellAgenciesView(CaseMixin, ServiceFormView):
    """No local review: the agencies asked for a single-agency review or other learning."""

    permission_required = COMMISSION_LOCAL_REVIEW
    template_name = "cspr/tell_agencies.html"
    form_class = TellAgenciesForm

    def get_record(self):
        if not hasattr(self, "_no_review"):
            self._no_review = selectors.no_review_for(self.get_case())
        return self._no_review

    def dispatch(self, request, *args, **kwargs):
        if self.has_permission():
            self.get_record()
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        record = self.get_record()
        return super().get_context_data(
            record=record, asked=list(record.asked.select_related("agency")), **kwargs
        )

    def perform(self, form):
        return services.tell_agencies(
            record=self.get_record(), user=self.request.user, **form.cleaned_data
        )

    def get_success_message(self, made):
        return f"Recorded, and {len(made)} agenc{'y' if len(made) == 1 else 'ies'} told"

    def get_success_url(self):
        return self.case_url() + "?section=local-review"


class ToCommissionView(ServiceView, TemplateView):
    permission_required = VIEW_REVIEWS_TO_COMMISSION
    template_name = "cspr/to_commission.html"

    # Paged: at ten years' scale a thousand decided reviews were one 1.6 s page
    # (docs/performance.md).
    paginate_by = 25

    def get_context_data(self, **kwargs):
        reviews = selectors.to_commission(self.request.user)
        page = Paginator(reviews, self.paginate_by).get_page(self.request.GET.get("page"))
        return super().get_context_data(
            page=page,
            reviews=page.object_list,
            can_commission=self.request.user.has_perm(COMMISSION_LOCAL_REVIEW),
            **kwargs,
        )


class ReviseView(CaseMixin, ServiceFormView):
    """After the national Panel challenges the decision: the Chair's revised decision, with
    reasons. It takes effect when the three partners have signed it."""

    permission_required = REVISE_DECISION
    template_name = "cspr/revise_form.html"
    form_class = RevisedDecisionForm
    success_message = "Revised decision recorded. The three partners must now sign it."

    def get_rapid_review(self):
        if not hasattr(self, "_rapid"):
            self._rapid = selectors.rapid_review_for(self.get_case())
        return self._rapid

    def get_context_data(self, **kwargs):
        rapid = self.get_rapid_review()
        return super().get_context_data(
            rapid=rapid, refusal=services.revision_refusal(rapid), **kwargs
        )

    def perform(self, form):
        return services.record_revised_decision(
            rapid_review=self.get_rapid_review(), user=self.request.user, **form.cleaned_data
        )

    def get_success_url(self):
        return reverse("cspr:revised_sign_off", kwargs={"reference": self.get_case().reference})


class RevisedSignOffView(CaseMixin, ServiceActionView, TemplateView):
    permission_required = VIEW_CASE
    http_method_names = ["get", "post"]
    template_name = "cspr/revised_sign_off.html"

    def get_revision(self):
        if not hasattr(self, "_revision"):
            self._revision = selectors.revision_for(selectors.rapid_review_for(self.get_case()))
        return self._revision

    def get_context_data(self, **kwargs):
        revision = self.get_revision()
        user = self.request.user
        can_sign = user.has_perm(SIGN_OFF_RAPID_REVIEW) and not services.revised_sign_off_refusal(
            revision, user
        )
        return super().get_context_data(
            revision=revision,
            partners=selectors.revised_sign_offs(revision),
            can_sign=can_sign,
            **kwargs,
        )

    def perform(self):
        return services.sign_revised_decision(revision=self.get_revision(), user=self.request.user)

    def get_success_message(self, revision):
        if revision.status == revision.Status.IN_EFFECT:
            return "Signed. All three partners have signed: the revised decision is in effect"
        return f"Signed for {self.request.user.agency}"

    def get_success_url(self):
        return reverse("cspr:revised_sign_off", kwargs={"reference": self.get_case().reference})


class NationalReviewView(ReviewMixin, ServiceFormView):
    permission_required = COMMISSION_LOCAL_REVIEW
    template_name = "cspr/national_review.html"
    form_class = NationalUpdateForm
    success_message = "Recorded"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            updates=selectors.national_updates(self.get_review()), **kwargs
        )

    def perform(self, form):
        return services.record_national_review_update(
            review=self.get_review(), user=self.request.user, **form.cleaned_data
        )

    def get_success_url(self):
        return reverse("cspr:national_review", kwargs={"reference": self.get_case().reference})


class TermsView(ReviewMixin, ServiceFormView):
    """The terms of reference: every save a new version; a stale version is refused, so two
    people editing at once never lose an edit."""

    permission_required = WORK_ON_LOCAL_REVIEW
    template_name = "cspr/terms_form.html"
    form_class = TermsForm
    success_message = "Terms of reference saved as a new version"

    def get_terms(self):
        if not hasattr(self, "_terms"):
            self._terms = selectors.terms(self.get_review())
        return self._terms

    def get_initial(self):
        terms = self.get_terms()
        if terms is None:
            return {"version": 0, **services.terms_initial(self.get_review())}
        fields = [f for f in TermsForm.base_fields if f not in ("version", "agencies")]
        return {
            "version": terms.version,
            "agencies": list(terms.agencies.all()),
            **{f: getattr(terms, f) for f in fields},
        }

    def get_context_data(self, **kwargs):
        terms = self.get_terms()
        return super().get_context_data(
            terms=terms,
            versions=selectors.terms_versions(terms),
            may_edit=services.may_work_on(self.get_review(), self.request.user),
            terms_warning=services.terms_warning(self.get_review(), terms),
            can_commission=self.request.user.has_perm(COMMISSION_LOCAL_REVIEW),
            **kwargs,
        )

    def perform(self, form):
        data = dict(form.cleaned_data)
        version = data.pop("version")
        return services.save_terms(
            review=self.get_review(), user=self.request.user, expected_version=version, **data
        )

    def get_success_url(self):
        return reverse("cspr:terms", kwargs={"reference": self.get_case().reference})


class AgreeTermsView(ReviewMixin, ServiceActionView):
    permission_required = WORK_ON_LOCAL_REVIEW

    def perform(self):
        terms = selectors.terms(self.get_review())
        if terms is None:
            raise NotAllowed("Write the terms of reference first")
        return services.agree_terms(
            terms=terms, user=self.request.user, expected_version=self.request.POST.get("version")
        )

    def get_success_message(self, terms):
        return f"Version {terms.version} of the terms of reference agreed with {terms.agreed_with}"

    def get_success_url(self):
        return reverse("cspr:terms", kwargs={"reference": self.get_case().reference})


class PackView(CaseMixin, FileRequestView):
    """The PDEO's pack for the Case Review Panel, made in the background."""

    permission_required = COMMISSION_LOCAL_REVIEW
    file_kind = files.PANEL_PACK
    heading = "Make the Case Review Panel's pack"

    def dispatch(self, request, *args, **kwargs):
        if self.has_permission():
            selectors.review_for(self.get_case())  # a 404 without a local review
        return super().dispatch(request, *args, **kwargs)

    def get_file_params(self):
        return {"reference": self.get_case().reference}

    def describe_request(self):
        return [
            "The review, its terms of reference and who is on it",
            "Each agency's accepted information and the integrated chronology",
        ]

    def get_back_url(self):
        return reverse("cspr:detail", kwargs={"reference": self.get_case().reference})


# --- Keeping it on time, approval and publication: one form each on the review ---


class ReviewFormView(ReviewMixin, ServiceFormView):
    """A form about the review, with what is recorded so far listed above it."""

    permission_required = COMMISSION_LOCAL_REVIEW
    template_name = "cspr/review_form.html"
    heading = ""
    intro = ""
    submit = "Save"
    url_name = ""

    def recorded(self):
        return []

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            heading=self.heading,
            intro=self.intro,
            submit=self.submit,
            recorded=self.recorded(),
            **kwargs,
        )

    def get_success_url(self):
        return reverse(self.url_name, kwargs={"reference": self.get_case().reference})


class ProgressCheckView(ReviewFormView):
    form_class = ProgressCheckForm
    heading = "Progress checks"
    intro = (
        "The partners check the review's timeliness and quality at least every 8 weeks "
        "(regulation 14). Each check starts the next 8 weeks."
    )
    submit = "Record the check"
    success_message = "Progress check recorded"
    url_name = "cspr:progress"

    def recorded(self):
        return [
            f"{c.checked_on:%-d %B %Y}: timeliness: {c.timeliness} Quality: {c.quality}"
            for c in self.get_review().checks.all()
        ]

    def perform(self, form):
        return services.record_progress_check(
            review=self.get_review(), user=self.request.user, **form.cleaned_data
        )


class ReviewerRequestView(ReviewFormView):
    """Requests to the reviewer, each with the date it is wanted by (10 working days when none
    is given), flagged when overdue and not yet answered."""

    form_class = ReviewerRequestForm
    template_name = "cspr/reviewer_requests.html"
    heading = "Requests to the reviewer"
    intro = "Requests to the reviewer for information or a draft, made in writing (regulation 14)."
    submit = "Record the request"
    success_message = "Request to the reviewer recorded"
    url_name = "cspr:reviewer_requests"

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        return super().get_context_data(
            requests=[
                (r, r.is_overdue(today)) for r in selectors.reviewer_requests(self.get_review())
            ],
            **kwargs,
        )

    def perform(self, form):
        return services.record_reviewer_request(
            review=self.get_review(), user=self.request.user, **form.cleaned_data
        )


class DelayView(ReviewFormView):
    form_class = DelayForm
    heading = "The 6-month deadline is at risk"
    intro = (
        "Record the delay, its reasons and when the national Panel and the Executive were told. "
        "The 6-month deadline itself does not move."
    )
    submit = "Record the delay"
    success_message = "Delay recorded"
    url_name = "cspr:delay"

    def recorded(self):
        return [
            f"Expected {d.expected_on:%-d %B %Y}: {d.reasons}"
            + (f" National Panel told {d.panel_told_on:%-d %B %Y}." if d.panel_told_on else "")
            + (f" Executive told {d.executive_told_on:%-d %B %Y}." if d.executive_told_on else "")
            for d in self.get_review().delays.all()
        ]

    def perform(self, form):
        return services.record_delay(
            review=self.get_review(), user=self.request.user, **form.cleaned_data
        )


def _approvals(review, subject=Approval.Subject.REPORT):
    return [
        f"{services.step_label(subject, a.step)}: {a.approved_on:%-d %B %Y}, recorded by "
        f"{a.recorded_by.full_name}. Present: {a.present}"
        for a in selectors.approvals(review, subject)
    ]


class ApprovalView(ReviewFormView):
    form_class = ApprovalForm
    heading = "Approval of the final report"
    intro = (
        "In order: the Case Review Panel agrees the report, the Case Review Group approves it, "
        "then the Executive gives final approval."
    )
    submit = "Record the approval"
    success_message = "Approval recorded"
    url_name = "cspr:approval"

    def recorded(self):
        return _approvals(self.get_review())

    def perform(self, form):
        return services.record_approval(
            review=self.get_review(), user=self.request.user, **form.cleaned_data
        )


class PlanPublicationView(ReviewFormView):
    form_class = PlanPublicationForm
    heading = "Planned publication date"
    intro = (
        "The final report must reach the national Panel and the Secretary of State at least 7 "
        "working days before it is published."
    )
    submit = "Save the date"
    success_message = "Planned publication date saved"
    url_name = "cspr:detail"

    def get_initial(self):
        return {"planned_on": self.get_review().planned_publication_on}

    def perform(self, form):
        return services.plan_publication(
            review=self.get_review(), user=self.request.user, **form.cleaned_data
        )


class ReportSentView(ReviewFormView):
    form_class = ReportSentForm
    heading = "Final report sent to the national Panel and the Secretary of State"
    submit = "Record as sent"
    success_message = "Recorded as sent"
    url_name = "cspr:detail"

    def get_initial(self):
        return {"sent_on": self.get_review().report_sent_on}

    def perform(self, form):
        return services.record_report_sent(
            review=self.get_review(), user=self.request.user, **form.cleaned_data
        )


class PublishView(ReviewFormView):
    form_class = PublishForm
    heading = "Record publication"
    intro = (
        "Only after the Executive's final approval. The report stays published at least 12 months."
    )
    submit = "Record publication"
    url_name = "cspr:detail"

    def perform(self, form):
        return services.publish(
            review=self.get_review(), user=self.request.user, **form.cleaned_data
        )

    def get_success_message(self, review):
        if services.sent_late(review):
            return (
                "Publication recorded. The report was sent fewer than 7 working days before: "
                "record why."
            )
        return "Publication recorded"

    def get_success_url(self):
        if services.sent_late(self.result):
            return reverse("cspr:late_reason", kwargs={"reference": self.get_case().reference})
        return super().get_success_url()


class LateReasonView(ReviewFormView):
    form_class = LateReasonForm
    heading = "Why the report was sent late"
    submit = "Save the reason"
    success_message = "Reason saved"
    url_name = "cspr:detail"

    def get_initial(self):
        return {"reason": self.get_review().late_sending_reason}

    def perform(self, form):
        return services.record_late_sending_reason(
            review=self.get_review(), user=self.request.user, **form.cleaned_data
        )


class PublicationDelayView(ReviewFormView):
    form_class = PublicationDelayForm
    heading = "Publication delayed or withheld"
    intro = (
        "The reasons go to the national Panel and the Secretary of State when the decision is "
        "taken."
    )
    submit = "Record"
    success_message = "Recorded"
    url_name = "cspr:publication_delay"

    def recorded(self):
        return [
            f"{d.get_kind_display()}, decided {d.decided_on:%-d %B %Y}: {d.reasons}"
            + (f" Reasons sent {d.sent_on:%-d %B %Y}." if d.sent_on else " Reasons not sent yet.")
            for d in self.get_review().publication_delays.all()
        ]

    def perform(self, form):
        return services.record_publication_delay(
            review=self.get_review(), user=self.request.user, **form.cleaned_data
        )


class AwaitingApprovalView(ServiceView, TemplateView):
    """What awaits the Executive's final approval: references and pseudonyms only."""

    permission_required = APPROVE_FINAL_REPORT
    template_name = "cspr/awaiting_approval.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            reviews=list(selectors.awaiting_final_approval(self.request.user)),
            plans=list(selectors.plans_awaiting_executive(self.request.user)),
            **kwargs,
        )


class ExecutiveReviewView(AccessLoggedMixin, ServiceFormView):
    """A page where the Executive decides about one review. Executive members are not on the
    case team: the review is reached through the gate of what waits for them (`review_for`:
    (user, review id) -> the review, or a 404), and the page shows reference and pseudonym."""

    permission_required = APPROVE_FINAL_REPORT
    review_for = None

    def get_review(self):
        if not hasattr(self, "_review"):
            self._review = self.review_for(self.request.user, self.kwargs["review_id"])
        return self._review

    def dispatch(self, request, *args, **kwargs):
        if self.has_permission():
            self.get_review()  # outside the gate: 404, whatever the method
        return super().dispatch(request, *args, **kwargs)

    def access_logged_object(self):
        return self.get_review().case


class FinalApprovalView(ExecutiveReviewView):
    """The Executive's final approval: the approvals so far, and theirs."""

    review_for = staticmethod(selectors.final_approval_review)
    template_name = "cspr/final_approval.html"
    form_class = FinalApprovalForm
    success_message = "Final approval recorded"

    def get_context_data(self, **kwargs):
        review = self.get_review()
        return super().get_context_data(review=review, approvals=_approvals(review), **kwargs)

    def perform(self, form):
        return services.record_approval(
            review=self.get_review(),
            user=self.request.user,
            step=Approval.Step.EXECUTIVE,
            **form.cleaned_data,
        )

    def get_success_url(self):
        return reverse("cspr:awaiting_approval")


# --- Drafts of the report and factual accuracy (D14) ---


class ReviewRecordMixin(ReviewMixin):
    """A page about one record of the review (a draft, a learning event): found once through
    its selector (review, id) -> record, a 404 for another review's; forms return to its page.

    Subclasses name `record_for`, `record_kwarg` (the URL's id), `record_name` (its name in the
    template) and `record_url_name` (its page)."""

    record_for = None
    record_kwarg = ""
    record_name = ""
    record_url_name = ""

    def get_record(self):
        if not hasattr(self, "_review_record"):
            record_id = self.kwargs[self.record_kwarg]
            self._review_record = type(self).record_for(self.get_review(), record_id)
        return self._review_record

    def dispatch(self, request, *args, **kwargs):
        if self.has_permission():
            self.get_record()
        return super().dispatch(request, *args, **kwargs)

    def record_url(self):
        reference, pk = self.get_case().reference, self.get_record().pk
        return reverse(self.record_url_name, kwargs={"reference": reference, self.record_kwarg: pk})

    def back_url(self):
        return self.record_url()

    def get_success_url(self):
        return self.record_url()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**{self.record_name: self.get_record()}, **kwargs)
        context["back_url"] = self.back_url()
        return context


class DraftMixin(ReviewRecordMixin):
    """A page about one draft of the review's report."""

    record_for = selectors.draft_for
    record_kwarg = "draft_id"
    record_name = "draft"
    record_url_name = "cspr:draft"

    def get_draft(self):
        return self.get_record()

    def draft_url(self):
        return self.record_url()


class DraftsView(ReviewMixin, ServiceFormView):
    """The report's drafts, newest first; the Lead Reviewer (or the PDEO) uploads the next."""

    permission_required = VIEW_CASE
    template_name = "cspr/drafts.html"
    form_class = DraftForm

    def get_context_data(self, **kwargs):
        review = self.get_review()
        return super().get_context_data(
            drafts=selectors.drafts(review),
            may_draft=review.is_active and services.may_draft(review, self.request.user),
            **kwargs,
        )

    def perform(self, form):
        return services.upload_draft(
            review=self.get_review(), user=self.request.user, **form.cleaned_data
        )

    def get_success_message(self, draft):
        return (
            f"Version {draft.number} uploaded. Circulate it to the Case Review Panel for comments."
        )

    def get_success_url(self):
        return reverse(
            "cspr:draft",
            kwargs={"reference": self.get_case().reference, "draft_id": self.result.pk},
        )


class DraftView(DraftMixin, TemplateView):
    """One draft: its circulation, and the factual-accuracy comments with the Lead Reviewer's
    responses on one page (a Case Review Panel member sees their own agency's)."""

    permission_required = VIEW_CASE
    template_name = "cspr/draft.html"

    def get_context_data(self, **kwargs):
        draft, review, user = self.get_draft(), self.get_review(), self.request.user
        own = services.crp_agency_of(review, user)
        every = selectors.sees_every_agency(review, user)
        circulated = selectors.circulation(draft)
        may_draft = services.may_draft(review, user)
        return super().get_context_data(
            circulated=[c for c in circulated if every or c.agency_id == user.agency_id],
            comments=selectors.comments(draft, user),
            own_agency=own if own and any(c.agency_id == own.pk for c in circulated) else None,
            may_draft=may_draft,
            circulation_refusal=services.circulation_refusal(draft) if may_draft else None,
            is_lead_reviewer=services.is_lead_reviewer(review, user),
            clock=selectors.draft_clock(draft),
            **kwargs,
        )


class DraftFileView(DraftMixin, View):
    """The draft's file: only through the case gate, each download logged."""

    permission_required = VIEW_CASE
    logs_own_access = True

    def get(self, request, *args, **kwargs):
        draft = self.get_draft()
        handle = open_stored(draft.file)
        record_access(
            request=request,
            obj=draft,
            action=AccessLog.Action.DOWNLOAD,
            description=f"Draft {draft.number} of the report ({draft.review.case.reference})",
        )
        return FileResponse(
            handle,
            content_type=draft.content_type,
            as_attachment=True,
            filename=draft.original_name,
        )


class CirculateView(DraftMixin, ServiceActionView):
    permission_required = WORK_ON_LOCAL_REVIEW

    def perform(self):
        return services.circulate_draft(draft=self.get_draft(), user=self.request.user)

    def get_success_message(self, draft):
        return (
            f"Version {draft.number} circulated to the Case Review Panel: comments are due by "
            f"{draft.comments_due_on:%-d %B %Y}"
        )


class CloseCommentsView(DraftMixin, ServiceActionView):
    permission_required = WORK_ON_LOCAL_REVIEW
    success_message = "Comments closed"

    def perform(self):
        return services.close_comments(draft=self.get_draft(), user=self.request.user)


class AgencyCommentsView(DraftMixin, ServiceFormView):
    """One agency's comments on a draft, and (for its Case Review Panel member, while the
    comments are open) the form to add one. Another agency's page is a 404."""

    permission_required = VIEW_CASE
    template_name = "cspr/agency_comments.html"
    form_class = CommentForm

    def get_circulation(self):
        if not hasattr(self, "_circulation"):
            self._circulation = selectors.agency_on_draft(
                self.get_draft(), self.request.user, self.kwargs["agency_id"]
            )
        return self._circulation

    def dispatch(self, request, *args, **kwargs):
        if self.has_permission():
            self.get_draft()
            self.get_circulation()
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        circulation, draft = self.get_circulation(), self.get_draft()
        speaks = services.crp_agency_of(self.get_review(), self.request.user)
        return super().get_context_data(
            circulation=circulation,
            agency=circulation.agency,
            comments=[
                c
                for c in selectors.comments(draft, self.request.user)
                if c.agency_id == circulation.agency_id
            ],
            may_comment=(
                speaks == circulation.agency and draft.comments_open and not circulation.finished_on
            ),
            **kwargs,
        )

    def perform(self, form):
        return services.add_comment(
            draft=self.get_draft(),
            user=self.request.user,
            agency=self.get_circulation().agency,
            **form.cleaned_data,
        )

    def get_success_message(self, comment):
        return "Comment added"

    def get_success_url(self):
        return self.request.path


class FinishCommentsView(DraftMixin, ServiceActionView):
    permission_required = VIEW_CASE

    def perform(self):
        circulation = selectors.agency_on_draft(
            self.get_draft(), self.request.user, self.kwargs["agency_id"]
        )
        return services.finish_comments(
            draft=self.get_draft(), user=self.request.user, agency=circulation.agency
        )

    def get_success_message(self, circulation):
        return f"{circulation.agency}'s comments are marked complete"


class CommentMixin(DraftMixin):
    def get_comment(self):
        if not hasattr(self, "_comment"):
            self._comment = selectors.comment_for(
                self.get_draft(), self.request.user, self.kwargs["comment_id"]
            )
        return self._comment

    def dispatch(self, request, *args, **kwargs):
        if self.has_permission():
            self.get_draft()
            self.get_comment()
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(comment=self.get_comment(), **kwargs)


class CommentEditView(CommentMixin, ServiceFormView):
    permission_required = VIEW_CASE
    template_name = "cspr/comment_form.html"
    form_class = CommentForm
    success_message = "Comment changed"
    heading = "Change your agency's comment"

    def get_initial(self):
        comment = self.get_comment()
        return {"where": comment.where, "comment": comment.comment}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            heading=self.heading,
            may_withdraw=True,
            refusal=services.comment_refusal(self.get_comment()),
            **kwargs,
        )

    def perform(self, form):
        data = form.cleaned_data
        return services.change_comment(
            comment=self.get_comment(),
            user=self.request.user,
            text=data["comment"],
            where=data["where"],
        )


class CommentWithdrawView(CommentMixin, ServiceActionView):
    """The agency's member withdraws its comment (the service says when it may)."""

    permission_required = VIEW_CASE
    success_message = "Comment withdrawn"

    def perform(self):
        return services.withdraw_comment(comment=self.get_comment(), user=self.request.user)

    def get_success_url(self):
        comment = self.get_comment()
        return reverse(
            "cspr:comments",
            kwargs={
                "reference": self.get_case().reference,
                "draft_id": comment.draft_id,
                "agency_id": comment.agency_id,
            },
        )


class RespondView(CommentMixin, ServiceFormView):
    permission_required = WORK_ON_LOCAL_REVIEW
    template_name = "cspr/comment_form.html"
    form_class = ResponseForm
    success_message = "Response saved"

    def get_initial(self):
        comment = self.get_comment()
        return {"outcome": comment.outcome, "response": comment.response}

    def get_context_data(self, **kwargs):
        return super().get_context_data(heading="Respond to the comment", **kwargs)

    def perform(self, form):
        return services.respond_to_comment(
            comment=self.get_comment(), user=self.request.user, **form.cleaned_data
        )


# --- Learning events and the family's part ---


class LearningEventsView(ReviewMixin, ServiceFormView):
    """The review's practitioner learning events and feedback sessions, and (for the PDEO, the
    Lead Reviewer and the Chair of the review) the form to add one."""

    permission_required = VIEW_CASE
    template_name = "cspr/learning_events.html"
    form_class = LearningEventForm

    def get_context_data(self, **kwargs):
        review = self.get_review()
        return super().get_context_data(
            events=selectors.learning_events(review),
            may_record=review.is_active and services.may_work_on(review, self.request.user),
            **kwargs,
        )

    def perform(self, form):
        return services.record_learning_event(
            review=self.get_review(), user=self.request.user, **form.cleaned_data
        )

    def get_success_message(self, event):
        return f"{event.get_kind_display()} recorded: now add the practitioners invited"

    def get_success_url(self):
        return reverse(
            "cspr:learning_event",
            kwargs={"reference": self.get_case().reference, "event_id": self.result.pk},
        )


class EventMixin(ReviewRecordMixin):
    """A page about one learning event (back to the list of events)."""

    record_for = selectors.event_for
    record_kwarg = "event_id"
    record_name = "event"
    record_url_name = "cspr:learning_event"

    def get_event(self):
        return self.get_record()

    def event_url(self):
        return self.record_url()

    def back_url(self):
        return reverse("cspr:learning_events", kwargs={"reference": self.get_case().reference})


class LearningEventView(EventMixin, ServiceFormView):
    """One event: the practitioners invited from each agency, who attended, the notes; the
    form adds a practitioner invited."""

    permission_required = VIEW_CASE
    template_name = "cspr/learning_event.html"
    form_class = PractitionerForm
    success_message = "Practitioner added"

    def get_context_data(self, **kwargs):
        review = self.get_review()
        return super().get_context_data(
            practitioners=list(selectors.practitioners(self.get_event())),
            may_record=services.may_work_on(review, self.request.user),
            **kwargs,
        )

    def perform(self, form):
        return services.invite_practitioner(
            event=self.get_event(), user=self.request.user, **form.cleaned_data
        )


class AttendanceView(EventMixin, ServiceFormView):
    permission_required = VIEW_CASE
    template_name = "cspr/attendance_form.html"
    form_class = AttendanceForm
    success_message = "Attendance and notes saved"

    def get_form_kwargs(self):
        practitioners = selectors.practitioners(self.get_event())
        return {**super().get_form_kwargs(), "practitioners": practitioners}

    def get_initial(self):
        event = self.get_event()
        return {
            "attended": [p for p in selectors.practitioners(event) if p.attended],
            "notes": event.notes,
        }

    def perform(self, form):
        return services.record_attendance(
            event=self.get_event(), user=self.request.user, **form.cleaned_data
        )


class FamilyView(ReviewMixin, ServiceFormView):
    """The family's part: who was approached (by relationship), how, their answer and their
    contributions."""

    permission_required = VIEW_CASE
    template_name = "cspr/family.html"
    form_class = FamilyForm
    success_message = "Recorded"

    def get_context_data(self, **kwargs):
        review = self.get_review()
        return super().get_context_data(
            records=selectors.family_engagement(review),
            may_record=review.is_active and services.may_work_on(review, self.request.user),
            **kwargs,
        )

    def perform(self, form):
        data = dict(form.cleaned_data)
        data.pop("version", None)
        return services.record_family_engagement(
            review=self.get_review(), user=self.request.user, **data
        )

    def get_success_url(self):
        return reverse("cspr:family", kwargs={"reference": self.get_case().reference})


class FamilyEditView(ReviewMixin, ServiceFormView):
    permission_required = VIEW_CASE
    template_name = "cspr/review_form.html"
    form_class = FamilyForm
    success_message = "Saved"

    def get_record(self):
        if not hasattr(self, "_family_record"):
            self._family_record = selectors.family_record_for(
                self.get_review(), self.kwargs["record_id"]
            )
        return self._family_record

    def dispatch(self, request, *args, **kwargs):
        if self.has_permission():
            self.get_record()
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        record = self.get_record()
        fields = ("version", "relationship", "how", "approached_on", "response", "contributions")
        return {f: getattr(record, f) for f in fields}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(
            heading="The family's part: update the record", submit="Save", **kwargs
        )
        context["back_url"] = self.get_success_url()
        return context

    def perform(self, form):
        data = dict(form.cleaned_data)
        return services.update_family_engagement(
            record=self.get_record(),
            user=self.request.user,
            expected_version=data.pop("version"),
            **data,
        )

    def get_success_url(self):
        return reverse("cspr:family", kwargs={"reference": self.get_case().reference})


# --- Recommendations and the action plan ---

PLAN = Approval.Subject.ACTION_PLAN


class ActionPlanMixin(ReviewMixin):
    """A form about the action plan: back to the plan, and to the plan when saved."""

    review_url_name = "cspr:action_plan"


class ActionPlanView(ReviewMixin, TemplateView):
    """The review's action plan: each recommendation with its SMART actions, their RAG status
    and progress, and the plan's sign-off by the Case Review Group and the Executive."""

    permission_required = VIEW_CASE
    template_name = "cspr/action_plan.html"

    def get_context_data(self, **kwargs):
        review, user = self.get_review(), self.request.user
        plan, progress = selectors.action_plan(review)
        change_refusal = services.plan_change_refusal(review)
        return super().get_context_data(
            plan=plan,
            progress=progress,
            sign_offs=_approvals(review, PLAN),
            can_write=not change_refusal
            and user.has_perm(WORK_ON_LOCAL_REVIEW)
            and services.may_work_on(review, user),
            can_set=not change_refusal and user.has_perm(SET_ACTIONS),
            can_sign=user.has_perm(COMMISSION_LOCAL_REVIEW),
            change_refusal=change_refusal,
            **kwargs,
        )


class RecommendationAddView(ActionPlanMixin, ServiceFormView):
    permission_required = WORK_ON_LOCAL_REVIEW
    template_name = "cspr/review_form.html"
    form_class = RecommendationForm

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            heading="Add a recommendation",
            intro="Numbered in the order added, as in the final report. Set its SMART actions "
            "on the action plan next.",
            submit="Add the recommendation",
            **kwargs,
        )

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "drafts": selectors.drafts_of(self.get_review())}

    def get_initial(self):
        latest = selectors.drafts_of(self.get_review()).first()
        return {**super().get_initial(), "draft": latest}

    def perform(self, form):
        return services.add_recommendation(
            review=self.get_review(),
            user=self.request.user,
            text=form.cleaned_data["text"],
            draft=form.cleaned_data.get("draft"),
        )

    def get_success_message(self, recommendation):
        return f"{recommendation.label} added"


class RecommendationMixin(ActionPlanMixin):
    """A page about one recommendation of the review."""

    def get_recommendation(self):
        if not hasattr(self, "_recommendation"):
            self._recommendation = selectors.recommendation_for(
                self.get_review(), self.kwargs["recommendation_id"]
            )
        return self._recommendation

    def dispatch(self, request, *args, **kwargs):
        if self.has_permission():
            self.get_recommendation()  # a 404 for another review's recommendation
        return super().dispatch(request, *args, **kwargs)


class RecommendationEditView(RecommendationMixin, ServiceFormView):
    """A recommendation's words corrected (the service says when they may be)."""

    permission_required = WORK_ON_LOCAL_REVIEW
    template_name = "cspr/review_form.html"
    form_class = RecommendationForm

    def get_context_data(self, **kwargs):
        recommendation = self.get_recommendation()
        return super().get_context_data(
            heading=f"Change {recommendation.label.lower()}",
            intro="Its number, and the actions set for it, stay as they are.",
            submit="Save the recommendation",
            **kwargs,
        )

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "drafts": selectors.drafts_of(self.get_review())}

    def get_initial(self):
        recommendation = self.get_recommendation()
        return {"text": recommendation.text, "draft": recommendation.draft}

    def perform(self, form):
        return services.change_recommendation(
            recommendation=self.get_recommendation(),
            user=self.request.user,
            text=form.cleaned_data["text"],
            draft=form.cleaned_data.get("draft"),
        )

    def get_success_message(self, recommendation):
        return f"{recommendation.label} changed"


class RecommendationActionView(RecommendationMixin, ServiceFormView):
    """A SMART action for one recommendation, set through the partnership's actions."""

    permission_required = SET_ACTIONS
    template_name = "cspr/recommendation_action.html"
    form_class = RecommendationActionForm

    def get_context_data(self, **kwargs):
        return super().get_context_data(recommendation=self.get_recommendation(), **kwargs)

    def perform(self, form):
        data = form.cleaned_data
        return services.set_recommendation_action(
            recommendation=self.get_recommendation(),
            user=self.request.user,
            description=data["description"],
            owner_agency=data["owner_agency"],
            owner=data["owner"],
            due_date=data["due_date"],
            measure_of_success=data["measure_of_success"],
        )

    def get_success_message(self, action):
        return f"{action.reference} set for {action.source_label}"


class PlanSignOffView(ActionPlanMixin, ServiceFormView):
    """The Case Review Group signs off the action plan (recorded as the report's approvals are);
    the Executive's sign-off follows on its own page."""

    permission_required = COMMISSION_LOCAL_REVIEW
    template_name = "cspr/review_form.html"
    form_class = PlanSignOffForm
    success_message = "Recorded: the action plan is signed off by the Case Review Group"

    def get_context_data(self, **kwargs):
        review = self.get_review()
        refusal = services.approval_refusal(review, Approval.Step.CRG, PLAN)
        return super().get_context_data(
            heading="Sign-off of the action plan by the Case Review Group",
            intro=refusal
            or "Then the Executive signs it off. Once signed, the plan's recommendations and "
            "actions cannot be added to.",
            submit="Record the sign-off",
            recorded=_approvals(review, PLAN),
            **kwargs,
        )

    def perform(self, form):
        return services.record_approval(
            review=self.get_review(),
            user=self.request.user,
            step=Approval.Step.CRG,
            subject=PLAN,
            **form.cleaned_data,
        )


class PlanApprovalView(ExecutiveReviewView):
    """The Executive's sign-off of an action plan: the recommendations and their actions."""

    review_for = staticmethod(selectors.plan_awaiting_executive)
    template_name = "cspr/plan_approval.html"
    form_class = PlanSignOffForm
    success_message = "Recorded: the action plan is signed off by the Executive"

    def get_context_data(self, **kwargs):
        review = self.get_review()
        plan, progress = selectors.action_plan(review)
        return super().get_context_data(
            review=review,
            plan=plan,
            progress=progress,
            approvals=_approvals(review, PLAN),
            back_url=reverse("cspr:awaiting_approval"),
            **kwargs,
        )

    def perform(self, form):
        return services.record_approval(
            review=self.get_review(),
            user=self.request.user,
            step=Approval.Step.EXECUTIVE,
            subject=PLAN,
            **form.cleaned_data,
        )

    def get_success_url(self):
        return reverse("cspr:awaiting_approval")


# --- Learning themes and the learning briefing ---


class ThemesView(ReviewMixin, ServiceFormView):
    permission_required = WORK_ON_LOCAL_REVIEW
    template_name = "cspr/review_form.html"
    form_class = ThemesForm
    success_message = "Learning themes saved"

    def get_initial(self):
        return {"themes": selectors.themes_of(self.get_review())}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            heading="Learning themes",
            intro="Tag the review with the themes of its learning, from the partnership's "
            "list. The themes page and the reports count how often each recurs.",
            submit="Save the themes",
            **kwargs,
        )

    def perform(self, form):
        return services.set_themes(
            review=self.get_review(), user=self.request.user, themes=form.cleaned_data["themes"]
        )


class BriefingView(ReviewMixin, ServiceFormView):
    """The learning briefing's own words; the PDF adds the recommendations and themes."""

    permission_required = WORK_ON_LOCAL_REVIEW
    template_name = "cspr/briefing_form.html"
    form_class = BriefingForm
    success_message = "Learning briefing saved"

    def get_briefing(self):
        if not hasattr(self, "_briefing"):
            self._briefing = selectors.briefing(self.get_review())
        return self._briefing

    def get_initial(self):
        briefing = self.get_briefing()
        if briefing is None:
            return {"version": 0}
        return {
            "version": briefing.version,
            "summary": briefing.summary,
            "key_learning": briefing.key_learning,
            "questions": briefing.questions,
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(briefing=self.get_briefing(), **kwargs)

    def perform(self, form):
        data = dict(form.cleaned_data)
        version = data.pop("version")
        return services.save_briefing(
            review=self.get_review(), user=self.request.user, expected_version=version, **data
        )


class BriefingPdfView(CaseMixin, FileRequestView):
    """The one-page learning briefing as a tagged PDF, made in the background, for anyone who
    may read the review."""

    permission_required = VIEW_CASE
    file_kind = files.BRIEFING
    heading = "Make the learning briefing (PDF)"

    def dispatch(self, request, *args, **kwargs):
        if self.has_permission():
            files.briefing_review(self.get_case())  # a 404 without a briefing written
        return super().dispatch(request, *args, **kwargs)

    def get_file_params(self):
        return {"reference": self.get_case().reference}

    def describe_request(self):
        return [
            "One page: the case in brief (by pseudonym), the key learning, the recommendations, "
            "the learning themes and questions for practitioners",
            "Marked OFFICIAL-SENSITIVE",
        ]

    def get_back_url(self):
        return reverse("cspr:detail", kwargs={"reference": self.get_case().reference})


class LearningThemesView(ServiceView, TemplateView):
    """The learning themes across every review: how often each recurs, and in which reviews
    (references and pseudonyms only)."""

    permission_required = VIEW_REPORTS
    template_name = "cspr/learning_themes.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            rows=selectors.themes_across_reviews(self.request.user), **kwargs
        )


# --- Issue 13's gaps: the first Case Review Panel meeting, reviewer requests answered ---


class ReviewerAnswerView(ReviewMixin, ServiceActionView):
    permission_required = COMMISSION_LOCAL_REVIEW

    def perform(self):
        request = selectors.reviewer_request_for(self.get_review(), self.kwargs["request_id"])
        return services.record_reviewer_answer(request=request, user=self.request.user)

    def get_success_message(self, request):
        return "Recorded as answered"

    def get_success_url(self):
        return reverse("cspr:reviewer_requests", kwargs={"reference": self.get_case().reference})


class FirstMeetingView(ReviewFormView):
    form_class = FirstMeetingForm
    heading = "The first Case Review Panel meeting"
    intro = (
        "The Chair of the review agrees the terms of reference with the Lead Reviewer before "
        "the Case Review Panel first meets: the review is flagged until they do."
    )
    submit = "Save the date"
    success_message = "Date of the first Case Review Panel meeting saved"
    url_name = "cspr:terms"

    def get_initial(self):
        return {"first_panel_meeting_on": self.get_review().first_panel_meeting_on}

    def perform(self, form):
        return services.set_first_panel_meeting(
            review=self.get_review(), user=self.request.user, **form.cleaned_data
        )
