from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "safeguarding.accounts"
    label = "accounts"
    verbose_name = "Accounts and agencies"

    def ready(self):
        from django.db.models.signals import post_migrate

        from safeguarding.outbox.sending import register_renderer

        from . import emails, receivers  # noqa: F401  receivers: security events into the audit
        from .roles import sync_role_permissions

        register_renderer(emails.PASSWORD_RESET, emails.password_reset)

        # Roles are groups (made by a data migration); what each role may do is the table in
        # roles.py, applied after every migrate so a new permission reaches its roles.
        post_migrate.connect(sync_role_permissions, dispatch_uid="accounts.sync_roles")
