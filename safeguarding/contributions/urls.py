from django.urls import path

from . import views

app_name = "requests"

urlpatterns = [
    path("requests/", views.RequestListView.as_view(), name="list"),
    path("requests/<id:pk>/", views.RequestDetailView.as_view(), name="detail"),
    path("requests/<id:pk>/response/", views.ResponseEditView.as_view(), name="response"),
    path("requests/<id:pk>/entries/add/", views.EntryAddView.as_view(), name="entry_add"),
    path(
        "requests/<id:pk>/entries/<id:entry_id>/edit/",
        views.EntryEditView.as_view(),
        name="entry_edit",
    ),
    path(
        "requests/<id:pk>/entries/<id:entry_id>/delete/",
        views.EntryDeleteView.as_view(),
        name="entry_delete",
    ),
    path("requests/<id:pk>/documents/add/", views.DocumentAddView.as_view(), name="document_add"),
    path(
        "requests/<id:pk>/documents/<id:document_id>/delete/",
        views.DocumentDeleteView.as_view(),
        name="document_delete",
    ),
    path("requests/<id:pk>/upload/", views.UploadView.as_view(), name="upload"),
    path(
        "requests/<id:pk>/upload/template.xlsx",
        views.UploadTemplateView.as_view(file_format="xlsx"),
        name="upload_template_xlsx",
    ),
    path(
        "requests/<id:pk>/upload/template.csv",
        views.UploadTemplateView.as_view(file_format="csv"),
        name="upload_template_csv",
    ),
    path(
        "requests/<id:pk>/upload/<id:upload_id>/",
        views.UploadStatusView.as_view(),
        name="upload_status",
    ),
    path(
        "requests/<id:pk>/upload/<id:upload_id>/status/",
        views.UploadStatusJsonView.as_view(),
        name="upload_status_json",
    ),
    path(
        "requests/<id:pk>/upload/<id:upload_id>/add/",
        views.UploadAddView.as_view(),
        name="upload_add",
    ),
    path(
        "requests/<id:pk>/upload/<id:upload_id>/cancel/",
        views.UploadCancelView.as_view(),
        name="upload_cancel",
    ),
    path("requests/<id:pk>/submit/", views.SubmitView.as_view(), name="submit"),
    path("requests/<id:pk>/nil-return/", views.NilReturnView.as_view(), name="nil_return"),
    path("requests/<id:pk>/accept/", views.AcceptView.as_view(), name="accept"),
    path("requests/<id:pk>/return/", views.ReturnView.as_view(), name="return"),
    path("requests/<id:pk>/withdraw/", views.WithdrawView.as_view(), name="withdraw"),
    path("documents/<id:pk>/", views.DocumentDownloadView.as_view(), name="document"),
    path("cases/<str:reference>/requests/new/", views.SendRequestsView.as_view(), name="send"),
    path("cases/<str:reference>/chronology/", views.ChronologyView.as_view(), name="chronology"),
    path(
        "cases/<str:reference>/chronology/csv/",
        views.ChronologyCsvView.as_view(),
        name="chronology_csv",
    ),
    path(
        "cases/<str:reference>/chronology/pdf/",
        views.ChronologyPdfView.as_view(),
        name="chronology_pdf",
    ),
]
