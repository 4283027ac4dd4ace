from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "Notifications"

    def ready(self):
        from safeguarding import home
        from safeguarding.cases import panels
        from safeguarding.cases.services import on_case_updated
        from safeguarding.deadlines import links
        from safeguarding.reports import figures

        from . import figures as notification_figures
        from . import home as sections
        from . import selectors, services

        panels.register(
            order=10,
            template="notifications/_case_panel.html",
            context=selectors.case_panel,
            section="referral",
            title="Referral and notification",
        )
        panels.register_next_steps(selectors.next_steps)
        panels.register_timeline_source(selectors.referral_history)
        panels.register_timeline_source(selectors.notification_history)
        on_case_updated(services.sync_notification_clocks)
        figures.register(notification_figures.REFERRALS)
        figures.register(notification_figures.NOTIFIED_ON_TIME)
        # D1–D4 are done by recording the notification.
        for kind in services.ALL_NOTIFICATION_CLOCKS:
            links.register(kind, selectors.notification_link)
        home.register_waiting(
            name="referrals_to_screen",
            order=5,
            queryset=sections.referrals_to_screen,
            items=sections.screening_items,
        )
