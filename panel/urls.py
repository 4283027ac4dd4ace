from django.urls import path

from . import views

app_name = "panel"
M = "panel/meetings/<id:pk>/"

urlpatterns = [
    path("panel/members/", views.MembersView.as_view(), name="members"),
    path("panel/members/add/", views.MemberAddView.as_view(), name="member_add"),
    path("panel/members/<id:pk>/", views.MemberEditView.as_view(), name="member_edit"),
    path("panel/members/<id:pk>/deputy/", views.MemberDeputyView.as_view(), name="member_deputy"),
    path("panel/meetings/", views.MeetingsView.as_view(), name="meetings"),
    path("panel/meetings/schedule/", views.ScheduleView.as_view(), name="schedule"),
    path("panel/meetings/call/", views.CallMeetingView.as_view(), name="call"),
    path(M, views.MeetingView.as_view(), name="meeting"),
    path(M + "move/", views.MeetingMoveView.as_view(), name="meeting_move"),
    path(M + "cancel/", views.MeetingCancelView.as_view(), name="meeting_cancel"),
    path(M + "invitation.ics", views.MeetingIcsView.as_view(), name="meeting_ics"),
]

ITEM = M + "items/<id:item_id>/"
urlpatterns += [
    path(M + "items/add/", views.ItemAddView.as_view(), name="item_add"),
    path(M + "papers/send/", views.SendPapersView.as_view(), name="send_papers"),
    path(M + "attendance/", views.AttendanceView.as_view(), name="attendance"),
    path(ITEM, views.ItemView.as_view(), name="item"),
    path(ITEM + "papers/", views.ItemPapersView.as_view(), name="item_papers"),
    path(ITEM + "declare/", views.DeclareView.as_view(), name="declare"),
    path(ITEM + "minutes/", views.MinutesView.as_view(), name="minutes"),
]
urlpatterns += [
    path(ITEM + "decision/", views.DecideView.as_view(), name="decide"),
    path(
        "cases/<str:reference>/virtual-decision/",
        views.VirtualDecisionView.as_view(),
        name="virtual_decision",
    ),
]
urlpatterns += [
    path(M + "approve-minutes/", views.ApproveMinutesView.as_view(), name="approve_minutes"),
    path(M + "minutes.pdf", views.MinutesPdfView.as_view(), name="minutes_pdf"),
]
urlpatterns += [
    path("panel/actions/", views.ActionLogView.as_view(), name="action_log"),
    path(M + "actions/", views.MeetingActionsView.as_view(), name="meeting_actions"),
    path(M + "actions/add/", views.ActionAddView.as_view(), name="action_add"),
    path(
        "panel/actions/<id:pk>/escalate/",
        views.EscalateActionView.as_view(),
        name="action_escalate",
    ),
]
HR = "panel/highlight-reports/"
urlpatterns += [
    path(HR, views.HighlightReportsView.as_view(), name="highlight_reports"),
    path(HR + "new/", views.HighlightNewView.as_view(), name="highlight_new"),
    path(HR + "<id:pk>/", views.HighlightReportView.as_view(), name="highlight_report"),
    path(HR + "<id:pk>/edit/", views.HighlightEditView.as_view(), name="highlight_edit"),
    path(HR + "<id:pk>/issue/", views.HighlightIssueView.as_view(), name="highlight_issue"),
    path(HR + "issued/<id:pk>/", views.IssuedHighlightView.as_view(), name="highlight_issued"),
    path(
        HR + "issued/<id:pk>/pdf/",
        views.IssuedHighlightPdfView.as_view(),
        name="highlight_pdf",
    ),
]
