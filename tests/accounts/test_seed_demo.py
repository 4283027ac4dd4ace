import pytest
from django.core.management import call_command

from safeguarding.accounts.management.commands.seed_demo import DEMO_BACKUP_CODES, USERS
from safeguarding.accounts.models import Agency, User
from safeguarding.accounts.roles import Role

pytestmark = pytest.mark.django_db


def test_seed_demo_is_idempotent_and_gives_one_user_per_role(client):
    call_command("seed_demo", force=True)
    call_command("seed_demo", force=True)
    assert User.objects.count() == len(USERS)
    for role in Role.values:
        assert User.objects.filter(groups__name=role).exists(), role
    kinds = set(Agency.objects.values_list("kind", flat=True))
    assert {"local_authority", "police", "icb"} <= kinds


def test_demo_backup_codes_work_after_being_used(client):
    from django.urls import reverse

    call_command("seed_demo", force=True)
    email = "pdeo@northbridge.example"
    client.post(reverse("accounts:login"), {"username": email, "password": "demo-password-2026"})
    assert (
        client.post(reverse("accounts:two_factor"), {"code": DEMO_BACKUP_CODES[0]}).status_code
        == 302
    )
    client.post(reverse("accounts:logout"))
    call_command("seed_demo", force=True)  # resets the codes
    client.post(reverse("accounts:login"), {"username": email, "password": "demo-password-2026"})
    assert (
        client.post(reverse("accounts:two_factor"), {"code": DEMO_BACKUP_CODES[0]}).status_code
        == 302
    )
    assert client.get("/").status_code == 200
