"""Small helpers shared by the tests."""

from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from .factories import PASSWORD


def current_code(user):
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def sign_in(client, user, *, password=PASSWORD, code=None):
    """Sign in through the real pages: password, then the security code."""
    response = client.post(
        reverse("accounts:login"), {"username": user.email, "password": password}
    )
    assert response.status_code == 302, response.content[:500]
    response = client.post(reverse("accounts:two_factor"), {"code": code or current_code(user)})
    assert response.status_code == 302, response.content[:500]
    return response


def verified_client(client, user):
    """A client logged in past the second factor, without walking the pages (faster)."""
    from django_otp import DEVICE_ID_SESSION_KEY

    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client
