from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "safeguarding.reports"
    label = "reports"
    verbose_name = "Reports"

    def ready(self):
        from safeguarding.files import kinds

        from . import downloads, pack

        kinds.register(downloads.KIND)
        kinds.register(pack.KIND)
