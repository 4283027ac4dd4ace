from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "safeguarding.cases"
    label = "cases"
    verbose_name = "Cases"

    def ready(self):
        from django.db.models.signals import post_migrate

        from safeguarding import home
        from safeguarding.files import kinds
        from safeguarding.reports import figures

        from . import exports, receivers
        from . import figures as case_figures
        from . import home as sections
        from .models import remember_work_on_case

        # migrate and flush may make the permissions afresh, with other ids (Django's own
        # handler, which makes them, is connected first: auth comes before cases).
        post_migrate.connect(remember_work_on_case, dispatch_uid="cases.remember_work_on_case")
        receivers.connect()

        kinds.register(exports.CSV)
        figures.register(case_figures.CASES_BY_STAGE)

        home.register(order=30, name="cases_in_progress", builder=sections.in_progress)
        home.register(order=40, name="before_the_panel", builder=sections.before_the_panel)
        # The Executive's approvals are in "Waiting for you" (cspr's final approvals) and its
        # reports in the Panel's highlight reports section: no empty placeholder of the core's.
        home.register(order=60, name="your_reviews", builder=sections.your_reviews)
