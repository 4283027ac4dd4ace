from .models import AccessLog


def access_log(q=""):
    """The access log, newest first, optionally searched by what was read or who read it."""
    logs = AccessLog.objects.select_related("user", "content_type").order_by("-at", "-id")
    if q:
        logs = logs.filter(object_repr__icontains=q) | logs.filter(user__email__icontains=q)
    return logs
