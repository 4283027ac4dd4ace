from django.apps import AppConfig


class DeadlinesConfig(AppConfig):
    name = "safeguarding.deadlines"
    label = "deadlines"
    verbose_name = "Deadlines and the working-day calendar"

    def ready(self):
        from safeguarding import home
        from safeguarding.cases import lists, panels
        from safeguarding.reports import downloads, figures

        from . import case_list, selectors, timeline
        from . import downloads as lists_of_clocks
        from . import figures as clock_figures
        from . import home as sections
        from .models import Deadline

        # The clocks show on the case page, its timeline, the case list and the home page
        # through the hooks those pages offer: cases never imports deadlines.
        panels.register(
            order=0,
            template="deadlines/_case_panel.html",
            context=selectors.case_panel,
            slot=panels.SUMMARY,
        )
        panels.register(
            order=0,
            template="deadlines/_headline.html",
            context=selectors.headline,
            slot=panels.HEADLINE,
        )
        panels.register_timeline_source(
            timeline.history, model=Deadline, describe=timeline.describe
        )
        lists.register_annotation("next_due", case_list.next_due)
        lists.register_annotation("overdue_count", case_list.overdue_count)
        lists.register_filter("deadline", case_list.deadline_filter)
        home.register(order=10, name="reminders", builder=sections.reminders)
        home.register(order=20, name="whats_due", builder=sections.whats_due)
        figures.register(clock_figures.CLOCKS_NOW)
        downloads.register_export(lists_of_clocks.CASE_CLOCKS)
        downloads.register_export(lists_of_clocks.REMINDERS)
        home.register_waiting(
            name="clocks_you_lead",
            order=10,
            queryset=sections.clocks_you_lead,
            items=sections.clock_items,
            more_href=sections.whats_due_href,
            # A PDEO may lead a thousand cases and owe 9,000 clocks (the benchmark's).
            count_apart=True,
        )
