from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import UserChangeForm, UserCreationForm
from guardian.admin import GuardedModelAdmin
from simple_history.admin import SimpleHistoryAdmin

from . import services
from .models import Agency, IdentifierPolicy, User


@admin.register(Agency)
class AgencyAdmin(SimpleHistoryAdmin, GuardedModelAdmin):
    list_display = ["name", "kind", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name"]


@admin.register(IdentifierPolicy)
class IdentifierPolicyAdmin(SimpleHistoryAdmin):
    """Which of a child's identifying details each kind of agency is shown on an open request,
    so it can find its records (name and date of birth always)."""

    list_display = ["kind", "address", "nhs_number", "household"]
    list_editable = ["address", "nhs_number", "household"]


class UserCreation(UserCreationForm):
    class Meta:
        model = User
        fields = ["email", "full_name", "agency"]


class UserChange(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(SimpleHistoryAdmin, DjangoUserAdmin):
    form = UserChange
    add_form = UserCreation
    ordering = ["full_name"]
    list_display = ["full_name", "email", "agency", "is_active", "is_staff", "last_login"]
    list_filter = ["is_active", "is_staff", "groups", "agency__kind"]
    list_select_related = ["agency"]
    search_fields = ["full_name", "email"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Person", {"fields": ["full_name", "job_title", "agency"]}),
        ("Roles", {"fields": ["is_active", "groups"]}),
        (
            "Administration",
            {"fields": ["is_staff", "is_superuser", "user_permissions"], "classes": ["collapse"]},
        ),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {"fields": ["email", "full_name", "agency", "password1", "password2"]},
        ),
    ]
    readonly_fields = ["last_login", "date_joined"]
    actions = ["reset_second_factor"]

    @admin.action(description="Reset second factor (they set it up again at next sign-in)")
    def reset_second_factor(self, request, queryset):
        for user in queryset:
            services.reset_second_factor(user=user, request=request)
        self.message_user(
            request, f"Second factor reset for {queryset.count()} people.", messages.SUCCESS
        )
