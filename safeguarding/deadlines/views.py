from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View
from django.views.generic import TemplateView

from safeguarding.accounts.access import ServiceView
from safeguarding.cases.views import CaseMixin

from . import chasing, selectors
from .rules import CHASEABLE_KINDS


class WhatsDueView(ServiceView, TemplateView):
    """Every unmet deadline the person may see, soonest first, with working days left."""

    permission_required = "deadlines.view_whats_due"
    template_name = "deadlines/whats_due.html"

    def get_context_data(self, **kwargs):
        rows = selectors.rows(selectors.whats_due(self.request.user)[:500])
        return super().get_context_data(rows=rows, **kwargs)


class ChaseNowView(CaseMixin, View):
    """The PDEO's "chase now": email the deadline's owners at once (POST only)."""

    permission_required = "cases.run_cases"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        deadline = get_object_or_404(
            self.get_case().deadlines.filter(kind__in=CHASEABLE_KINDS, met_on__isnull=True),
            pk=kwargs["deadline_id"],
        )
        sent = chasing.chase_now(deadline=deadline, by_user=request.user)
        if sent:
            messages.success(
                request, f"Reminder sent to {len(sent)} {'people' if len(sent) != 1 else 'person'}"
            )
        else:
            messages.info(request, "Already chased today: nobody was sent another reminder")
        back = request.POST.get("next", "")
        if back and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
            return redirect(back)
        return redirect(self.case_url())
