from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.generic import TemplateView

from safeguarding import paging
from safeguarding.accounts.access import ServiceView
from safeguarding.accounts.roles import RUN_CASES, VIEW_WHATS_DUE
from safeguarding.cases.mixins import CaseMixin
from safeguarding.web import ServiceActionView

from . import chasing, selectors
from .calendar import current_calendar


class WhatsDueView(ServiceView, TemplateView):
    """Every unmet deadline the person may see: what falls due next first, then the overdue
    backlog, each counted and paged on its own, with working days left and whom each waits
    on. What is coming up is counted only as far as its page needs (`CountedAsFarAsNeeded`):
    across a partnership it runs to tens of thousands. The overdue backlog is counted in full:
    every clock in it is a statutory or local deadline already missed."""

    permission_required = VIEW_WHATS_DUE
    template_name = "deadlines/whats_due.html"
    PAGE_SIZE = 50

    def _page(self, queryset, param, *, counted_as_far_as_needed=False):
        asked_for = self.request.GET.get(param)
        if counted_as_far_as_needed:
            pages = paging.CountedAsFarAsNeeded(queryset, self.PAGE_SIZE, asked_for=asked_for)
        else:
            pages = Paginator(queryset, self.PAGE_SIZE)
        page = pages.get_page(asked_for)
        query = self.request.GET.copy()
        query.pop(param, None)
        return page, query.urlencode()

    def get_context_data(self, **kwargs):
        user, today = self.request.user, timezone.localdate()
        calendar = current_calendar()
        coming, coming_query = self._page(
            selectors.coming_up(user, today), "page", counted_as_far_as_needed=True
        )
        late, late_query = self._page(selectors.overdue(user, today), "overdue_page")
        # Both lists labelled at once, asking every kind of owner whether or not its clocks
        # are on these pages: the page costs the same queries whichever kinds fall on it
        # (the benchmark compares a page's queries on a small and a large partnership).
        coming_list = selectors.with_cases(coming.object_list)
        rows = selectors.rows(
            coming_list + selectors.with_cases(late.object_list),
            user=user,
            today=today,
            calendar=calendar,
            every_kind=True,
        )
        return super().get_context_data(
            coming=coming,
            coming_rows=rows[: len(coming_list)],
            coming_query=coming_query,
            overdue=late,
            overdue_rows=rows[len(coming_list) :],
            overdue_query=late_query,
            **kwargs,
        )


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
