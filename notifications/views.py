from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.views.generic import FormView, TemplateView

from safeguarding.accounts.access import ServiceView
from safeguarding.cases.services import ConcurrentEdit
from safeguarding.cases.views import CaseMixin
from safeguarding.forms import CONCURRENT_EDIT_MESSAGE
from safeguarding.web import ServiceFormMixin, add_validation_errors

from . import services
from .forms import AwarenessDateForm, NotificationForm, ReferralForm, ScreeningForm
from .models import Notification, Referral


class ReferralCreateView(ServiceFormMixin, ServiceView, FormView):
    permission_required = "cases.run_cases"
    template_name = "notifications/referral_form.html"
    form_class = ReferralForm

    def form_valid(self, form):
        referral, refused = self.run_service(
            form, lambda: services.record_referral(user=self.request.user, **form.cleaned_data)
        )
        if refused:
            return refused
        messages.success(self.request, f"Referral recorded as case {referral.case.reference}")
        return redirect("cases:detail", reference=referral.case.reference)


class ReferralMixin(CaseMixin):
    def get_referral(self):
        referral = Referral.objects.filter(case=self.get_case()).first()
        if referral is None:
            raise Http404("This case has no referral")
        return referral


class ScreeningView(ReferralMixin, FormView):
    permission_required = "cases.screen_referral"
    template_name = "notifications/screening_form.html"
    form_class = ScreeningForm

    def get(self, request, *args, **kwargs):
        if self.get_referral().is_screened:
            messages.info(request, "This referral has already been screened")
            return redirect(self.case_url())
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(referral=self.get_referral(), **kwargs)

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            services.screen_referral(
                referral=self.get_referral(),
                user=self.request.user,
                decision=data["decision"],
                reason=data["reason"],
                not_accepted_reason=data.get("not_accepted_reason") or "",
                la_aware_on=data.get("la_aware_on"),
            )
        except services.AlreadyScreened:
            messages.info(self.request, "This referral has already been screened")
            return redirect(self.case_url())
        except ValidationError as error:
            add_validation_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, "Screening decision recorded")
        return redirect(self.case_url())


class NotificationMixin(CaseMixin):
    def get_notification(self):
        notification = (
            Notification.objects.filter(case=self.get_case()).select_related("case").first()
        )
        if notification is None:
            raise Http404("This case has not been screened for notification")
        return notification

    def session_key(self):
        return f"notification-{self.get_notification().pk}"


class NotificationFormView(NotificationMixin, FormView):
    """Step 1: what was sent and when. Step 2 is check your answers."""

    permission_required = "cases.run_cases"
    template_name = "notifications/notification_form.html"
    form_class = NotificationForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["notification"] = self.get_notification()
        if self.request.method == "GET" and self.session_key() in self.request.session:
            kwargs["data"] = self.request.session[
                self.session_key()
            ]  # "Change" from the check page
        return kwargs

    def get_initial(self):
        n = self.get_notification()
        return {
            "version": n.version,
            "submitted_on": n.submitted_on,
            "national_reference": n.national_reference or "",
            "notifier_name": n.notifier_name or self.request.user.full_name,
            "notifier_contact": n.notifier_contact,
            "partners_told_on": n.partners_told_on,
            "ofsted_sos_notified_on": n.ofsted_sos_notified_on,
            "rapid_review_follows": n.rapid_review_follows,
            "late_reason": n.late_reason,
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(notification=self.get_notification(), **kwargs)

    def form_valid(self, form):
        data = {k: v for k, v in self.request.POST.lists() if k != "csrfmiddlewaretoken"}
        self.request.session[self.session_key()] = data
        return redirect("notifications:check", reference=self.get_case().reference)


class NotificationCheckView(NotificationMixin, TemplateView):
    permission_required = "cases.run_cases"
    template_name = "notifications/notification_check.html"

    def bound_form(self):
        stored = self.request.session.get(self.session_key())
        if stored is None:
            return None
        from django.http import QueryDict

        data = QueryDict(mutable=True)
        for key, values in stored.items():
            data.setlist(key, values)
        return NotificationForm(data, notification=self.get_notification())

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
        try:
            services.record_notification(
                notification=self.get_notification(),
                user=request.user,
                expected_version=version,
                **data,
            )
        except ConcurrentEdit:
            form.add_error(None, CONCURRENT_EDIT_MESSAGE)
            return self.form_page(form)
        except ValidationError as error:
            add_validation_errors(form, error)
            return self.form_page(form)
        request.session.pop(self.session_key(), None)
        messages.success(request, "Notification recorded")
        return redirect(self.case_url())

    def form_page(self, form):
        from django.template.response import TemplateResponse

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


class AwarenessDateView(NotificationMixin, FormView):
    permission_required = "cases.run_cases"
    template_name = "notifications/awareness_form.html"
    form_class = AwarenessDateForm

    def get_initial(self):
        n = self.get_notification()
        return {"version": n.version, "la_aware_on": n.la_aware_on}

    def get_context_data(self, **kwargs):
        return super().get_context_data(notification=self.get_notification(), **kwargs)

    def form_valid(self, form):
        _, refused = self.run_service(
            form,
            lambda: services.correct_awareness_date(
                notification=self.get_notification(),
                user=self.request.user,
                expected_version=form.cleaned_data["version"],
                la_aware_on=form.cleaned_data["la_aware_on"],
            ),
        )
        if refused:
            return refused
        messages.success(self.request, "Awareness date corrected and deadlines recalculated")
        return redirect(self.case_url())
