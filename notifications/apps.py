from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "Notifications"

    def ready(self):
        from safeguarding.cases import panels
        from safeguarding.cases.services import on_case_updated
        from safeguarding.reports import figures

        from . import figures as notification_figures
        from . import selectors, services

        panels.register(
            order=10, template="notifications/_case_panel.html", context=selectors.case_panel
        )
        panels.register_timeline_source(selectors.referral_history)
        panels.register_timeline_source(selectors.notification_history)
        on_case_updated(services.sync_notification_clocks)
        figures.register(notification_figures.REFERRALS)
        figures.register(notification_figures.NOTIFIED_ON_TIME)
