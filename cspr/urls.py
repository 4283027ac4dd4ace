from django.urls import path

from . import views

app_name = "cspr"
R = "cases/<str:reference>/local-review/"
D = "drafts/<id:draft_id>/"

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
    path(R + "progress/", views.ProgressCheckView.as_view(), name="progress"),
    path(R + "reviewer-requests/", views.ReviewerRequestView.as_view(), name="reviewer_requests"),
    path(
        R + "reviewer-requests/<id:request_id>/answered/",
        views.ReviewerAnswerView.as_view(),
        name="reviewer_answered",
    ),
    path(R + "first-panel-meeting/", views.FirstMeetingView.as_view(), name="first_meeting"),
    path(R + "delay/", views.DelayView.as_view(), name="delay"),
    path(R + "approval/", views.ApprovalView.as_view(), name="approval"),
    path(R + "publication/plan/", views.PlanPublicationView.as_view(), name="plan_publication"),
    path(R + "publication/report-sent/", views.ReportSentView.as_view(), name="report_sent"),
    path(R + "publication/publish/", views.PublishView.as_view(), name="publish"),
    path(R + "publication/late-reason/", views.LateReasonView.as_view(), name="late_reason"),
    path(
        R + "publication/delayed/",
        views.PublicationDelayView.as_view(),
        name="publication_delay",
    ),
    path(
        "local-reviews/awaiting-approval/",
        views.AwaitingApprovalView.as_view(),
        name="awaiting_approval",
    ),
    path(
        "local-reviews/<id:review_id>/final-approval/",
        views.FinalApprovalView.as_view(),
        name="final_approval",
    ),
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
    # Drafts of the report and factual accuracy (D14)
    path(R + "drafts/", views.DraftsView.as_view(), name="drafts"),
    path(R + D, views.DraftView.as_view(), name="draft"),
    path(R + D + "file/", views.DraftFileView.as_view(), name="draft_file"),
    path(R + D + "circulate/", views.CirculateView.as_view(), name="circulate"),
    path(R + D + "close/", views.CloseCommentsView.as_view(), name="close_comments"),
    path(R + D + "agencies/<id:agency_id>/", views.AgencyCommentsView.as_view(), name="comments"),
    path(
        R + D + "agencies/<id:agency_id>/complete/",
        views.FinishCommentsView.as_view(),
        name="finish_comments",
    ),
    path(R + D + "comments/<id:comment_id>/", views.CommentEditView.as_view(), name="comment"),
    path(
        R + D + "comments/<id:comment_id>/withdraw/",
        views.CommentWithdrawView.as_view(),
        name="withdraw_comment",
    ),
    path(R + D + "comments/<id:comment_id>/respond/", views.RespondView.as_view(), name="respond"),
    # Learning events and the family's part
    path(R + "learning-events/", views.LearningEventsView.as_view(), name="learning_events"),
    path(
        R + "learning-events/<id:event_id>/",
        views.LearningEventView.as_view(),
        name="learning_event",
    ),
    path(
        R + "learning-events/<id:event_id>/attendance/",
        views.AttendanceView.as_view(),
        name="attendance",
    ),
    path(R + "family/", views.FamilyView.as_view(), name="family"),
    path(R + "family/<id:record_id>/", views.FamilyEditView.as_view(), name="family_edit"),
    path("reviews-to-commission/", views.ToCommissionView.as_view(), name="to_commission"),
    # Recommendations, the action plan and its sign-off; learning themes and the briefing.
    path(R + "action-plan/", views.ActionPlanView.as_view(), name="action_plan"),
    path(
        R + "action-plan/recommendations/new/",
        views.RecommendationAddView.as_view(),
        name="recommendation_add",
    ),
    path(
        R + "action-plan/recommendations/<id:recommendation_id>/",
        views.RecommendationEditView.as_view(),
        name="recommendation_edit",
    ),
    path(
        R + "action-plan/recommendations/<id:recommendation_id>/actions/new/",
        views.RecommendationActionView.as_view(),
        name="recommendation_action",
    ),
    path(R + "action-plan/sign-off/", views.PlanSignOffView.as_view(), name="plan_sign_off"),
    path(
        "local-reviews/<id:review_id>/action-plan-sign-off/",
        views.PlanApprovalView.as_view(),
        name="plan_approval",
    ),
    path(R + "themes/", views.ThemesView.as_view(), name="themes"),
    path(R + "briefing/", views.BriefingView.as_view(), name="briefing"),
    path(R + "briefing/pdf/", views.BriefingPdfView.as_view(), name="briefing_pdf"),
    path("learning-themes/", views.LearningThemesView.as_view(), name="learning_themes"),
]
