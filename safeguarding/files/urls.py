from django.urls import path

from . import views

app_name = "files"

urlpatterns = [
    path("", views.FileListView.as_view(), name="list"),
    path("<id:pk>/", views.FileStatusView.as_view(), name="status"),
    path("<id:pk>/status/", views.FileStatusJsonView.as_view(), name="status_json"),
    path("<id:pk>/download/", views.FileDownloadView.as_view(), name="download"),
]
