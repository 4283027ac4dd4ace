"""Second factor (TOTP and backup codes): enrolment, verification, recovery."""

import base64
import secrets

from django.db import transaction
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from safeguarding.audit.models import SecurityEvent
from safeguarding.audit.services import record_security_event

AUTHENTICATOR_NAME = "Authenticator app"
BACKUP_NAME = "Backup codes"
BACKUP_CODE_COUNT = 10


def has_second_factor(user):
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def pending_totp_device(*, user):
    """The unconfirmed authenticator being set up, made once and reused until confirmed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-id").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=AUTHENTICATOR_NAME, confirmed=False)
    return device


@transaction.atomic
def confirm_totp_device(*, request, device, token):
    """Confirm a new authenticator with its first code. Returns the new backup codes, or None."""
    if not device.verify_token(token):
        record_security_event(
            kind=SecurityEvent.Kind.SECOND_FACTOR_FAILED,
            request=request,
            user=device.user,
            detail="set-up code rejected",
        )
        return None
    TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    _complete_sign_in(request, device)
    record_security_event(
        kind=SecurityEvent.Kind.SECOND_FACTOR_ENROLLED, request=request, user=device.user
    )
    return issue_backup_codes(request=request, user=device.user)


def _complete_sign_in(request, device):
    """The second factor passed: the person is fully signed in, under a new session key (as at
    the password step), so a key seen before this moment is worth nothing."""
    otp_login(request, device)
    request.session.cycle_key()


def verify_second_factor(*, request, user, token):
    """Check a code from the authenticator app or a backup code; log the user in on success."""
    token = (token or "").replace(" ", "").replace("-", "").strip()
    for device in TOTPDevice.objects.filter(user=user, confirmed=True):
        if device.verify_token(token):
            _complete_sign_in(request, device)
            record_security_event(
                kind=SecurityEvent.Kind.SECOND_FACTOR_PASSED, request=request, user=user
            )
            return device
    for device in StaticDevice.objects.filter(user=user, confirmed=True):
        if device.verify_token(token.lower()):  # consumes the code
            _complete_sign_in(request, device)
            record_security_event(
                kind=SecurityEvent.Kind.BACKUP_CODE_USED,
                request=request,
                user=user,
                detail=f"{device.token_set.count()} backup codes left",
            )
            return device
    record_security_event(kind=SecurityEvent.Kind.SECOND_FACTOR_FAILED, request=request, user=user)
    return None


def _new_code():
    # 10 characters from an unambiguous alphabet: easy to read out, hard to guess.
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
    return "".join(secrets.choice(alphabet) for _ in range(10))


@transaction.atomic
def issue_backup_codes(*, user, request=None, codes=None):
    """Replace the person's backup codes; returns the new codes (shown once, never stored plain
    anywhere else)."""
    device, _ = StaticDevice.objects.get_or_create(
        user=user, name=BACKUP_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = list(codes) if codes else [_new_code() for _ in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=c) for c in codes])
    record_security_event(kind=SecurityEvent.Kind.BACKUP_CODES_ISSUED, request=request, user=user)
    return codes


@transaction.atomic
def reset_second_factor(*, user, request=None):
    """For an admin when someone loses their phone: they set up again at next login."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    record_security_event(kind=SecurityEvent.Kind.SECOND_FACTOR_RESET, request=request, user=user)


def demo_key_base32(hex_key):
    """The base32 form authenticator apps take, of a hex TOTP key."""
    return base64.b32encode(bytes.fromhex(hex_key)).decode()


def set_reminder_preference(*, user, preference):
    user.reminder_preference = preference
    user.full_clean(exclude=["password"])
    user.save(update_fields=["reminder_preference"])
    return user
