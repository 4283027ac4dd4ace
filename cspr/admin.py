from django.contrib import admin
from django.db.models import Count
from simple_history.admin import SimpleHistoryAdmin

from .models import LearningTheme


@admin.register(LearningTheme)
class LearningThemeAdmin(SimpleHistoryAdmin):
    """The partnership's list of learning themes (reference data). A theme tagged on a review
    cannot be deleted: make it inactive instead, and it is no longer offered."""

    list_display = ["name", "active", "reviews"]
    list_filter = ["active"]
    search_fields = ["name", "description"]
    fields = ["name", "description", "active"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(review_count=Count("tags"))

    @admin.display(description="Reviews tagged", ordering="review_count")
    def reviews(self, theme):
        return theme.review_count
