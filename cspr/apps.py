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
        links.register(Kind.PROGRESS_CHECK, selectors.progress_link)
        links.register(Kind.PRE_PUBLICATION_COPY, selectors.report_sent_link)
        links.register(Kind.KEEP_PUBLISHED, selectors.review_link)
        links.register(Kind.PUBLICATION_REASONS, selectors.publication_delay_link)
        # The partners' decision at the rapid review starts (or not) the local review.
        rapid_review_services.on_signed_off(services.decision_signed_off)
        rapid_review_services.on_reply(services.reply_recorded)
        kinds.register(review_files.PACK)
        home.register(order=35, name="reviews_to_commission", builder=sections.to_commission)
        home.register_waiting(
            name="final_approvals",
            order=60,
            queryset=sections.final_approvals_waiting,
            items=sections.final_approval_items,
        )
