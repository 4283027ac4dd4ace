from django.views.generic import TemplateView

from safeguarding.accounts.access import ServiceView

from . import selectors


class WhatsDueView(ServiceView, TemplateView):
    """Every unmet deadline the person may see, soonest first, with working days left."""

    permission_required = "deadlines.view_whats_due"
    template_name = "deadlines/whats_due.html"

    def get_context_data(self, **kwargs):
        rows = selectors.rows(selectors.whats_due(self.request.user)[:500])
        return super().get_context_data(rows=rows, **kwargs)
