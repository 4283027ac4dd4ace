from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import ClosureDay


@admin.register(ClosureDay)
class ClosureDayAdmin(SimpleHistoryAdmin):
    """Partnership closure days: not working days, on top of bank holidays in England."""

    list_display = ["date", "reason"]
    date_hierarchy = "date"
