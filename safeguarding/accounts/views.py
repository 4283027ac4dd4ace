import base64
from urllib.parse import urlencode

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect, resolve_url
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.generic import FormView, TemplateView

from safeguarding.audit.models import SecurityEvent
from safeguarding.audit.services import record_security_event

from . import services
from .access import FIRST_FACTOR, PUBLIC, ServiceView
from .forms import (
    CodeForm,
    GovukPasswordResetForm,
    GovukSetPasswordForm,
    LoginForm,
    PreferencesForm,
)
from .roles import USE_SERVICE


def _safe_next(request, default="home"):
    candidate = request.POST.get("next") or request.GET.get("next")
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return resolve_url(default)


class LoginView(auth_views.LoginView):
    access_level = PUBLIC
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = False

    def get_success_url(self):
        # The password is only the first factor: go on to the code.
        return f"{reverse('accounts:two_factor')}?{urlencode({'next': _safe_next(self.request)})}"


class LogoutView(auth_views.LogoutView):
    access_level = FIRST_FACTOR


@method_decorator(never_cache, name="dispatch")
class TwoFactorView(FormView):
    """Ask for the code from the authenticator app (or a backup code)."""

    access_level = FIRST_FACTOR
    template_name = "accounts/two_factor.html"
    form_class = CodeForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_verified():
            return redirect(_safe_next(request))
        if not services.has_second_factor(request.user):
            url = reverse("accounts:two_factor_setup")
            return redirect(f"{url}?{urlencode({'next': _safe_next(request)})}")
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        device = services.verify_second_factor(
            request=self.request, user=self.request.user, token=form.cleaned_data["code"]
        )
        if device is None:
            form.add_error(
                "code",
                "The security code is not right or has expired. Enter the 6-digit code your "
                "authenticator app shows now, or one of your backup codes. After several wrong "
                "codes, wait a minute before trying again.",
            )
            return self.form_invalid(form)
        return redirect(_safe_next(self.request))

    def get_context_data(self, **kwargs):
        return super().get_context_data(next=_safe_next(self.request), **kwargs)


@method_decorator(never_cache, name="dispatch")
class TwoFactorSetupView(FormView):
    """First login: link an authenticator app by QR code, confirm it with its first code."""

    access_level = FIRST_FACTOR
    template_name = "accounts/two_factor_setup.html"
    form_class = CodeForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_verified() or services.has_second_factor(request.user):
            return redirect(
                f"{reverse('accounts:two_factor')}?{urlencode({'next': _safe_next(request)})}"
            )
        self.device = services.pending_totp_device(user=request.user)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        image = qrcode.make(self.device.config_url, image_factory=qrcode.image.svg.SvgPathImage)
        svg = image.to_string(encoding="unicode").replace(
            "<svg ",
            '<svg role="img" aria-label="QR code to scan with your authenticator app" ',
            1,
        )
        secret = base64.b32encode(self.device.bin_key).decode()
        return super().get_context_data(
            qr_svg=mark_safe(svg),  # generated here from our own data, not user input
            secret=" ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
            next=_safe_next(self.request),
            **kwargs,
        )

    def form_valid(self, form):
        codes = services.confirm_totp_device(
            request=self.request, device=self.device, token=form.cleaned_data["code"]
        )
        if codes is None:
            form.add_error(
                "code",
                "The security code is not right. Enter the 6-digit code your authenticator app "
                "shows for this service now. After several wrong codes, wait a minute before "
                "trying again.",
            )
            return self.form_invalid(form)
        self.request.session["new_backup_codes"] = codes
        url = reverse("accounts:backup_codes")
        return redirect(f"{url}?{urlencode({'next': _safe_next(self.request)})}")


@method_decorator(never_cache, name="dispatch")
class BackupCodesView(ServiceView, TemplateView):
    """Shows new backup codes once; asking again issues a fresh set and voids the old one."""

    permission_required = USE_SERVICE
    template_name = "accounts/backup_codes.html"

    def get_context_data(self, **kwargs):
        codes = self.request.session.pop("new_backup_codes", None)
        return super().get_context_data(codes=codes, next=_safe_next(self.request), **kwargs)

    def post(self, request, *args, **kwargs):
        request.session["new_backup_codes"] = services.issue_backup_codes(
            user=request.user, request=request
        )
        return redirect("accounts:backup_codes")


class PasswordResetView(auth_views.PasswordResetView):
    access_level = PUBLIC
    form_class = GovukPasswordResetForm
    template_name = "accounts/password_reset.html"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form):
        record_security_event(
            kind=SecurityEvent.Kind.PASSWORD_RESET_REQUESTED,
            request=self.request,
            email=form.cleaned_data["email"],
        )
        return super().form_valid(form)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    access_level = PUBLIC
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    access_level = PUBLIC
    form_class = GovukSetPasswordForm
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        record_security_event(
            kind=SecurityEvent.Kind.PASSWORD_CHANGED, request=self.request, user=form.user
        )
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    access_level = PUBLIC
    template_name = "accounts/password_reset_complete.html"


class PreferencesView(ServiceView, FormView):
    """How this person gets reminders: a daily digest or one email per reminder."""

    permission_required = USE_SERVICE
    template_name = "accounts/preferences.html"
    form_class = PreferencesForm

    def get_initial(self):
        return {"reminder_preference": self.request.user.reminder_preference}

    def form_valid(self, form):
        services.set_reminder_preference(
            user=self.request.user, preference=form.cleaned_data["reminder_preference"]
        )
        messages.success(self.request, "Your reminder preference has been saved")
        return redirect("accounts:preferences")
