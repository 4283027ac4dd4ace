from django.contrib import admin

from .models import AccessLog, SecurityEvent, StatusChange


class ReadOnlyAdmin(admin.ModelAdmin):
    """The audit can be read in admin and never changed, not even by a superuser."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SecurityEvent)
class SecurityEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "kind", "email", "user", "ip_address"]
    list_filter = ["kind"]
    search_fields = ["email", "user__email", "ip_address"]
    date_hierarchy = "at"
    list_select_related = ["user"]


@admin.register(AccessLog)
class AccessLogAdmin(ReadOnlyAdmin):
    list_display = ["at", "user", "action", "object_repr", "ip_address"]
    list_filter = ["action", "content_type"]
    search_fields = ["user__email", "object_repr", "path"]
    date_hierarchy = "at"
    list_select_related = ["user", "content_type"]


@admin.register(StatusChange)
class StatusChangeAdmin(ReadOnlyAdmin):
    list_display = ["at", "transition", "from_status", "to_status", "by"]
    list_filter = ["content_type", "transition"]
    list_select_related = ["by"]
