from django.urls import path

from . import views

app_name = "actions"

urlpatterns = [
    path("actions/", views.AllActionsView.as_view(), name="list"),
    path("actions/agency/", views.AgencyActionsView.as_view(), name="agency"),
    path("actions/new/", views.NewActionView.as_view(), name="new"),
    path("actions/<id:pk>/", views.ActionDetailView.as_view(), name="detail"),
    path("actions/<id:pk>/update/", views.AddUpdateView.as_view(), name="update"),
    path("actions/<id:pk>/closure/", views.ProposeClosureView.as_view(), name="propose_closure"),
    path("actions/<id:pk>/decision/", views.DecideClosureView.as_view(), name="decide_closure"),
    path("actions/<id:pk>/carry/", views.CarryView.as_view(), name="carry"),
    path(
        "actions/<id:pk>/evidence/<id:update_id>/",
        views.EvidenceDownloadView.as_view(),
        name="evidence",
    ),
]
