# The outbound email model moves here from the deadlines app, keeping its table (renamed in
# 0002): every sender uses the one outbox, not only the chase.

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("deadlines", "0003_alter_outboundemail_kind"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="OutboundEmail",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("to_address", models.EmailField(max_length=254)),
                        (
                            "kind",
                            models.CharField(
                                choices=[
                                    ("digest", "Daily digest"),
                                    ("immediate", "Single reminder"),
                                    ("escalation", "Escalation"),
                                    ("manual", "Chased by hand"),
                                    ("notice", "Notice (e.g. a new request)"),
                                ],
                                max_length=12,
                            ),
                        ),
                        ("day", models.DateField()),
                        ("subject", models.CharField(max_length=250)),
                        ("body_text", models.TextField()),
                        ("body_html", models.TextField(blank=True)),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("pending", "Waiting to send"),
                                    ("sent", "Sent"),
                                    ("failed", "Failed"),
                                ],
                                default="pending",
                                max_length=10,
                            ),
                        ),
                        ("attempts", models.PositiveSmallIntegerField(default=0)),
                        ("last_error", models.TextField(blank=True)),
                        (
                            "next_attempt_at",
                            models.DateTimeField(default=django.utils.timezone.now),
                        ),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("sent_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "recipient",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="outbound_emails",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "ordering": ["-created_at"],
                        "db_table": "deadlines_outboundemail",
                        "indexes": [
                            models.Index(
                                fields=["status", "next_attempt_at"],
                                name="deadlines_o_status_e72804_idx",
                            )
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
