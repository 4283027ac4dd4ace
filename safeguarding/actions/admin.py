from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from safeguarding.audit.admin import ReadOnlyAdmin

from .models import Action, ActionUpdate


class ActionUpdateInline(admin.TabularInline):
    model = ActionUpdate
    fields = ["kind", "rag", "original_name", "by", "at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Action)
class ActionAdmin(ReadOnlyAdmin, SimpleHistoryAdmin):
    """Read-only: actions change through the service (their clock, history and audit follow),
    never by hand here. Case references only; no child's details."""

    list_display = ["id", "owner_agency", "source", "due_date", "rag", "status"]
    list_filter = ["status", "rag", "source", "owner_agency"]
    list_select_related = ["owner_agency"]
    search_fields = ["description", "case__reference"]
    date_hierarchy = "due_date"
    inlines = [ActionUpdateInline]
