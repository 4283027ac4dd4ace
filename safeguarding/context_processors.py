from django.conf import settings

from .navigation import service_navigation


def service(request):
    """Names every page carries, and the service navigation for the person looking."""
    return {
        "PARTNERSHIP_NAME": settings.PARTNERSHIP_NAME,
        "SERVICE_NAME": settings.SERVICE_NAME,
        "SUPPORT_EMAIL": settings.SUPPORT_EMAIL,
        "service_navigation": service_navigation(request),
    }
