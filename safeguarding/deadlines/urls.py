from django.urls import path

from . import views

urlpatterns = [
    path("due/", views.WhatsDueView.as_view(), name="whats_due"),
    path(
        "cases/<str:reference>/deadlines/<id:deadline_id>/chase/",
        views.ChaseNowView.as_view(),
        name="chase_now",
    ),
]
