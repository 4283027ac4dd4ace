# The outbound email model now belongs to the outbox app (same table, so nothing changes in
# the database here): reminders point at it there.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("deadlines", "0003_alter_outboundemail_kind"),
        ("outbox", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="reminder",
                    name="email",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="reminders",
                        to="outbox.outboundemail",
                    ),
                ),
                migrations.DeleteModel(name="OutboundEmail"),
            ],
            database_operations=[],
        ),
    ]
