"""Security events into the audit log (recording only: no business rule lives here), and the
start of the session's absolute limit at sign-in."""

from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import m2m_changed
from django.dispatch import receiver

from safeguarding.audit.models import SecurityEvent
from safeguarding.audit.services import record_security_event

from .middleware import start_session_clock

User = get_user_model()


@receiver(user_logged_in, dispatch_uid="audit_login")
def on_login(sender, request, user, **kwargs):
    record_security_event(kind=SecurityEvent.Kind.LOGIN, request=request, user=user)


@receiver(user_logged_in, dispatch_uid="session_absolute_limit")
def on_login_start_session_clock(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        start_session_clock(request)


@receiver(user_logged_out, dispatch_uid="audit_logout")
def on_logout(sender, request, user, **kwargs):
    if user is not None:
        record_security_event(kind=SecurityEvent.Kind.LOGOUT, request=request, user=user)


@receiver(user_login_failed, dispatch_uid="audit_login_failed")
def on_login_failed(sender, credentials, request=None, **kwargs):
    email = (credentials or {}).get("username") or (credentials or {}).get("email") or ""
    user = User.objects.filter(email__iexact=email).first() if email else None
    record_security_event(
        kind=SecurityEvent.Kind.LOGIN_FAILED, request=request, user=user, email=email
    )


@receiver(user_locked_out, dispatch_uid="audit_locked_out")
def on_locked_out(sender, request, username=None, ip_address=None, **kwargs):
    user = User.objects.filter(email__iexact=username).first() if username else None
    record_security_event(
        kind=SecurityEvent.Kind.LOCKED_OUT, request=request, user=user, email=username or ""
    )


@receiver(m2m_changed, sender=User.groups.through, dispatch_uid="audit_role_change")
def on_role_change(sender, instance, action, reverse, pk_set, **kwargs):
    """Role (group) membership changes, from admin or anywhere else."""
    if action not in ("post_add", "post_remove") or not pk_set:
        return

    kind = (
        SecurityEvent.Kind.ROLE_GRANTED if action == "post_add" else SecurityEvent.Kind.ROLE_REVOKED
    )
    if reverse:  # group.user_set.add(...)
        group_names = [instance.name]
        users = User.objects.filter(pk__in=pk_set)
    else:
        group_names = list(Group.objects.filter(pk__in=pk_set).values_list("name", flat=True))
        users = [instance]
    for user in users:
        for name in group_names:
            record_security_event(kind=kind, user=user, detail=name)
