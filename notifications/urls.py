from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("referrals/new/", views.ReferralCreateView.as_view(), name="referral_new"),
    path("cases/<str:reference>/screening/", views.ScreeningView.as_view(), name="screening"),
    path(
        "cases/<str:reference>/notification/",
        views.NotificationFormView.as_view(),
        name="record",
    ),
    path(
        "cases/<str:reference>/notification/check/",
        views.NotificationCheckView.as_view(),
        name="check",
    ),
    path(
        "cases/<str:reference>/notification/awareness-date/",
        views.AwarenessDateView.as_view(),
        name="awareness",
    ),
]
