from django.core.paginator import Paginator
from django.views.generic import TemplateView

from safeguarding.accounts.access import ServiceView

from .models import AccessLog


class AccessLogView(ServiceView, TemplateView):
    """Who read what: for the Business Manager. Read-only, like everything in the audit."""

    permission_required = "audit.view_accesslog"
    template_name = "audit/access_log.html"

    def get_context_data(self, **kwargs):
        logs = AccessLog.objects.select_related("user", "content_type").order_by("-at", "-id")
        q = self.request.GET.get("q", "").strip()[:100]
        if q:
            logs = logs.filter(object_repr__icontains=q) | logs.filter(user__email__icontains=q)
        page = Paginator(logs, 50).get_page(self.request.GET.get("page"))
        return super().get_context_data(page=page, logs=page.object_list, q=q, **kwargs)
