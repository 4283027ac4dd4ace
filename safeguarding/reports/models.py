"""Reports hold no data of their own: every figure is computed from the records each app keeps
(see figures.py). The model is here only to carry the reports' permissions."""

from django.db import models


class Report(models.Model):
    class Meta:
        managed = False
        default_permissions = ()
        permissions = [
            ("view_reports", "Can see the reports dashboard and the yearly report pack"),
            ("export_data", "Can export lists of cases, clocks, requests and reminders"),
        ]

    def __str__(self):
        return "Reports"
