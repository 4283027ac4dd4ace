from django.apps import AppConfig


class ContributionsConfig(AppConfig):
    name = "safeguarding.contributions"
    label = "contributions"
    verbose_name = "Agency contributions"

    def ready(self):
        from safeguarding import home
        from safeguarding.cases import panels
        from safeguarding.deadlines import recipients
        from safeguarding.deadlines.rules import Kind
        from safeguarding.files import kinds

        from . import files, selectors
        from . import home as sections

        # Reminders about a request go to the contributors of the agency asked.
        recipients.register(Kind.AGENCY_RESPONSE, selectors.request_contributors)
        recipients.register_label(Kind.AGENCY_RESPONSE, selectors.request_agencies)
        panels.register(
            order=25, template="contributions/_case_panel.html", context=selectors.case_panel
        )
        panels.register_timeline_source(selectors.request_history)
        home.register(order=70, name="agency_requests", builder=sections.agency_requests)
        kinds.register(files.PDF)
        kinds.register(files.CSV)
