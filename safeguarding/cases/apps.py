from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "safeguarding.cases"
    label = "cases"
    verbose_name = "Cases"
