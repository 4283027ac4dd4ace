from django.contrib import admin

from safeguarding.audit.admin import ReadOnlyAdmin

from .models import OutboundEmail


@admin.register(OutboundEmail)
class OutboundEmailAdmin(ReadOnlyAdmin):
    """What the service emailed, and any delivery failures (retried automatically)."""

    list_display = ["created_at", "kind", "to_address", "status", "attempts", "sent_at"]
    list_filter = ["status", "kind"]
    search_fields = ["to_address", "subject"]
    date_hierarchy = "created_at"
    exclude = ["body_html"]
