"""Pages outside any stage: the public information pages, errors and the health check."""

from django.conf import settings
from django.db import connection
from django.http import HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView

from safeguarding.accounts.access import PUBLIC, public


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
