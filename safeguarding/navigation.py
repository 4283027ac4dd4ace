"""The service navigation: each item shows only to people holding its permission. "Your
work" carries the count of what is waiting for the person (home.waiting_count: at most one
query per registered source, once per request)."""

from functools import lru_cache

from django.conf import settings
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse

from safeguarding import home
from safeguarding.accounts.roles import (
    OVERSEE_ACTIONS,
    UPDATE_ACTION,
    USE_SERVICE,
    VIEW_ACCESS_LOG,
    VIEW_CASE_LIST,
    VIEW_PANEL,
    VIEW_REPORTS,
    VIEW_REQUESTS,
    VIEW_REVIEWS_TO_COMMISSION,
    VIEW_WHATS_DUE,
)

# (label, url name, permission needed)
ITEMS = [
    ("Your work", "home", USE_SERVICE),
    ("Cases", "cases:list", VIEW_CASE_LIST),
    ("Requests", "requests:list", VIEW_REQUESTS),
    ("What's due", "whats_due", VIEW_WHATS_DUE),
    ("Reports", "reports:dashboard", VIEW_REPORTS),
    ("Panel", "panel:meetings", VIEW_PANEL),
    ("Actions", "actions:list", OVERSEE_ACTIONS),
    ("Your agency's actions", "actions:agency", UPDATE_ACTION),
    ("Access log", "access_log", VIEW_ACCESS_LOG),
    ("Reviews to commission", "cspr:to_commission", VIEW_REVIEWS_TO_COMMISSION),
    ("Learning themes", "cspr:learning_themes", VIEW_REPORTS),
]


@lru_cache(maxsize=64)
def _href(url_name, urlconf, prefix):
    """A navigation item's path, reversed once per process for each URL configuration and
    prefix it is asked under (they are the key, so a test's own URLs or a service mounted
    under a prefix still get their own): reversing the dozen items cost a few hundred
    microseconds of every page (docs/performance.md, "Nineteenth round"). None where the
    item's app is not installed."""
    try:
        return reverse(url_name, urlconf=urlconf)
    except NoReverseMatch:
        return None


def _path(url_name):
    return _href(url_name, get_urlconf() or settings.ROOT_URLCONF, get_script_prefix())


def service_navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_verified():
        return []
    path = request.path
    items = []
    for text, url_name, permission in ITEMS:
        if not user.has_perm(permission):
            continue
        href = _path(url_name)
        if href is None:
            continue
        current = path == href if href == "/" else path.startswith(href)
        item = {"text": text, "href": href, "current": current}
        if url_name == "home":
            item["count"] = home.waiting_count_for_request(request)
        items.append(item)
    if user.is_staff:
        items.append({"text": "Admin", "href": _path("admin:index"), "current": False})
    return items


class WaitingCountMiddleware:
    """Forget the person's kept "waiting for you" count after anything they send (a POST or
    any other unsafe method: signing in, answering, signing off), so the next page counts
    afresh and shows at once what they have just done."""

    SAFE_METHODS = ("GET", "HEAD", "OPTIONS", "TRACE")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.method not in self.SAFE_METHODS:
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated:
                home.forget_waiting_count(user.pk)
        return response
