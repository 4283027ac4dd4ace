from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views import View
from django.views.generic import TemplateView

from safeguarding.accounts.roles import (
    DECIDE_RAPID_REVIEW,
    RUN_RAPID_REVIEW,
    SIGN_OFF_RAPID_REVIEW,
    VIEW_CASE,
)
from safeguarding.audit.models import AccessLog
from safeguarding.audit.services import record_access
from safeguarding.cases.mixins import CaseMixin, StageRecordMixin
from safeguarding.web import ServiceActionView, ServiceFormView, open_stored

from . import selectors, services
from .documents import rapid_review_pdf
from .forms import CriteriaForm, DecisionForm, ReplyForm, SendForm, section_form_class
from .sections import BY_SLUG, LABELS, task_list


class ReviewMixin(StageRecordMixin):
    review_for = selectors.review_for
    review_url_name = "rapid_reviews:detail"


class OpenView(CaseMixin, ServiceActionView):
    permission_required = RUN_RAPID_REVIEW
    success_message = "Rapid review started"

    def perform(self):
        return services.open_rapid_review(case=self.get_case(), user=self.request.user)

    def get_success_url(self):
        return reverse("rapid_reviews:detail", kwargs={"reference": self.get_case().reference})

    def get_refused_url(self):
        return self.case_url()


class TaskListView(ReviewMixin, TemplateView):
    permission_required = VIEW_CASE
    template_name = "rapid_reviews/task_list.html"

    def get(self, request, *args, **kwargs):
        # Not started yet, though its clock runs: the case page's rapid review section says so
        # and has the button (where What's due sends people for D5).
        if not selectors.has_review(self.get_case()) and selectors.is_notified(self.get_case()):
            return redirect(self.case_url() + "?section=rapid-review")
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        review = self.get_review()
        requests = selectors.requests_of(self.get_case())
        items = task_list(
            review, requests=requests, sign_off_count=selectors.sign_off_count(review)
        )
        return super().get_context_data(
            items=[(title, url, status, LABELS[status]) for title, url, status in items],
            completed=sum(1 for *_, status in items if status == "completed"),
            total=len(items),
            requests=requests,
            final=selectors.final_version(review),
            can_run=self.request.user.has_perm(RUN_RAPID_REVIEW),
            **kwargs,
        )


class SectionView(ReviewMixin, ServiceFormView):
    permission_required = RUN_RAPID_REVIEW
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

    def perform(self, form):
        data = dict(form.cleaned_data)
        version, completed = data.pop("version"), data.pop("completed") == "yes"
        return services.save_section(
            review=self.get_review(),
            user=self.request.user,
            section=self.get_section().slug,
            expected_version=version,
            completed=completed,
            **data,
        )

    def get_success_message(self, review):
        return f"{self.get_section().title} saved"


class CriteriaView(ReviewMixin, ServiceFormView):
    permission_required = DECIDE_RAPID_REVIEW
    template_name = "rapid_reviews/criteria_form.html"
    form_class = CriteriaForm
    success_message = "Criteria saved. Now record the decision."

    def get_initial(self):
        return CriteriaForm.initial_for(selectors.criteria_answers(self.get_review()))

    def get_context_data(self, **kwargs):
        form = kwargs.get("form") or self.get_form()
        return super().get_context_data(rows=form.rows(), **kwargs)

    def perform(self, form):
        return services.save_criteria(
            review=self.get_review(), user=self.request.user, answers=form.answers()
        )

    def get_success_url(self):
        return reverse("rapid_reviews:decision", kwargs={"reference": self.get_case().reference})


class DecisionView(ReviewMixin, ServiceFormView):
    permission_required = DECIDE_RAPID_REVIEW
    template_name = "rapid_reviews/decision_form.html"
    form_class = DecisionForm
    success_message = "Decision recorded. The partners can now sign off."

    def get_initial(self):
        return DecisionForm.initial_for(self.get_review())

    def perform(self, form):
        return services.record_decision(
            review=self.get_review(), user=self.request.user, **form.cleaned_data
        )


class SignOffView(ReviewMixin, ServiceActionView, TemplateView):
    permission_required = VIEW_CASE
    http_method_names = ["get", "post"]
    template_name = "rapid_reviews/sign_off.html"

    def get_context_data(self, **kwargs):
        review = self.get_review()
        user = self.request.user
        can_sign = user.has_perm(SIGN_OFF_RAPID_REVIEW) and not services.sign_off_refusal(
            review, user
        )
        return super().get_context_data(
            partners=selectors.partner_sign_offs(review), can_sign=can_sign, **kwargs
        )

    def perform(self):
        return services.sign_off(review=self.get_review(), user=self.request.user)

    def get_success_message(self, review):
        return f"Signed off for {self.request.user.agency}"

    def get_success_url(self):
        return reverse("rapid_reviews:sign_off", kwargs={"reference": self.get_case().reference})

    def get_refused_url(self):
        return self.review_url()


class SendView(ReviewMixin, ServiceFormView):
    """Sending, in its steps: make the final version (frozen), send it through the national
    Panel's own system, then record the date here and settle the requests still open."""

    permission_required = RUN_RAPID_REVIEW
    template_name = "rapid_reviews/send_form.html"
    form_class = SendForm
    success_message = (
        "Recorded as sent to the national Panel. The final version is kept as the version sent."
    )

    def open_requests(self):
        if not hasattr(self, "_open_requests"):
            self._open_requests = selectors.open_requests(self.get_case())
        return self._open_requests

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "requests": self.open_requests(),
            "carry_on": selectors.can_carry_on(self.get_review()),
        }

    def get_context_data(self, **kwargs):
        review = self.get_review()
        return super().get_context_data(
            problem=services.missing_sign_offs(review, self.request.user),
            final=selectors.final_version(review),
            open_requests=self.open_requests(),
            carry_on=selectors.can_carry_on(review),
            **kwargs,
        )

    def perform(self, form):
        return services.send_to_national_panel(
            review=self.get_review(),
            user=self.request.user,
            sent_on=form.cleaned_data["sent_on"],
            request_choices=form.request_choices(),
        )


class FinaliseView(ReviewMixin, ServiceActionView):
    """Final for sending: freezes the review and makes the PDF to send (POST only)."""

    permission_required = RUN_RAPID_REVIEW
    success_message = (
        "Final version made. Send it through the national Panel's system, then record the date "
        "here."
    )

    def perform(self):
        return services.make_final(review=self.get_review(), user=self.request.user)

    def get_success_url(self):
        return reverse("rapid_reviews:send", kwargs={"reference": self.get_case().reference})


class ReopenView(FinaliseView):
    """Before sending: unfreeze to correct something. The final version is kept, superseded."""

    success_message = "The review can be changed again. Make the final version again to send it."

    def perform(self):
        return services.reopen_for_changes(
            review=self.get_review(), user=self.request.user, reason="Reopened for changes"
        )

    def get_success_url(self):
        return self.review_url()

    def get_refused_url(self):
        return reverse("rapid_reviews:send", kwargs={"reference": self.get_case().reference})


class ReplyView(ReviewMixin, ServiceFormView):
    permission_required = DECIDE_RAPID_REVIEW
    template_name = "rapid_reviews/reply_form.html"
    form_class = ReplyForm
    success_message = "The national Panel's reply has been recorded"

    def perform(self, form):
        return services.record_reply(
            review=self.get_review(), user=self.request.user, **form.cleaned_data
        )


class PdfView(ReviewMixin, View):
    """The review as it stands now (a draft unless sent). Every generation is logged."""

    permission_required = VIEW_CASE
    logs_own_access = True

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


class StoredPdfView(ReviewMixin, View):
    """A kept version: stored, never regenerated. Every download is logged."""

    permission_required = VIEW_CASE
    logs_own_access = True
    what = ""
    suffix = ""

    def stored(self, review):
        raise NotImplementedError

    def get(self, request, *args, **kwargs):
        review = self.get_review()
        stored = self.stored(review)
        if stored is None:
            raise Http404(f"No {self.what}")
        handle = open_stored(stored.file)
        record_access(
            request=request,
            obj=review,
            action=AccessLog.Action.DOWNLOAD,
            description=f"Rapid review PDF, {self.what}, {review.case}",
        )
        response = FileResponse(
            handle,
            content_type="application/pdf",
            as_attachment=True,
            filename=f"{review.case.reference}-rapid-review-{self.suffix}.pdf",
        )
        response["Cache-Control"] = "private, no-store"
        return response


class SentPdfView(StoredPdfView):
    """The exact PDF that was sent (the final version made for sending)."""

    what = "as sent"
    suffix = "sent"

    def stored(self, review):
        return selectors.sent_pdf(review)


class FinalPdfView(StoredPdfView):
    """The final version made for sending, to send through the national Panel's system."""

    what = "final version for sending"
    suffix = "final"

    def stored(self, review):
        return selectors.final_version(review)
