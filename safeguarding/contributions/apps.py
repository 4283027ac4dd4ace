from django.apps import AppConfig


class ContributionsConfig(AppConfig):
    name = "safeguarding.contributions"
    label = "contributions"
    verbose_name = "Agency contributions"

    def ready(self):
        from safeguarding import home
        from safeguarding.cases import panels
        from safeguarding.deadlines import links, recipients
        from safeguarding.deadlines.rules import Kind
        from safeguarding.files import kinds
        from safeguarding.reports import downloads

        from . import downloads as lists_of_requests
        from . import files, receivers, selectors
        from . import home as sections

        receivers.connect()
        # Reminders about a request go to the contributors of the agency asked.
        recipients.register(Kind.AGENCY_RESPONSE, selectors.request_contributors)
        recipients.register_label(Kind.AGENCY_RESPONSE, selectors.request_agencies)
        panels.register(
            order=25,
            template="contributions/_case_panel.html",
            context=selectors.case_panel,
            section="agencies",
            title="Information from agencies",
        )
        panels.register_next_steps(selectors.next_steps)
        panels.register_timeline_source(selectors.request_history)
        home.register(order=70, name="agency_requests", builder=sections.agency_requests)
        home.register_waiting(
            name="requests_to_answer",
            order=20,
            queryset=sections.requests_to_answer,
            items=sections.answer_items,
            more_href=sections.requests_list_href,
        )
        home.register_waiting(
            name="requests_to_act_on",
            order=30,
            queryset=sections.requests_to_act_on,
            items=sections.act_on_items,
            more_href=sections.requests_list_href,
        )
        links.register(Kind.AGENCY_RESPONSE, selectors.request_link)
        kinds.register(files.PDF)
        kinds.register(files.CSV)
        downloads.register_export(lists_of_requests.REQUESTS)
