# The outbox gets its own table name and what sending at most once needs: a "being sent" state
# committed before the mail server is called, an "unknown" state for a send whose outcome was
# never recorded, sign-in emails rendered at sending time, and who resent an email.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("outbox", "0001_initial"),
        ("deadlines", "0004_outboundemail_moves_to_outbox"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterModelTable(name="outboundemail", table=None),
        migrations.RenameIndex(
            model_name="outboundemail",
            new_name="outbox_status_next_idx",
            old_name="deadlines_o_status_e72804_idx",
        ),
        migrations.AlterModelOptions(
            name="outboundemail",
            options={
                "ordering": ["-created_at"],
                "permissions": [
                    ("resend_email", "Can resend an email whose delivery is not known")
                ],
            },
        ),
        migrations.AddField(
            model_name="outboundemail",
            name="renderer",
            field=models.CharField(blank=True, max_length=40),
        ),
        migrations.AddField(
            model_name="outboundemail",
            name="sending_since",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="outboundemail",
            name="resent_by",
            field=models.ForeignKey(
                blank=True,
                help_text="Who asked for an email of unknown outcome to be sent again.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AlterField(
            model_name="outboundemail",
            name="kind",
            field=models.CharField(
                choices=[
                    ("digest", "Daily digest"),
                    ("immediate", "Single reminder"),
                    ("escalation", "Escalation"),
                    ("manual", "Chased by hand"),
                    ("notice", "Notice (e.g. a new request)"),
                    ("sign_in", "Sign-in link (password reset)"),
                ],
                max_length=12,
            ),
        ),
        migrations.AlterField(
            model_name="outboundemail",
            name="status",
            field=models.CharField(
                choices=[
                    ("pending", "Waiting to send"),
                    ("sending", "Being sent"),
                    ("sent", "Sent"),
                    ("failed", "Failed"),
                    ("unknown", "Not known if sent"),
                ],
                default="pending",
                max_length=10,
            ),
        ),
    ]
