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
