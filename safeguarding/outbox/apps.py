from django.apps import AppConfig


class OutboxConfig(AppConfig):
    name = "safeguarding.outbox"
    label = "outbox"
    verbose_name = "Email"

    def ready(self):
        from safeguarding import home

        from . import home as sections

        home.register(order=5, name="emails", builder=sections.emails_needing_attention)
