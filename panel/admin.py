from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import PanelMember


@admin.register(PanelMember)
class PanelMemberAdmin(SimpleHistoryAdmin):
    """Membership is reference data: who sits on the Panel, for which partner, and their one
    named deputy (the deputy is one field, so a second deputy cannot be added)."""

    list_display = ("user", "panel_role", "agency", "partner", "deputy", "start_date", "end_date")
    list_filter = ("panel_role", "partner")
    search_fields = ("user__full_name", "deputy__full_name", "agency__name")
    autocomplete_fields = ("user", "deputy", "agency")
    readonly_fields = ("version",)
