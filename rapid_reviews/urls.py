from django.urls import path

from . import views

app_name = "rapid_reviews"
R = "cases/<str:reference>/rapid-review/"

urlpatterns = [
    path("cases/<str:reference>/rapid-review/start/", views.OpenView.as_view(), name="open"),
    path(R, views.TaskListView.as_view(), name="detail"),
    path(R + "criteria/", views.CriteriaView.as_view(), name="criteria"),
    path(R + "decision/", views.DecisionView.as_view(), name="decision"),
    path(R + "sign-off/", views.SignOffView.as_view(), name="sign_off"),
    path(R + "send/", views.SendView.as_view(), name="send"),
    path(R + "final/", views.FinaliseView.as_view(), name="finalise"),
    path(R + "final/reopen/", views.ReopenView.as_view(), name="reopen"),
    path(R + "final.pdf", views.FinalPdfView.as_view(), name="final_pdf"),
    path(R + "reply/", views.ReplyView.as_view(), name="reply"),
    path(R + "pdf/", views.PdfView.as_view(), name="pdf"),
    path(R + "sent.pdf", views.SentPdfView.as_view(), name="sent_pdf"),
    path(R + "<slug:section>/", views.SectionView.as_view(), name="section"),
]
