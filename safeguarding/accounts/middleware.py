from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect, resolve_url

from .access import FIRST_FACTOR, PUBLIC, access_level


class RequireSecondFactorMiddleware:
    """No page of the service or of Django admin before the password and the second factor."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        level = access_level(view_func)
        if level == PUBLIC:
            return None
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path(), resolve_url(settings.LOGIN_URL))
        if level == FIRST_FACTOR or user.is_verified():
            return None
        url = resolve_url("accounts:two_factor")
        return redirect(f"{url}?{urlencode({'next': request.get_full_path()})}")


class NoStoreMiddleware:
    """Nothing a signed-in person is shown may be kept by a browser or a proxy: every page and
    download answered to a signed-in person is `Cache-Control: no-store` (one place, so a new
    view cannot forget it)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            response["Cache-Control"] = "private, no-store"
            response["Pragma"] = "no-cache"
            response["Expires"] = "0"
        return response
