from axes.helpers import get_client_ip_address
from django.contrib.contenttypes.models import ContentType

from .models import AccessLog, SecurityEvent


def client_ip(request):
    """The client's address, honouring the trusted-proxy setting axes already uses."""
    if request is None:
        return None
    return get_client_ip_address(request) or None


def record_security_event(*, kind, request=None, user=None, email="", detail=""):
    if user is not None and not getattr(user, "pk", None):
        user = None
    return SecurityEvent.objects.create(
        kind=kind,
        user=user,
        email=(email or getattr(user, "email", "") or "")[:254],
        detail=detail[:500],
        ip_address=client_ip(request),
        user_agent=(request.META.get("HTTP_USER_AGENT", "") if request else "")[:300],
    )


def record_access(*, request, obj=None, action=AccessLog.Action.VIEW, description=""):
    """Who read what, when and from where: a case page, a download, an export, a PDF."""
    return AccessLog.objects.create(
        user=request.user,
        action=action,
        content_type=ContentType.objects.get_for_model(obj) if obj is not None else None,
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=(description or str(obj))[:200],
        path=request.get_full_path()[:500],
        ip_address=client_ip(request),
    )
