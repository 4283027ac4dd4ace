from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, resolve_url
from django.urls import include, path, register_converter
from django_otp.admin import OTPAdminSite

from safeguarding import views
from safeguarding.forms import IdConverter

register_converter(IdConverter, "id")


class AdminSite(OTPAdminSite):
    """Django admin only for staff who have passed the second factor (the middleware already
    insists; this makes admin itself refuse too). Admin's own sign-in page is never shown:
    people sign in through the service, and a signed-in person who is not staff gets the
    service's 403 page."""

    def login(self, request, extra_context=None):
        if request.user.is_authenticated:
            if request.user.is_verified() and request.user.is_staff:
                return redirect("admin:index")
            raise PermissionDenied
        return redirect_to_login(request.get_full_path(), resolve_url("accounts:login"))


admin.site.__class__ = AdminSite
admin.site.site_header = "Case reviews administration"
admin.site.site_title = "Case reviews admin"

pages = (
    [
        path(
            "accessibility/",
            views.PublicPage.as_view(template_name="pages/accessibility.html"),
            name="accessibility",
        ),
        path(
            "privacy/",
            views.PublicPage.as_view(template_name="pages/privacy.html"),
            name="privacy",
        ),
        path(
            "cookies/",
            views.PublicPage.as_view(template_name="pages/cookies.html"),
            name="cookies",
        ),
    ],
    "pages",
)

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("account/", include("safeguarding.accounts.urls")),
    path("cases/", include("safeguarding.cases.urls")),
    path("files/", include("safeguarding.files.urls")),
    path("reports/", include("safeguarding.reports.urls")),
    path("", include("safeguarding.deadlines.urls")),
    path("", include("safeguarding.contributions.urls")),
    path("", include("safeguarding.actions.urls")),
    path("", include("notifications.urls")),
    path("", include("rapid_reviews.urls")),
    path("", include("cspr.urls")),
    path("", include("panel.urls")),
    path("audit/access-log/", views.AccessLogView.as_view(), name="access_log"),
    path("emails/", views.EmailsNeedingAttentionView.as_view(), name="emails_needing_attention"),
    path("emails/<id:pk>/resend/", views.ResendEmailView.as_view(), name="resend_email"),
    path("", include(pages)),
    path("healthz", views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
]

handler403 = "safeguarding.views.permission_denied"
handler404 = "safeguarding.views.page_not_found"
handler500 = "safeguarding.views.server_error"
