from django.apps import AppConfig


class ActionsConfig(AppConfig):
    name = "safeguarding.actions"
    label = "actions"
    verbose_name = "Actions"

    def ready(self):
        from safeguarding import home
        from safeguarding.deadlines import caseless, links, recipients
        from safeguarding.deadlines.rules import Kind
        from safeguarding.reports import downloads, figures

        from . import clocks
        from . import downloads as lists_of_actions
        from . import figures as action_figures
        from . import home as sections
        from .models import Action

        # D15: the owner (else the owner agency's people) is chased; the PDEO and Chairs while
        # a closure waits for their decision. An action without a case has its clock seen
        # through the actions gate (deadlines never reaches it through a case).
        recipients.register(Kind.ACTION_DUE, clocks.recipients)
        recipients.register_label(Kind.ACTION_DUE, clocks.waits_on)
        links.register(Kind.ACTION_DUE, clocks.link)
        caseless.register(
            Action,
            visible_ids=clocks.visible_ids,
            recipients=clocks.recipients,
            describe=clocks.describe,
        )
        home.register(order=65, name="agency_actions", builder=sections.agency_actions)
        home.register(order=66, name="closures_to_decide", builder=sections.closures_to_decide)
        figures.register(action_figures.BY_RAG)
        figures.register(action_figures.BY_AGENCY)
        downloads.register_export(lists_of_actions.ACTIONS)
