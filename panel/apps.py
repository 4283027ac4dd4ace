from django.apps import AppConfig


class PanelConfig(AppConfig):
    name = "panel"
    verbose_name = "CSPR Panel"

    def ready(self):
        from rapid_reviews import services as rapid_reviews
        from safeguarding import home
        from safeguarding.deadlines import caseless, links
        from safeguarding.deadlines.rules import Kind
        from safeguarding.files import kinds

        from . import clocks, files, services
        from . import home as sections
        from .models import Meeting

        # The third partner's sign-off ends the Panel's access to a rapid review's case.
        rapid_reviews.on_signed_off(services.rapid_review_signed_off)
        kinds.register(files.PDF)
        kinds.register(files.HIGHLIGHT)
        # D16 belongs to a meeting, not a case: seen and chased as panel/clocks.py says.
        caseless.register(
            Meeting,
            visible_ids=clocks.visible_ids,
            recipients=clocks.recipients,
            describe=clocks.describe,
        )
        links.register(Kind.MEETING_PAPERS, clocks.link)
        home.register(order=80, name="highlight_reports", builder=sections.highlight_reports)
