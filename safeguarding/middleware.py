"""The first middleware of the stack: answers that must not depend on anything further in.

Order matters (see MIDDLEWARE in settings): HealthCheckMiddleware comes before SecurityMiddleware
and CommonMiddleware, so the health check is neither redirected to HTTPS nor checked against
ALLOWED_HOSTS.
"""

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
            from .views import healthz

            response = healthz(request)
            response["X-Content-Type-Options"] = "nosniff"
            return response
        return self.get_response(request)
