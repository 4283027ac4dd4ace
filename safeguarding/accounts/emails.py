"""Sign-in emails. Each is written at the moment it is sent (the outbox calls the renderer), so
the link in it, which lets someone choose a new password, is never stored anywhere."""

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.template import loader
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

PASSWORD_RESET = "password_reset"


def password_reset(email):
    """(subject, text, html) of the password reset email to `email.recipient`."""
    user = email.recipient
    path = reverse(
        "accounts:password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    context = {
        "partnership_name": settings.PARTNERSHIP_NAME,
        "SERVICE_NAME": settings.SERVICE_NAME,
        "link": settings.SERVICE_URL.rstrip("/") + path,
    }
    subject = loader.render_to_string("accounts/email/password_reset_subject.txt", context)
    body = loader.render_to_string("accounts/email/password_reset.txt", context)
    return "".join(subject.splitlines()), body, ""
