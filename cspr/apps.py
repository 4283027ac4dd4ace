from django.apps import AppConfig


class CsprConfig(AppConfig):
    name = "cspr"
    verbose_name = "Local reviews (LCSPR)"

    def ready(self):
        from rapid_reviews import services as rapid_review_services
        from safeguarding import home
        from safeguarding.cases import panels
        from safeguarding.deadlines import links
        from safeguarding.deadlines.rules import Kind
        from safeguarding.files import kinds

        from . import files as review_files
        from . import home as sections
        from . import selectors, services

        panels.register(
            order=30,
            template="cspr/_case_panel.html",
            context=selectors.case_panel,
            section="local-review",
            title="Local review",
        )
        panels.register_next_steps(selectors.next_steps)
        panels.register_timeline_source(selectors.review_history)
        panels.register_timeline_source(selectors.appointment_history)
        links.register(Kind.NOTIFY_LCSPR_DECISION, selectors.told_link)
        links.register(Kind.LCSPR_PUBLISHED, selectors.review_link)
        # The partners' decision at the rapid review starts (or not) the local review.
        rapid_review_services.on_signed_off(services.decision_signed_off)
        rapid_review_services.on_reply(services.reply_recorded)
        kinds.register(review_files.PACK)
        home.register(order=35, name="reviews_to_commission", builder=sections.to_commission)
