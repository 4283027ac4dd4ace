from django.apps import AppConfig


class PanelConfig(AppConfig):
    name = "panel"
    verbose_name = "CSPR Panel"

    def ready(self):
        from rapid_reviews import services as rapid_reviews
        from safeguarding.files import kinds

        from . import files, services

        # The third partner's sign-off ends the Panel's access to a rapid review's case.
        rapid_reviews.on_signed_off(services.rapid_review_signed_off)
        kinds.register(files.PDF)
