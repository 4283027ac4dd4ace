from django.shortcuts import redirect
from django.urls import reverse
from django.views.generic import TemplateView

from safeguarding.accounts.access import ServiceView
from safeguarding.accounts.roles import (
    COMMISSION_LOCAL_REVIEW,
    VIEW_CASE,
    VIEW_REVIEWS_TO_COMMISSION,
)
from safeguarding.cases.mixins import CaseMixin
from safeguarding.web import ServiceActionView, ServiceFormView

from . import selectors, services
from .forms import AppointForm, StartForm, TellAgenciesForm, ToldForm
from .models import Appointment


class ReviewMixin(CaseMixin):
    def get_review(self):
        if not hasattr(self, "_review"):
            self._review = selectors.review_for(self.get_case())
        return self._review

    def review_url(self):
        return reverse("cspr:detail", kwargs={"reference": self.get_case().reference})

    def get_success_url(self):
        return self.review_url()

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            review=self.get_review(), back_url=self.review_url(), **kwargs
        )


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
        return super().get_context_data(
            clocks=selectors.clocks(review),
            team=team,
            can_commission=self.request.user.has_perm(COMMISSION_LOCAL_REVIEW),
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

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            reviews=list(selectors.to_commission(self.request.user)),
            can_commission=self.request.user.has_perm(COMMISSION_LOCAL_REVIEW),
            **kwargs,
        )
