from django.apps import AppConfig


class DeadlinesConfig(AppConfig):
    name = "safeguarding.deadlines"
    label = "deadlines"
    verbose_name = "Deadlines and the working-day calendar"
