from django.apps import AppConfig


class RapidReviewsConfig(AppConfig):
    name = "rapid_reviews"
    verbose_name = "Rapid reviews"

    def ready(self):
        from safeguarding import home
        from safeguarding.cases import panels
        from safeguarding.deadlines import links
        from safeguarding.deadlines.rules import Kind
        from safeguarding.reports import figures

        from . import figures as review_figures
        from . import home as sections
        from . import selectors

        panels.register(
            order=20,
            template="rapid_reviews/_case_panel.html",
            context=selectors.case_panel,
            section="rapid-review",
            title="Rapid review",
        )
        panels.register_next_steps(selectors.next_steps)
        panels.register_timeline_source(selectors.review_history)
        figures.register(review_figures.SENT_ON_TIME)
        figures.register(review_figures.REPLIES)
        figures.register(review_figures.DECISIONS)
        # D5 is done on the rapid review (started or not: its page says), D6 on the reply.
        links.register(Kind.RAPID_REVIEW, selectors.review_link)
        links.register(Kind.PANEL_REPLY, selectors.reply_link)
        home.register_waiting(
            name="rapid_review_sign_offs",
            order=50,
            queryset=sections.sign_offs_waiting,
            items=sections.sign_off_items,
        )
