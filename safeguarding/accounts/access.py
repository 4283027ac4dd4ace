"""Who may reach a view. Deny by default.

Every view needs a logged-in user who has passed the second factor (RequireSecondFactorMiddleware)
and a named permission (ServiceView.permission_required). Only views marked here are reachable
earlier: `public` ones by anyone (login, password reset, the accessibility statement), and
ones with `access_level = FIRST_FACTOR` between the password and the second factor (the code
and set-up pages).
"""

from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ImproperlyConfigured
from django.urls import Resolver404

from safeguarding.paths import view_at

PUBLIC = "public"
FIRST_FACTOR = "first_factor"


def public(view):
    view.access_level = PUBLIC
    return view


def access_level(view_func):
    """The access level a resolved view declares, or None (the default: second factor)."""
    level = getattr(view_func, "access_level", None)
    if level is None:
        level = getattr(getattr(view_func, "view_class", None), "access_level", None)
    return level


class ServiceView(PermissionRequiredMixin):
    """Base for every page of the service: a named permission is required, never implied.

    The middleware has already made sure the user is logged in and verified; a user without the
    permission gets the GOV.UK-styled 403 page.
    """

    raise_exception = True

    def get_permission_required(self):
        if not self.permission_required:
            raise ImproperlyConfigured(f"{type(self).__name__} must name a permission_required")
        return super().get_permission_required()


def may_open(user, path):
    """Whether the page at `path` lets this person in by its named permission: for a link to
    show only to someone it will not refuse. The visibility gate is the caller's to have
    applied (the link's case is one they can see)."""
    try:
        view = getattr(view_at(path), "view_class", None)
    except Resolver404:
        return False
    if view is None or not issubclass(view, ServiceView):
        return True  # not a service page (a public one): nothing named to hold
    required = view.permission_required  # every ServiceView names one
    return user.has_perms((required,) if isinstance(required, str) else required)


def normalise_email(value):
    """How a sign-in name is compared: without surrounding spaces, in lower case. Used before
    both the account lookup and the failed-sign-in count, so no respelling of an address gets
    a fresh count of guesses."""
    return (value or "").strip().lower()


def axes_username(request, credentials=None):
    """django-axes' AXES_USERNAME_CALLABLE: the normalised sign-in name it counts failures by."""
    if credentials and credentials.get("username") is not None:
        return normalise_email(credentials["username"])
    return normalise_email(request.POST.get("username", "") if request is not None else "")
