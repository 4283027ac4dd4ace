"""Pages of the partnership as a whole, outside any one case: the home page ('Your work'),
the access log, emails that need a decision, the public information pages, errors and the
health check. They sit at the top of the core, so they may use any part of it."""

from django.conf import settings
from django.core.paginator import Paginator
from django.db import connection
from django.http import HttpResponse, HttpResponseServerError
from django.shortcuts import get_object_or_404, render
from django.template import loader
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView

from safeguarding import home
from safeguarding.accounts.access import PUBLIC, ServiceView, public
from safeguarding.accounts.roles import RESEND_EMAIL, USE_SERVICE, VIEW_ACCESS_LOG
from safeguarding.audit import selectors as audit_selectors
from safeguarding.outbox import selectors as outbox_selectors
from safeguarding.outbox import services as outbox
from safeguarding.web import ServiceActionView


class HomeView(ServiceView, TemplateView):
    """'Your work': what this person has to do, in the sections each app registers."""

    permission_required = USE_SERVICE
    template_name = "home.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        waiting = home.waiting_for(user)
        home.remember_waiting_count(self.request, waiting.total)
        return super().get_context_data(waiting=waiting, sections=home.sections_for(user), **kwargs)


class AccessLogView(ServiceView, TemplateView):
    """Who read what: for the Business Manager. Read-only, like everything in the audit."""

    permission_required = VIEW_ACCESS_LOG
    template_name = "audit/access_log.html"

    def get_context_data(self, **kwargs):
        q = self.request.GET.get("q", "").strip()[:100]
        page = Paginator(audit_selectors.access_log(q), 50).get_page(self.request.GET.get("page"))
        return super().get_context_data(page=page, logs=page.object_list, q=q, **kwargs)


class EmailsNeedingAttentionView(ServiceView, TemplateView):
    """Emails the service gave up on, or cannot tell whether it sent: a person checks (with the
    recipient, if need be) and chooses to resend. Nothing here is resent by itself."""

    permission_required = RESEND_EMAIL
    template_name = "outbox/needing_attention.html"

    def get_context_data(self, **kwargs):
        page = Paginator(outbox_selectors.needing_attention(), 50).get_page(
            self.request.GET.get("page")
        )
        return super().get_context_data(page=page, emails=page.object_list, **kwargs)


class ResendEmailView(ServiceActionView):
    permission_required = RESEND_EMAIL
    success_message = "The email will be sent again"

    def perform(self):
        email = get_object_or_404(outbox_selectors.needing_attention(), pk=self.kwargs["pk"])
        return outbox.resend(email=email, user=self.request.user)

    def get_success_url(self):
        return reverse("emails_needing_attention")


class PublicPage(TemplateView):
    access_level = PUBLIC


@public
@never_cache
def healthz(request):
    """For the container health check: the app is up and can reach its database."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    # No context processors: whatever broke may be the database they would query.
    template = loader.get_template("500.html")
    return HttpResponseServerError(
        template.render(
            {
                "PARTNERSHIP_NAME": settings.PARTNERSHIP_NAME,
                "SERVICE_NAME": settings.SERVICE_NAME,
                "SUPPORT_EMAIL": settings.SUPPORT_EMAIL,
                "request": request,
                "error_page": True,
            }
        )
    )
