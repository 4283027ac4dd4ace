import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect, resolve_url
from django.utils.functional import LazyObject, empty

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


class SignedInPersonMiddleware:
    """`request.user` as the person object itself from here on, rather than Django's and
    django-otp's lazy wrappers around it (one inside the other). A page reads it hundreds of
    times (each permission, each gate, each template line), and each read through the two
    wrappers was a Python call of its own (docs/performance.md, "Nineteenth round"). Every
    page behind it needs the person anyway; the health check and static files never get here."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        while isinstance(user, LazyObject):
            if user._wrapped is empty:
                user._setup()
            user = user._wrapped
        if user is not None:
            request.user = user
        return self.get_response(request)


# When the person signed in (seconds since the epoch), kept in their session.
SIGNED_IN_AT = "signed_in_at"
# When the session's idle clock was last wound back (seconds since the epoch).
SEEN_AT = "seen_at"


def start_session_clock(request):
    """Called at sign-in (accounts.receivers): the absolute limit counts from here."""
    request.session[SIGNED_IN_AT] = time.time()


def _duration(seconds):
    hours, rest = divmod(int(seconds), 3600)
    if rest == 0:
        return f"{hours} hour{'s' if hours != 1 else ''}"
    minutes = int(seconds) // 60
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


class SessionAbsoluteLimitMiddleware:
    """A session ends SESSION_ABSOLUTE_SECONDS (a working day) after sign-in, however busy it
    has been, on top of the idle limit (SESSION_COOKIE_AGE). The person is signed out and sent
    to sign in again, with a message saying why.

    The idle limit counts from the last save of the session. Saving it on every request (an
    UPDATE and a commit per page, about a tenth of a light page's time) is more than the
    limit needs: the session is marked changed, and so saved with a fresh expiry, when it was
    last wound back more than SESSION_IDLE_REFRESH_SECONDS ago. A quiet session still ends
    SESSION_COOKIE_AGE after its last page, give or take that minute."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            signed_in_at = request.session.get(SIGNED_IN_AT)
            now = time.time()
            if signed_in_at is None:
                # A session from before this limit existed: its clock starts now.
                request.session[SIGNED_IN_AT] = now
            elif now - signed_in_at >= settings.SESSION_ABSOLUTE_SECONDS:
                logout(request)
                messages.info(
                    request,
                    "You have been signed out because you signed in more than "
                    f"{_duration(settings.SESSION_ABSOLUTE_SECONDS)} ago. Sign in again to "
                    "carry on.",
                )
                return redirect_to_login(request.get_full_path(), resolve_url(settings.LOGIN_URL))
            seen_at = request.session.get(SEEN_AT)
            if seen_at is None or now - seen_at >= settings.SESSION_IDLE_REFRESH_SECONDS:
                request.session[SEEN_AT] = now
        return self.get_response(request)


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
