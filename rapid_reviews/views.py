from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views import View
from django.views.generic import FormView, TemplateView

from safeguarding.accounts.access import ServiceView
from safeguarding.audit.models import AccessLog
from safeguarding.audit.services import record_access
from safeguarding.cases.views import CaseMixin
from safeguarding.workflow import NotAllowed

from . import selectors, services
from .documents import rapid_review_pdf
from .forms import CriteriaForm, DecisionForm, ReplyForm, SendForm, section_form_class
from .models import CriterionAnswer, RapidReviewPdf
from .sections import BY_SLUG, LABELS, task_list

RUN = "rapid_reviews.run_rapid_review"


class ReviewMixin(CaseMixin):
    def get_review(self):
        if not hasattr(self, "_review"):
            self._review = selectors.review_for(self.get_case())
        return self._review

    def review_url(self):
        return reverse("rapid_reviews:detail", kwargs={"reference": self.get_case().reference})

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            review=self.get_review(), back_url=self.review_url(), **kwargs
        )

    def refused(self, error):
        messages.error(self.request, " ".join(getattr(error, "messages", [str(error)])))
        return redirect(self.review_url())


class OpenView(CaseMixin, View):
    permission_required = RUN
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        try:
            services.open_rapid_review(case=self.get_case(), user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(self.case_url())
        messages.success(request, "Rapid review started")
        return redirect("rapid_reviews:detail", reference=self.get_case().reference)


class TaskListView(ReviewMixin, TemplateView):
    permission_required = "cases.view_case"
    template_name = "rapid_reviews/task_list.html"

    def get_context_data(self, **kwargs):
        review = self.get_review()
        case = self.get_case()
        requests = list(case.information_requests.select_related("agency"))
        sign_off_count = review.sign_offs.count()
        items = task_list(review, requests=requests, sign_off_count=sign_off_count)
        return super().get_context_data(
            items=[(title, url, status, LABELS[status]) for title, url, status in items],
            completed=sum(1 for *_, status in items if status == "completed"),
            total=len(items),
            requests=requests,
            can_run=self.request.user.has_perm(RUN),
            **kwargs,
        )


class SectionView(ReviewMixin, FormView):
    permission_required = RUN
    template_name = "rapid_reviews/section_form.html"

    def get_section(self):
        section = BY_SLUG.get(self.kwargs["section"])
        if section is None:
            raise Http404("No such section")
        return section

    def get_form_class(self):
        return section_form_class(self.get_section().slug)

    def get_initial(self):
        review = self.get_review()
        section = self.get_section()
        marked = review.section_status.get(section.slug)
        return {
            "version": review.version,
            "completed": "yes" if marked == "completed" else ("no" if marked else None),
            **{f: getattr(review, f) for f in section.fields},
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(section=self.get_section(), **kwargs)

    def form_valid(self, form):
        data = dict(form.cleaned_data)
        version, completed = data.pop("version"), data.pop("completed") == "yes"
        _, refused = self.run_service(
            form,
            lambda: services.save_section(
                review=self.get_review(),
                user=self.request.user,
                section=self.get_section().slug,
                expected_version=version,
                completed=completed,
                **data,
            ),
        )
        if refused:
            return refused
        messages.success(self.request, f"{self.get_section().title} saved")
        return redirect(self.review_url())


class CriteriaView(ReviewMixin, FormView):
    permission_required = RUN
    template_name = "rapid_reviews/criteria_form.html"
    form_class = CriteriaForm

    def get_initial(self):
        initial = {}
        for code, answer in selectors.criteria_answers(self.get_review()).items():
            initial[f"{code}_answer"] = answer.answer
            initial[f"{code}_rationale"] = answer.rationale
        return initial

    def get_context_data(self, **kwargs):
        form = kwargs.get("form") or self.get_form()
        rows = [
            (form[f"{code}_answer"], form[f"{code}_rationale"], code in CriterionAnswer.STATUTORY)
            for code in CriterionAnswer.Criterion.values
        ]
        return super().get_context_data(rows=rows, **kwargs)

    def form_valid(self, form):
        try:
            services.save_criteria(
                review=self.get_review(), user=self.request.user, answers=form.answers()
            )
        except NotAllowed as error:
            return self.refused(error)
        messages.success(self.request, "Criteria saved. Now record the decision.")
        return redirect("rapid_reviews:decision", reference=self.get_case().reference)


class DecisionView(ReviewMixin, FormView):
    permission_required = RUN
    template_name = "rapid_reviews/decision_form.html"
    form_class = DecisionForm

    def get_initial(self):
        r = self.get_review()
        return {
            "decision": r.decision,
            "other_learning_activity": r.other_learning_activity,
            "rationale": r.decision_rationale,
            "national_review_view": r.national_review_view,
            "national_review_reason": r.national_review_reason,
            "decided_on": r.decided_on,
            "decided_at_meeting": r.decided_at_meeting,
        }

    def form_valid(self, form):
        _, refused = self.run_service(
            form,
            lambda: services.record_decision(
                review=self.get_review(), user=self.request.user, **form.cleaned_data
            ),
        )
        if refused:
            return refused
        messages.success(self.request, "Decision recorded. The partners can now sign off.")
        return redirect(self.review_url())


class SignOffView(ReviewMixin, TemplateView):
    permission_required = "cases.view_case"
    template_name = "rapid_reviews/sign_off.html"

    def get_context_data(self, **kwargs):
        from safeguarding.accounts.models import Agency

        signed = selectors.sign_offs(self.get_review())
        user = self.request.user
        partners = [
            (kind, Agency.Kind(kind).label, signed.get(kind))
            for kind in Agency.SAFEGUARDING_PARTNER_KINDS
        ]
        can_sign = user.has_perm(
            "rapid_reviews.sign_off_rapid_review"
        ) and not services.sign_off_refusal(self.get_review(), user)
        return super().get_context_data(partners=partners, can_sign=can_sign, **kwargs)

    def post(self, request, *args, **kwargs):
        if not request.user.has_perm("rapid_reviews.sign_off_rapid_review"):
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied
        try:
            services.sign_off(review=self.get_review(), user=request.user)
        except NotAllowed as error:
            return self.refused(error)
        messages.success(request, f"Signed off for {request.user.agency}")
        return redirect("rapid_reviews:sign_off", reference=self.get_case().reference)


class SendView(ReviewMixin, FormView):
    permission_required = RUN
    template_name = "rapid_reviews/send_form.html"
    form_class = SendForm

    def get_context_data(self, **kwargs):
        problem = services.missing_sign_offs(self.get_review(), self.request.user)
        return super().get_context_data(problem=problem, **kwargs)

    def form_valid(self, form):
        _, refused = self.run_service(
            form,
            lambda: services.send_to_national_panel(
                review=self.get_review(),
                user=self.request.user,
                sent_on=form.cleaned_data["sent_on"],
            ),
        )
        if refused:
            return refused
        messages.success(
            self.request, "Marked as sent to the national Panel. The PDF sent has been kept."
        )
        return redirect(self.review_url())


class ReplyView(ReviewMixin, FormView):
    permission_required = RUN
    template_name = "rapid_reviews/reply_form.html"
    form_class = ReplyForm

    def form_valid(self, form):
        _, refused = self.run_service(
            form,
            lambda: services.record_reply(
                review=self.get_review(), user=self.request.user, **form.cleaned_data
            ),
        )
        if refused:
            return refused
        messages.success(self.request, "The national Panel's reply has been recorded")
        return redirect(self.review_url())


class PdfView(ReviewMixin, View):
    """The review as it stands now (a draft unless sent). Every generation is logged."""

    permission_required = "cases.view_case"

    def get(self, request, *args, **kwargs):
        review = self.get_review()
        pdf = rapid_review_pdf(review)
        record_access(
            request=request,
            obj=review,
            action=AccessLog.Action.PDF,
            description=f"Rapid review PDF for {review.case}",
        )
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = (
            f'attachment; filename="{review.case.reference}-rapid-review-draft.pdf"'
        )
        return response


class SentPdfView(ReviewMixin, View):
    """The exact PDF that was sent: stored, never regenerated. Every download is logged."""

    permission_required = "cases.view_case"

    def get(self, request, *args, **kwargs):
        review = self.get_review()
        stored = RapidReviewPdf.objects.filter(review=review, is_sent_version=True).first()
        if stored is None:
            raise Http404("Not sent yet")
        record_access(
            request=request,
            obj=review,
            action=AccessLog.Action.DOWNLOAD,
            description=f"Rapid review PDF as sent, {review.case}",
        )
        return FileResponse(
            stored.file.open("rb"),
            content_type="application/pdf",
            as_attachment=True,
            filename=f"{review.case.reference}-rapid-review-sent.pdf",
        )


class ReviewsToCommissionView(ServiceView, TemplateView):
    permission_required = "cases.view_case_list"
    template_name = "rapid_reviews/to_commission.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            reviews=list(selectors.reviews_to_commission(self.request.user)), **kwargs
        )
