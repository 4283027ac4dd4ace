"""Append-only records of who did what. Nothing here is editable through the UI or admin."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class SecurityEvent(models.Model):
    class Kind(models.TextChoices):
        LOGIN = "login", "Logged in (password)"
        LOGIN_FAILED = "login_failed", "Failed login"
        LOGOUT = "logout", "Logged out"
        LOCKED_OUT = "locked_out", "Account locked"
        SECOND_FACTOR_PASSED = "2fa_passed", "Second factor passed"
        SECOND_FACTOR_FAILED = "2fa_failed", "Second factor failed"
        SECOND_FACTOR_ENROLLED = "2fa_enrolled", "Second factor set up"
        SECOND_FACTOR_RESET = "2fa_reset", "Second factor reset by an admin"
        BACKUP_CODE_USED = "backup_code_used", "Backup code used"
        BACKUP_CODES_ISSUED = "backup_codes_issued", "Backup codes issued"
        PASSWORD_RESET_REQUESTED = "password_reset_requested", "Password reset requested"
        PASSWORD_CHANGED = "password_changed", "Password changed"
        ROLE_GRANTED = "role_granted", "Role granted"
        ROLE_REVOKED = "role_revoked", "Role revoked"

    kind = models.CharField(max_length=32, choices=Kind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="security_events",
    )
    # What was typed at the login form, kept even when it matches no account.
    email = models.CharField(max_length=254, blank=True)
    detail = models.CharField(max_length=500, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-at"]
        indexes = [models.Index(fields=["user", "-at"])]

    def __str__(self):
        return (
            f"{self.get_kind_display()} – {self.email or self.user_id} – {self.at:%Y-%m-%d %H:%M}"
        )


class AccessLog(models.Model):
    """A read of something sensitive: a case page, a download, an export, a generated PDF."""

    class Action(models.TextChoices):
        VIEW = "view", "Viewed"
        DOWNLOAD = "download", "Downloaded"
        EXPORT = "export", "Exported"
        PDF = "pdf", "Generated PDF"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="access_logs"
    )
    action = models.CharField(max_length=16, choices=Action.choices)
    # What was read; empty for a read of many things at once (an export of a list).
    content_type = models.ForeignKey(
        "contenttypes.ContentType", on_delete=models.PROTECT, null=True, blank=True
    )
    object_id = models.CharField(max_length=64, blank=True)
    object_repr = models.CharField(max_length=200)
    path = models.CharField(max_length=500)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-at"]
        indexes = [
            models.Index(fields=["content_type", "object_id", "-at"]),
            models.Index(fields=["user", "-at"]),
        ]

    def __str__(self):
        return f"{self.user} {self.get_action_display().lower()} {self.object_repr}"


class StatusChange(models.Model):
    """One step of a workflow (who, when, from, to, why), for every workflow in the service."""

    content_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.PROTECT)
    object_id = models.CharField(max_length=64)
    from_status = models.CharField(max_length=40)
    to_status = models.CharField(max_length=40)
    transition = models.CharField(max_length=60)
    reason = models.TextField(blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["content_type", "object_id", "at"])]

    def __str__(self):
        return f"{self.transition}: {self.from_status} → {self.to_status}"


class FormSubmission(models.Model):
    """A form that was saved, by its one-time token: the same form sent twice (a double click,
    a resend after a slow page) is recognised and answered with the first result, never saved
    twice. Kept for a day (housekeeping removes older ones)."""

    token = models.CharField(max_length=64, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    path = models.CharField(max_length=500)
    result_url = models.CharField(max_length=500)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self):
        return f"{self.path} at {self.at:%Y-%m-%d %H:%M}"
