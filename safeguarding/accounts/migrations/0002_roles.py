"""The partnership-wide roles, as groups. What each may do is applied from roles.py after
every migrate (see AccountsConfig.ready)."""

from django.db import migrations

ROLES = [
    "Business Manager",
    "PDEO",
    "Panel Chair",
    "Deputy Chair",
    "Panel Member",
    "Executive Member",
    "Agency Contributor",
    "Lead Reviewer",
]


def create_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in ROLES:
        Group.objects.get_or_create(name=name)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
