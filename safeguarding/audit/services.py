from django.contrib.contenttypes.models import ContentType

from .models import AccessLog, SecurityEvent


def client_ip(request):
    """The client's address, honouring the trusted-proxy setting axes already uses."""
    if request is None:
        return None
    from axes.helpers import get_client_ip_address

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


def record_access(*, request, obj, action=AccessLog.Action.VIEW):
    return AccessLog.objects.create(
        user=request.user,
        action=action,
        content_type=ContentType.objects.get_for_model(obj),
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        path=request.get_full_path()[:500],
        ip_address=client_ip(request),
    )
