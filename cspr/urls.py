from django.urls import path

from . import views

app_name = "cspr"
R = "cases/<str:reference>/local-review/"

urlpatterns = [
    path(R + "start/", views.StartView.as_view(), name="start"),
    path(R, views.DetailView.as_view(), name="detail"),
    path(R + "team/", views.TeamView.as_view(), name="team"),
    path(R + "team/<id:appointment_id>/remove/", views.RemoveView.as_view(), name="remove"),
    path(R + "national-panel-told/", views.ToldView.as_view(), name="told"),
    path(R + "terms/", views.TermsView.as_view(), name="terms"),
    path(R + "terms/agree/", views.AgreeTermsView.as_view(), name="agree_terms"),
    path(R + "national-review/", views.NationalReviewView.as_view(), name="national_review"),
    path(R + "pack/", views.PackView.as_view(), name="pack"),
    path("cases/<str:reference>/revised-decision/", views.ReviseView.as_view(), name="revise"),
    path(
        "cases/<str:reference>/revised-decision/sign-off/",
        views.RevisedSignOffView.as_view(),
        name="revised_sign_off",
    ),
    path(
        "cases/<str:reference>/no-local-review/tell-agencies/",
        views.TellAgenciesView.as_view(),
        name="tell_agencies",
    ),
    path("reviews-to-commission/", views.ToCommissionView.as_view(), name="to_commission"),
]
