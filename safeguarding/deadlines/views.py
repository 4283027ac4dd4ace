from django.shortcuts import get_object_or_404
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.generic import TemplateView

from safeguarding.accounts.access import ServiceView
from safeguarding.accounts.roles import RUN_CASES, VIEW_WHATS_DUE
from safeguarding.cases.mixins import CaseMixin
from safeguarding.web import ServiceActionView

from . import chasing, selectors


class WhatsDueView(ServiceView, TemplateView):
    """Every unmet deadline the person may see, soonest first, with working days left."""

    permission_required = VIEW_WHATS_DUE
    template_name = "deadlines/whats_due.html"

    def get_context_data(self, **kwargs):
        rows = selectors.rows(selectors.whats_due(self.request.user)[:500])
        return super().get_context_data(rows=rows, **kwargs)


class ChaseNowView(CaseMixin, ServiceActionView):
    """The PDEO's "chase now": email the deadline's owners at once (POST only)."""

    permission_required = RUN_CASES

    def perform(self):
        deadline = get_object_or_404(
            selectors.chaseable(self.get_case()), pk=self.kwargs["deadline_id"]
        )
        return chasing.chase_now(deadline=deadline, by_user=self.request.user)

    def get_success_message(self, sent):
        if sent:
            return f"Reminder sent to {len(sent)} {'people' if len(sent) != 1 else 'person'}"
        return "Already chased today: nobody was sent another reminder"

    def get_success_url(self):
        back = self.request.POST.get("next", "")
        if back and url_has_allowed_host_and_scheme(back, allowed_hosts={self.request.get_host()}):
            return back
        return self.case_url()
