from django.apps import AppConfig


class RapidReviewsConfig(AppConfig):
    name = "rapid_reviews"
    verbose_name = "Rapid reviews"

    def ready(self):
        from safeguarding.cases import panels
        from safeguarding.reports import figures

        from . import figures as review_figures
        from . import selectors

        panels.register(
            order=20, template="rapid_reviews/_case_panel.html", context=selectors.case_panel
        )
        panels.register_timeline_source(selectors.review_history)
        figures.register(review_figures.SENT_ON_TIME)
        figures.register(review_figures.REPLIES)
        figures.register(review_figures.DECISIONS)
