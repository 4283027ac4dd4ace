from django.apps import AppConfig


class CsprConfig(AppConfig):
    name = "cspr"
    verbose_name = "Local reviews (LCSPR)"

    def ready(self):
        from rapid_reviews import services as rapid_review_services
        from safeguarding import home
        from safeguarding.actions import services as action_services
        from safeguarding.cases import panels
        from safeguarding.deadlines import links, recipients
        from safeguarding.deadlines.rules import Kind
        from safeguarding.files import kinds
        from safeguarding.reports import figures

        from . import figures as review_figures
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
        # D14: chased on the Case Review Panel members still to comment; links to the draft.
        links.register(Kind.FACTUAL_ACCURACY, selectors.draft_link)
        recipients.register(Kind.FACTUAL_ACCURACY, selectors.factual_accuracy_owners)
        recipients.register_label(Kind.FACTUAL_ACCURACY, selectors.factual_accuracy_waits_on)
        # The partners' decision at the rapid review starts (or not) the local review.
        rapid_review_services.on_signed_off(services.partners_signed_off)
        rapid_review_services.on_reply(services.reply_recorded)
        kinds.register(review_files.PACK)
        kinds.register(review_files.BRIEFING)
        # The last action of a published review's plan finished: the review and case close.
        action_services.on_finished(services.action_finished)
        figures.register(review_figures.LEARNING_THEMES)
        figures.register(review_figures.PUBLISHED_IN_TIME)
        figures.register(review_figures.SENT_BEFORE_PUBLICATION)
        figures.register(review_figures.REVIEWS)
        home.register(order=35, name="reviews_to_commission", builder=sections.to_commission)
        home.register(
            order=36, name="local_reviews_in_progress", builder=sections.reviews_in_progress
        )
        home.register(
            order=55, name="lead_reviewer_reviews", builder=sections.lead_reviewer_reviews
        )
        home.register_waiting(
            name="review_clocks",
            order=55,
            queryset=sections.review_clocks_owed,
            items=sections.review_clock_items,
        )
        home.register_waiting(
            name="requests_to_the_reviewer",
            order=56,
            queryset=sections.reviewer_requests_owed,
            items=sections.reviewer_request_items,
        )
        home.register_waiting(
            name="factual_accuracy_comments",
            order=57,
            queryset=sections.comments_owed,
            items=sections.comment_items,
        )
        home.register_waiting(
            name="final_approvals",
            order=60,
            queryset=sections.final_approvals_waiting,
            items=sections.final_approval_items,
        )
        home.register_waiting(
            name="plan_sign_offs",
            order=61,
            queryset=sections.plan_sign_offs_waiting,
            items=sections.plan_sign_off_items,
        )
