"""No page of the service or of Django admin is reachable before both factors, whatever view is
added later: this walks every URL pattern."""

import pytest
from django.urls import Resolver404, resolve, reverse

from safeguarding.accounts.access import FIRST_FACTOR, PUBLIC, access_level
from safeguarding.accounts.roles import SERVICE_PERMISSIONS, Role

from ..factories import PASSWORD
from .urlwalk import all_routes

pytestmark = pytest.mark.django_db

ROUTES = all_routes()
# Reachable without signing in, by design. A new public page must be added here on purpose.
EXPECTED_PUBLIC = {
    "accounts:login",
    "accounts:password_reset",
    "accounts:password_reset_done",
    "accounts:password_reset_confirm",
    "accounts:password_reset_complete",
    "pages:accessibility",
    "pages:privacy",
    "pages:cookies",
    "healthz",
}
EXPECTED_FIRST_FACTOR = {"accounts:logout", "accounts:two_factor", "accounts:two_factor_setup"}


def test_the_walk_finds_the_urls():
    names = {r.name for r in ROUTES}
    assert {"home", "accounts:login", "admin:index", "admin:accounts_user_changelist"} <= names
    assert len(ROUTES) > 40  # admin alone has dozens


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: f"{r.name} {r.path}")
def test_every_example_path_resolves_to_its_view(route):
    try:
        match = resolve(route.path)
    except Resolver404:
        pytest.fail(f"example path {route.path} for {route.name} does not resolve")
    assert match.func == route.callback or match.url_name == route.name.split(":")[-1]


def test_public_and_first_factor_views_are_exactly_the_expected_ones():
    public = {r.name for r in ROUTES if access_level(r.callback) == PUBLIC}
    first = {r.name for r in ROUTES if access_level(r.callback) == FIRST_FACTOR}
    assert public == EXPECTED_PUBLIC
    assert first == EXPECTED_FIRST_FACTOR


@pytest.mark.parametrize(
    "route",
    [r for r in ROUTES if not r.name.startswith("admin:")],
    ids=lambda r: r.name,
)
def test_every_service_view_names_a_permission(route):
    """Deny by default: outside the public pages and the sign-in steps, a view must say which
    named permission it needs (admin has its own staff and model permissions)."""
    if access_level(route.callback) in (PUBLIC, FIRST_FACTOR):
        return
    view_class = getattr(route.callback, "view_class", None)
    assert view_class is not None, f"{route.name} must be a class-based ServiceView"
    assert getattr(view_class, "permission_required", None), (
        f"{route.name} ({view_class.__name__}) has no permission_required"
    )


@pytest.mark.parametrize(
    "route",
    [
        r
        for r in ROUTES
        if not r.name.startswith("admin:")
        and access_level(r.callback) not in (PUBLIC, FIRST_FACTOR)
    ],
    ids=lambda r: r.name,
)
def test_every_service_view_needs_a_role_not_superuser_status(route):
    """The permission a service view names is one only roles grant: being a superuser (an admin)
    gives none of them, so an admin with no role reaches no service page."""
    assert route.callback.view_class.permission_required in SERVICE_PERMISSIONS, route.name


def _protected():
    return [r for r in ROUTES if access_level(r.callback) != PUBLIC]


@pytest.mark.parametrize("route", _protected(), ids=lambda r: f"{r.name} {r.path}")
def test_anonymous_is_sent_to_sign_in(client, route):
    for method in (client.get, client.post):
        response = method(route.path)
        assert response.status_code == 302, f"{route.path} answered {response.status_code}"
        assert response.url.startswith(reverse("accounts:login"))


@pytest.fixture
def password_only_client(client, make_user):
    """Signed in with the password, second factor not yet passed. A superuser, so only the
    missing factor can be what stops them."""
    user = make_user(*Role.values, is_staff=True, is_superuser=True)
    response = client.post(
        reverse("accounts:login"), {"username": user.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    return client


@pytest.mark.parametrize(
    "route",
    [r for r in ROUTES if access_level(r.callback) not in (PUBLIC, FIRST_FACTOR)],
    ids=lambda r: f"{r.name} {r.path}",
)
def test_password_alone_reaches_nothing(password_only_client, route):
    for method in (password_only_client.get, password_only_client.post):
        response = method(route.path)
        assert response.status_code == 302, f"{route.path} answered {response.status_code}"
        assert response.url.startswith(reverse("accounts:two_factor"))
