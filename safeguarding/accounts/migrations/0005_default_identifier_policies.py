# The identifiers each kind of agency is shown when asked for information, as most
# partnerships would set them: name and date of birth for all; addresses where records are
# kept by address; NHS numbers for health; household names where households are known.
# A partnership changes these in Django admin.

from django.db import migrations

DEFAULTS = {
    "local_authority": {"address": True, "household": True},
    "police": {"address": True, "household": True},
    "icb": {"address": True, "nhs_number": True},
    "health_provider": {"address": True, "nhs_number": True},
    "education": {"address": True},
    "probation": {"address": True, "household": True},
    "youth_justice": {"address": True, "household": True},
    "voluntary_sector": {},
    "other": {},
}


def add_defaults(apps, schema_editor):
    IdentifierPolicy = apps.get_model("accounts", "IdentifierPolicy")
    for kind, flags in DEFAULTS.items():
        IdentifierPolicy.objects.get_or_create(kind=kind, defaults=flags)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0004_identifierpolicy_historicalidentifierpolicy")]

    operations = [migrations.RunPython(add_defaults, migrations.RunPython.noop)]
