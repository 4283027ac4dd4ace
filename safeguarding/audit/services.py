import functools
import ipaddress
from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from .models import AccessLog, FormSubmission, SecurityEvent


def _address(text):
    try:
        address = ipaddress.ip_address((text or "").strip())
    except ValueError:
        return None
    return getattr(address, "ipv4_mapped", None) or address


def _is_trusted(address):
    return any(address in network for network in trusted_proxy_networks())


@functools.cache
def _networks(entries):
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries)


def trusted_proxy_networks():
    return _networks(tuple(settings.TRUSTED_PROXIES))


def client_ip(request):
    """The address of the person making the request: the one place the service decides it (the
    audit log records it; django-axes gets it through AXES_CLIENT_IP_CALLABLE).

    The peer (REMOTE_ADDR) unless the peer is a trusted proxy (TRUSTED_PROXIES). Then its
    X-Forwarded-For is read from the right, the end each proxy appends to, and the first address
    that is not itself a trusted proxy is the client's. Anything further left was written by the
    client and proves nothing. A malformed entry stops the walk at the last trusted hop.
    """
    if request is None:
        return None
    peer = _address(request.META.get("REMOTE_ADDR"))
    if peer is None:
        return None
    client = peer
    if _is_trusted(peer):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        for hop in reversed([h for h in forwarded.split(",") if h.strip()]):
            address = _address(hop)
            if address is None:
                break
            client = address
            if not _is_trusted(address):
                break
    return str(client)


def axes_client_str(username, ip_address, user_agent, path_info, request):
    """How django-axes names a client in its log lines (AXES_CLIENT_STR_CALLABLE): the address
    and the path, never the username, which is the person's email address. Who it was is in
    the audit (SecurityEvent), where it is protected like the rest of the service's data."""
    if isinstance(path_info, tuple | list):
        path_info = path_info[0] if path_info else ""
    return f'{{ip_address: "{ip_address}", path_info: "{path_info}"}}'


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


def forget_old_form_submissions(*, older_than=timedelta(days=1)):
    """Housekeeping: a form's one-time token only needs remembering while a resend is likely."""
    return FormSubmission.objects.filter(at__lt=timezone.now() - older_than).delete()[0]
