from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("sign-in/", views.LoginView.as_view(), name="login"),
    path("sign-out/", views.LogoutView.as_view(), name="logout"),
    path("security-code/", views.TwoFactorView.as_view(), name="two_factor"),
    path("security-code/set-up/", views.TwoFactorSetupView.as_view(), name="two_factor_setup"),
    path("security-code/backup-codes/", views.BackupCodesView.as_view(), name="backup_codes"),
    path("preferences/", views.PreferencesView.as_view(), name="preferences"),
    path("password-reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path("password-reset/sent/", views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "password-reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password-reset/complete/",
        views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]
