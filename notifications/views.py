from django.contrib import messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.generic import FormView, TemplateView

from safeguarding.accounts.roles import RUN_CASES, SCREEN_REFERRAL
from safeguarding.cases.mixins import CaseMixin
from safeguarding.web import ServiceFormMixin, ServiceFormView

from . import selectors, services
from .forms import AwarenessDateForm, NotificationForm, ReferralForm, ScreeningForm


class ReferralCreateView(ServiceFormView):
    permission_required = RUN_CASES
    template_name = "notifications/referral_form.html"
    form_class = ReferralForm

    def perform(self, form):
        return services.record_referral(user=self.request.user, **form.cleaned_data)

    def get_success_message(self, referral):
        return f"Referral recorded as case {referral.case.reference}"

    def get_success_url(self):
        return reverse("cases:detail", kwargs={"reference": self.result.case.reference})


class ReferralMixin(CaseMixin):
    def get_referral(self):
        return selectors.referral_of(self.get_case())


class ScreeningView(ReferralMixin, ServiceFormView):
    permission_required = SCREEN_REFERRAL
    template_name = "notifications/screening_form.html"
    form_class = ScreeningForm
    success_message = "Screening decision recorded"
    ALREADY = "This referral has already been screened"

    def get(self, request, *args, **kwargs):
        if self.get_referral().is_screened:
            messages.info(request, self.ALREADY)
            return redirect(self.case_url())
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(referral=self.get_referral(), **kwargs)

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except services.AlreadyScreened:
            messages.info(self.request, self.ALREADY)
            return redirect(self.case_url())

    def perform(self, form):
        data = form.cleaned_data
        return services.screen_referral(
            referral=self.get_referral(),
            user=self.request.user,
            decision=data["decision"],
            reason=data["reason"],
            not_accepted_reason=data.get("not_accepted_reason") or "",
            la_aware_on=data.get("la_aware_on"),
        )


class NotificationMixin(CaseMixin):
    def get_notification(self):
        return selectors.notification_of(self.get_case())

    def session_key(self):
        return f"notification-{self.get_notification().pk}"


class NotificationFormView(NotificationMixin, FormView):
    """Step 1: what was sent and when. Step 2 is check your answers."""

    permission_required = RUN_CASES
    template_name = "notifications/notification_form.html"
    form_class = NotificationForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["notification"] = self.get_notification()
        if self.request.method == "GET" and self.session_key() in self.request.session:
            # "Change" from the check page: the answers as they were given.
            kwargs["data"] = self.request.session[self.session_key()]
        return kwargs

    def get_initial(self):
        return NotificationForm.initial_for(
            self.get_notification(), notifier=self.request.user.full_name
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(notification=self.get_notification(), **kwargs)

    def form_valid(self, form):
        data = {k: v for k, v in self.request.POST.lists() if k != "csrfmiddlewaretoken"}
        self.request.session[self.session_key()] = data
        return redirect("notifications:check", reference=self.get_case().reference)


class NotificationCheckView(NotificationMixin, ServiceFormMixin, TemplateView):
    permission_required = RUN_CASES
    template_name = "notifications/notification_check.html"

    def bound_form(self):
        stored = self.request.session.get(self.session_key())
        if stored is None:
            return None
        return NotificationForm.from_answers(stored, notification=self.get_notification())

    def get(self, request, *args, **kwargs):
        form = self.bound_form()
        if form is None or not form.is_valid():
            return redirect("notifications:record", reference=self.get_case().reference)
        return self.render_to_response(self.get_context_data(form=form))

    def post(self, request, *args, **kwargs):
        form = self.bound_form()
        if form is None or not form.is_valid():
            return redirect("notifications:record", reference=self.get_case().reference)
        data = dict(form.cleaned_data)
        version = data.pop("version")
        _, refused = self.run_service(
            form,
            lambda: services.record_notification(
                notification=self.get_notification(),
                user=request.user,
                expected_version=version,
                **data,
            ),
        )
        if refused:
            return refused
        request.session.pop(self.session_key(), None)
        messages.success(request, "Notification recorded")
        return redirect(self.case_url())

    def form_invalid(self, form):
        """A refusal goes back to the form page (step 1), with the error summary."""
        return TemplateResponse(
            self.request,
            NotificationFormView.template_name,
            {"form": form, "case": self.get_case(), "notification": self.get_notification()},
        )

    def get_context_data(self, **kwargs):
        form = kwargs["form"]
        return super().get_context_data(
            notification=self.get_notification(),
            rows=form.summary(),
            change_url=reverse(
                "notifications:record", kwargs={"reference": self.get_case().reference}
            ),
            **kwargs,
        )


class AwarenessDateView(NotificationMixin, ServiceFormView):
    permission_required = RUN_CASES
    template_name = "notifications/awareness_form.html"
    form_class = AwarenessDateForm
    success_message = "Awareness date corrected and deadlines recalculated"

    def get_initial(self):
        n = self.get_notification()
        return {"version": n.version, "la_aware_on": n.la_aware_on}

    def get_context_data(self, **kwargs):
        return super().get_context_data(notification=self.get_notification(), **kwargs)

    def perform(self, form):
        return services.correct_awareness_date(
            notification=self.get_notification(),
            user=self.request.user,
            expected_version=form.cleaned_data["version"],
            la_aware_on=form.cleaned_data["la_aware_on"],
        )
