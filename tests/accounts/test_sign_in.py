from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from safeguarding.accounts import services
from safeguarding.accounts.roles import Role
from safeguarding.audit.models import SecurityEvent
from safeguarding.outbox import selectors as outbox_selectors
from safeguarding.outbox.models import OutboundEmail

from ..factories import PASSWORD
from ..helpers import current_code, sign_in

pytestmark = pytest.mark.django_db

HOME = "/"


def events(user=None, email=None):
    qs = SecurityEvent.objects.exclude(
        kind__in=[SecurityEvent.Kind.ROLE_GRANTED, SecurityEvent.Kind.ROLE_REVOKED]
    )
    if user is not None:
        qs = qs.filter(user=user)
    if email is not None:
        qs = qs.filter(email=email)
    return list(qs.order_by("at", "id").values_list("kind", flat=True))


def test_password_then_code_reaches_home(client, make_user):
    user = make_user(Role.PDEO)
    response = client.post(
        reverse("accounts:login"), {"username": user.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:two_factor"))

    # Password alone is not enough: home sends the person back to the code page.
    response = client.get(HOME)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:two_factor"))

    response = client.post(reverse("accounts:two_factor"), {"code": current_code(user)})
    assert response.status_code == 302
    assert response.url == HOME
    response = client.get(HOME)
    assert response.status_code == 200
    assert b"Your work" in response.content
    assert events(user) == [SecurityEvent.Kind.LOGIN, SecurityEvent.Kind.SECOND_FACTOR_PASSED]


def test_email_is_not_case_sensitive(client, make_user):
    user = make_user(Role.PDEO, email="Mixed.Case@agency.example".lower())
    response = client.post(
        reverse("accounts:login"), {"username": "MIXED.case@Agency.example", "password": PASSWORD}
    )
    assert response.status_code == 302
    sign_in(client, user)


def test_next_is_kept_through_both_steps(client, make_user):
    user = make_user(Role.PDEO)
    target = reverse("accounts:backup_codes")
    response = client.get(target)
    assert response.status_code == 302
    login_url = response.url
    assert login_url.startswith(reverse("accounts:login"))
    response = client.post(login_url, {"username": user.email, "password": PASSWORD})
    response = client.post(response.url, {"code": current_code(user)})
    assert response.url == target


def test_offsite_next_is_ignored(client, make_user):
    user = make_user(Role.PDEO)
    client.post(reverse("accounts:login"), {"username": user.email, "password": PASSWORD})
    response = client.post(
        reverse("accounts:two_factor") + "?next=https://evil.example/",
        {"code": current_code(user)},
    )
    assert response.url == HOME


def test_wrong_code_is_rejected_with_an_error_summary(client, make_user):
    user = make_user(Role.PDEO)
    client.post(reverse("accounts:login"), {"username": user.email, "password": PASSWORD})
    good = current_code(user)
    wrong = f"{(int(good) + 1) % 1000000:06d}"
    response = client.post(reverse("accounts:two_factor"), {"code": wrong})
    assert response.status_code == 200
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert "The security code is not right" in html
    assert "<title>Error: " in html
    assert client.get(HOME).status_code == 302
    assert SecurityEvent.Kind.SECOND_FACTOR_FAILED in events(user)


def test_empty_code_is_an_error_not_a_crash(client, make_user):
    user = make_user(Role.PDEO)
    client.post(reverse("accounts:login"), {"username": user.email, "password": PASSWORD})
    response = client.post(reverse("accounts:two_factor"), {"code": ""})
    assert response.status_code == 200
    assert "Enter the security code" in response.content.decode()


def test_wrong_password_shows_error_and_is_logged(client, make_user):
    user = make_user(Role.PDEO)
    response = client.post(reverse("accounts:login"), {"username": user.email, "password": "nope"})
    assert response.status_code == 200
    assert "Enter a correct email address and password" in response.content.decode()
    assert "govuk-error-summary" in response.content.decode()
    assert events(user) == [SecurityEvent.Kind.LOGIN_FAILED]


def test_failed_login_for_unknown_email_is_logged(client, db):
    client.post(reverse("accounts:login"), {"username": "nobody@x.example", "password": "x"})
    assert events(email="nobody@x.example") == [SecurityEvent.Kind.LOGIN_FAILED]


def test_account_locks_after_five_failures(client, make_user):
    user = make_user(Role.PDEO)
    for _ in range(4):
        response = client.post(
            reverse("accounts:login"), {"username": user.email, "password": "wrong"}
        )
        assert response.status_code == 200
    response = client.post(reverse("accounts:login"), {"username": user.email, "password": "wrong"})
    assert response.status_code == 429
    # Now even the right password is refused, with a page that says what to do.
    response = client.post(
        reverse("accounts:login"), {"username": user.email, "password": PASSWORD}
    )
    assert response.status_code == 429
    html = response.content.decode()
    assert "Your account is locked" in html
    assert "contact the partnership team" in html
    assert "govuk-heading-l" in html
    assert client.get(HOME).status_code == 302
    assert SecurityEvent.Kind.LOCKED_OUT in events(user)


def test_lockout_is_per_account(client, make_user):
    locked, other = make_user(Role.PDEO), make_user(Role.PDEO)
    for _ in range(5):
        client.post(reverse("accounts:login"), {"username": locked.email, "password": "wrong"})
    sign_in(client, other)
    assert client.get(HOME).status_code == 200


def test_lockout_ends_after_the_cool_off(client, make_user, settings):
    user = make_user(Role.PDEO)
    for _ in range(5):
        client.post(reverse("accounts:login"), {"username": user.email, "password": "wrong"})
    with time_machine.travel(timezone.now() + settings.AXES_COOLOFF_TIME + timedelta(minutes=1)):
        response = client.post(
            reverse("accounts:login"), {"username": user.email, "password": PASSWORD}
        )
        assert response.status_code == 302


def test_session_ends_after_30_minutes_idle(client, make_user):
    user = make_user(Role.PDEO)
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        sign_in(client, user)
        assert client.get(HOME).status_code == 200
        clock.shift(timedelta(minutes=29))
        assert client.get(HOME).status_code == 200  # activity keeps the session alive
        clock.shift(timedelta(minutes=29))
        assert client.get(HOME).status_code == 200
        clock.shift(timedelta(minutes=31))
        response = client.get(HOME)
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))


def test_session_cookie_ends_with_the_browser(client, make_user):
    user = make_user(Role.PDEO)
    client.post(reverse("accounts:login"), {"username": user.email, "password": PASSWORD})
    response = client.post(reverse("accounts:two_factor"), {"code": current_code(user)})
    cookie = response.cookies["sessionid"]
    assert cookie["expires"] == "" and cookie["max-age"] == ""
    assert cookie["httponly"]


def test_sign_out_ends_the_session(client, make_user):
    user = make_user(Role.PDEO)
    sign_in(client, user)
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert client.get(HOME).status_code == 302
    assert events(user)[-1] == SecurityEvent.Kind.LOGOUT


def test_first_sign_in_enrols_an_authenticator(client, make_user):
    from django_otp.oath import totp

    user = make_user(Role.PDEO, totp=False)
    response = client.post(
        reverse("accounts:login"), {"username": user.email, "password": PASSWORD}
    )
    response = client.get(response.url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:two_factor_setup"))
    response = client.get(response.url)
    html = response.content.decode()
    assert "<svg" in html and 'aria-label="QR code' in html
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    # Reloading the page keeps the same key (the QR code already scanned stays valid).
    client.get(reverse("accounts:two_factor_setup"))
    assert TOTPDevice.objects.filter(user=user).count() == 1

    response = client.post(reverse("accounts:two_factor_setup"), {"code": "000000"})
    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()

    # After a wrong code django-otp makes the next try wait (throttling): let time pass.
    with time_machine.travel(timezone.now() + timedelta(seconds=5)):
        code = f"{totp(device.bin_key):06d}"
        response = client.post(reverse("accounts:two_factor_setup"), {"code": code})
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:backup_codes"))
    device.refresh_from_db()
    assert device.confirmed

    page = client.get(response.url).content.decode()
    assert page.count("<li><code>") == services.BACKUP_CODE_COUNT
    # Shown once: a reload does not show them again.
    assert "<li><code>" not in client.get(reverse("accounts:backup_codes")).content.decode()
    assert client.get(HOME).status_code == 200
    assert SecurityEvent.Kind.SECOND_FACTOR_ENROLLED in events(user)


def test_set_up_is_refused_once_an_authenticator_exists(client, make_user):
    """Someone with only the password cannot swap in their own authenticator."""
    user = make_user(Role.PDEO)
    client.post(reverse("accounts:login"), {"username": user.email, "password": PASSWORD})
    response = client.get(reverse("accounts:two_factor_setup"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:two_factor"))
    assert TOTPDevice.objects.filter(user=user).count() == 1


def test_backup_code_works_once(client, make_user):
    user = make_user(Role.PDEO)
    codes = services.issue_backup_codes(user=user)
    client.post(reverse("accounts:login"), {"username": user.email, "password": PASSWORD})
    response = client.post(reverse("accounts:two_factor"), {"code": codes[0]})
    assert response.status_code == 302
    assert client.get(HOME).status_code == 200
    client.post(reverse("accounts:logout"))

    client.post(reverse("accounts:login"), {"username": user.email, "password": PASSWORD})
    response = client.post(reverse("accounts:two_factor"), {"code": codes[0]})
    assert response.status_code == 200
    assert client.get(HOME).status_code == 302
    assert SecurityEvent.Kind.BACKUP_CODE_USED in events(user)


def test_new_backup_codes_void_the_old(client, make_user):
    user = make_user(Role.PDEO)
    old = services.issue_backup_codes(user=user)
    sign_in(client, user)
    response = client.post(reverse("accounts:backup_codes"))
    page = client.get(response.url).content.decode()
    assert page.count("<li><code>") == services.BACKUP_CODE_COUNT
    assert old[0] not in page
    client.post(reverse("accounts:logout"))
    client.post(reverse("accounts:login"), {"username": user.email, "password": PASSWORD})
    assert client.post(reverse("accounts:two_factor"), {"code": old[0]}).status_code == 200


def test_user_without_a_role_is_refused_with_403(client, make_user):
    user = make_user()  # no role
    sign_in(client, user)
    response = client.get(HOME)
    assert response.status_code == 403
    assert "You cannot see this page" in response.content.decode()


def test_password_reset_by_email(client, make_user, django_capture_on_commit_callbacks):
    user = make_user(Role.PDEO)
    # The email is queued in the request's transaction and sent once it commits.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:password_reset"), {"email": user.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [user.email]
    link = next(line for line in message.body.splitlines() if "/password-reset/" in line)
    path = link.split("://", 1)[1].split("/", 1)[1]
    response = client.get("/" + path, follow=True)
    assert response.status_code == 200
    form_url = response.redirect_chain[-1][0]
    new_password = "a-brand-new-long-password-42"
    response = client.post(form_url, {"new_password1": new_password, "new_password2": new_password})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new_password)
    assert SecurityEvent.Kind.PASSWORD_CHANGED in events(user)
    # The outbox kept that an email went, never the link that was in it.
    stored = OutboundEmail.objects.get(recipient=user)
    assert stored.kind == OutboundEmail.Kind.SIGN_IN and stored.status == "sent"
    assert "/password-reset/" not in stored.body_text + stored.body_html + stored.subject
    assert stored not in outbox_selectors.needing_attention()
    # The new password still needs the second factor.
    response = client.post(
        reverse("accounts:login"), {"username": user.email, "password": new_password}
    )
    assert response.url.startswith(reverse("accounts:two_factor"))


def test_password_reset_for_unknown_email_says_the_same_and_sends_nothing(client, db):
    response = client.post(reverse("accounts:password_reset"), {"email": "nobody@x.example"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_password_reset_rejects_a_bad_address_with_a_summary(client, db):
    response = client.post(reverse("accounts:password_reset"), {"email": "not an email"})
    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()


def test_admin_needs_the_second_factor(client, make_user):
    admin_user = make_user(is_staff=True, is_superuser=True)
    client.post(reverse("accounts:login"), {"username": admin_user.email, "password": PASSWORD})
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:two_factor"))
    client.post(reverse("accounts:two_factor"), {"code": current_code(admin_user)})
    assert client.get("/admin/").status_code == 200


def test_role_changes_are_logged(make_user):
    from django.contrib.auth.models import Group

    user = make_user()
    user.groups.add(Group.objects.get(name=Role.PANEL_MEMBER))
    user.groups.remove(Group.objects.get(name=Role.PANEL_MEMBER))
    kinds = list(
        SecurityEvent.objects.filter(user=user).order_by("id").values_list("kind", "detail")
    )
    assert kinds == [
        (SecurityEvent.Kind.ROLE_GRANTED, Role.PANEL_MEMBER),
        (SecurityEvent.Kind.ROLE_REVOKED, Role.PANEL_MEMBER),
    ]


def test_admin_is_a_403_for_signed_in_people_who_are_not_staff(client, make_user):
    user = make_user(Role.PDEO)
    sign_in(client, user)
    for path in ("/admin/", "/admin/login/"):
        response = client.get(path, follow=True)
        assert response.status_code == 403, path
        assert "You cannot see this page" in response.content.decode()
