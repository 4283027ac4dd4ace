from django.contrib import admin

from safeguarding.audit.admin import ReadOnlyAdmin

from .models import GeneratedFile


@admin.register(GeneratedFile)
class GeneratedFileAdmin(ReadOnlyAdmin):
    """Who asked for which file, and when. The files themselves are downloaded only by the
    person who asked, through the service (gate and access log)."""

    list_display = ["requested_at", "title", "requested_by", "status", "size"]
    list_filter = ["status", "kind"]
    list_select_related = ["requested_by"]
    search_fields = ["title", "requested_by__email"]
    date_hierarchy = "requested_at"
    exclude = ["file"]
