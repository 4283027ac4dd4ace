"""The first middleware of the stack: answers that must not depend on anything further in.

Order matters (see MIDDLEWARE in settings): RequestBodyLimitMiddleware is first, so no other
code has touched the request body; HealthCheckMiddleware is next, before SecurityMiddleware and
CommonMiddleware, so the health check is neither redirected to HTTPS nor checked against
ALLOWED_HOSTS.
"""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpResponse
from django.template import loader

from .views import healthz

HEALTH_PATH = "/healthz"


class HealthCheckMiddleware:
    """Answer the container's health check (`GET /healthz`) before anything looks at the host.

    The health check runs inside the container and speaks plain HTTP to 127.0.0.1, while a live
    install's ALLOWED_HOSTS names only its public host and SECURE_SSL_REDIRECT sends plain HTTP
    to https. Answering here, before SecurityMiddleware (the redirect) and CommonMiddleware (the
    first to call `request.get_host()`, which enforces ALLOWED_HOSTS), makes the check work
    whatever those settings are, without weakening them for any other path: we chose this over
    the health command sending an allowed Host header, which would break whenever an operator
    changes ALLOWED_HOSTS and still be redirected unless the exemption stays right too. The
    answer says only "ok" (or an error), so it gives nothing away to anyone else who asks.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info == HEALTH_PATH and request.method in ("GET", "HEAD"):
            response = healthz(request)
            response["X-Content-Type-Options"] = "nosniff"
            return response
        return self.get_response(request)


# Headers the refusal carries itself: it leaves before the middleware that would add them.
REFUSAL_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
        "font-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}


def too_large_response(request):
    """The service's own 413 page, rendered without context processors (nothing that could
    read the body or query the database)."""
    html = loader.get_template("413.html").render(
        {
            "PARTNERSHIP_NAME": settings.PARTNERSHIP_NAME,
            "SERVICE_NAME": settings.SERVICE_NAME,
            "SUPPORT_EMAIL": settings.SUPPORT_EMAIL,
            "UPLOAD_MAX_MB": settings.UPLOAD_MAX_BYTES // (1024 * 1024),
            "request": request,
            "error_page": True,
        }
    )
    response = HttpResponse(html, status=413)
    for name, value in REFUSAL_HEADERS.items():
        response[name] = value
    return response


def body_limit(request):
    """The largest body this request may have: an upload and its form for multipart bodies,
    DATA_UPLOAD_MAX_MEMORY_SIZE for any other."""
    content_type = request.META.get("CONTENT_TYPE", "")
    if content_type.lower().startswith("multipart/"):
        return settings.UPLOAD_MAX_BYTES + settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return settings.DATA_UPLOAD_MAX_MEMORY_SIZE


def content_length(request):
    """As Django reads it: a missing or malformed Content-Length is 0 (nothing will be read)."""
    try:
        return max(int(request.META.get("CONTENT_LENGTH") or 0), 0)
    except ValueError:
        return 0


def is_signed_in(request):
    user = getattr(request, "user", None)
    is_verified = getattr(user, "is_verified", None)  # django-otp's middleware adds it
    return bool(user is not None and user.is_authenticated and is_verified and is_verified())


class RequestBodyLimitMiddleware:
    """Refuse an oversized body before anything reads it, with the service's 413 page.

    * First, on the declared Content-Length alone (`__call__`, before the session, CSRF or
      anything else): more than an upload plus its form for a multipart body, more than
      DATA_UPLOAD_MAX_MEMORY_SIZE for any other.
    * Then, once the session says who is asking but before any view or CSRF reads the body
      (`process_view` runs ahead of every other middleware's, this one being first): from anyone
      not signed in (both factors), no chunked body (no Content-Length to judge it by) and
      nothing larger than a form; uploads are for signed-in people only.
    * Django's own RequestDataTooBig (the form part of a multipart body over
      DATA_UPLOAD_MAX_MEMORY_SIZE) also ends with the 413 page, never a technical page: the POST
      is parsed here, inside a `try`, where CSRF would parse it next anyway.

    The proxy in front has its own limit (nginx `client_max_body_size`, see docs/operations.md),
    so most oversized bodies never reach gunicorn.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if content_length(request) > body_limit(request):
            return too_large_response(request)
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not is_signed_in(request):
            chunked = "chunked" in request.META.get("HTTP_TRANSFER_ENCODING", "").lower()
            if chunked or content_length(request) > settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
                return too_large_response(request)
        if request.method == "POST":
            try:
                request.POST  # noqa: B018  parsed now, where its errors are ours to answer
            except RequestDataTooBig:
                return too_large_response(request)
        return None

    def process_exception(self, request, exception):
        if isinstance(exception, RequestDataTooBig):
            return too_large_response(request)
        return None
