from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import ClosureDay


@admin.register(ClosureDay)
class ClosureDayAdmin(SimpleHistoryAdmin):
    """Partnership closure days: not working days, on top of bank holidays in England."""

    list_display = ["date", "reason"]
    date_hierarchy = "date"


from safeguarding.audit.admin import ReadOnlyAdmin  # noqa: E402

from .models import OutboundEmail, Reminder  # noqa: E402


@admin.register(OutboundEmail)
class OutboundEmailAdmin(ReadOnlyAdmin):
    """What the service emailed, and any delivery failures (retried automatically)."""

    list_display = ["created_at", "kind", "to_address", "status", "attempts", "sent_at"]
    list_filter = ["status", "kind"]
    search_fields = ["to_address", "subject"]
    date_hierarchy = "created_at"


@admin.register(Reminder)
class ReminderAdmin(ReadOnlyAdmin):
    list_display = ["day", "rung", "recipient", "deadline"]
    list_filter = ["rung"]
    list_select_related = ["recipient", "deadline"]
    date_hierarchy = "day"
