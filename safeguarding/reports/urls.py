from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("yearly-pack/", views.YearlyPackView.as_view(), name="pack"),
    path("exports/", views.ExportListView.as_view(), name="exports"),
    path("exports/<slug:key>/", views.ExportView.as_view(), name="export"),
]
