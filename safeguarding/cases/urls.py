from django.urls import path

from . import views

app_name = "cases"

urlpatterns = [
    path("", views.CaseListView.as_view(), name="list"),
    path("export/", views.CaseExportView.as_view(), name="export"),
    path("<str:reference>/", views.CaseDetailView.as_view(), name="detail"),
    path("<str:reference>/edit/", views.CaseEditView.as_view(), name="edit"),
    path("<str:reference>/children/add/", views.ChildAddView.as_view(), name="child_add"),
    path(
        "<str:reference>/children/<id:child_id>/edit/",
        views.ChildEditView.as_view(),
        name="child_edit",
    ),
    path(
        "<str:reference>/escalations/add/",
        views.EscalationAddView.as_view(),
        name="escalation_add",
    ),
    path("<str:reference>/household/add/", views.HouseholdAddView.as_view(), name="household_add"),
    path(
        "<str:reference>/household/<id:member_id>/remove/",
        views.HouseholdRemoveView.as_view(),
        name="household_remove",
    ),
    path("<str:reference>/team/", views.TeamView.as_view(), name="team"),
    path(
        "<str:reference>/team/<id:member_id>/remove/",
        views.TeamRemoveView.as_view(),
        name="team_remove",
    ),
    path("<str:reference>/conflict/", views.ConflictView.as_view(), name="conflict"),
]
