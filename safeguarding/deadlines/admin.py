from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from safeguarding.audit.admin import ReadOnlyAdmin

from .models import ClosureDay, Reminder


@admin.register(ClosureDay)
class ClosureDayAdmin(SimpleHistoryAdmin):
    """Partnership closure days: not working days, on top of bank holidays in England."""

    list_display = ["date", "reason"]
    date_hierarchy = "date"


@admin.register(Reminder)
class ReminderAdmin(ReadOnlyAdmin):
    list_display = ["day", "rung", "recipient", "deadline"]
    list_filter = ["rung"]
    list_select_related = ["recipient", "deadline"]
    date_hierarchy = "day"
