from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import UserChangeForm, UserCreationForm
from django.db.models import Count, Q
from guardian.admin import GuardedModelAdmin
from simple_history.admin import SimpleHistoryAdmin

from . import services
from .models import Agency, IdentifierPolicy, User
from .roles import Role


class ContributorsFilter(admin.SimpleListFilter):
    title = "contributor accounts"
    parameter_name = "contributors"

    def lookups(self, request, model_admin):
        return [("none", "None active"), ("some", "At least one active")]

    def queryset(self, request, queryset):
        if self.value() == "none":
            return queryset.filter(active_contributors=0)
        if self.value() == "some":
            return queryset.filter(active_contributors__gt=0)
        return queryset


NO_CONTRIBUTORS = (
    "None active: nobody there is emailed about a request or can answer one, and the case "
    "lead is reminded instead. Give someone there the Agency Contributor role."
)


@admin.register(Agency)
class AgencyAdmin(SimpleHistoryAdmin, GuardedModelAdmin):
    list_display = ["name", "kind", "is_active", "contributor_accounts"]
    list_filter = ["kind", "is_active", ContributorsFilter]
    search_fields = ["name"]
    readonly_fields = ["contributor_accounts"]

    def get_queryset(self, request):
        # The count of each agency's active contributors, in the same query (no N+1).
        return (
            super()
            .get_queryset(request)
            .annotate(
                active_contributors=Count(
                    "users",
                    filter=Q(users__is_active=True, users__groups__name=Role.AGENCY_CONTRIBUTOR),
                    distinct=True,
                )
            )
        )

    @admin.display(description="Contributor accounts", ordering="active_contributors")
    def contributor_accounts(self, agency):
        count = getattr(agency, "active_contributors", None)
        if count is None:  # a new agency, not yet saved
            return "-"
        return str(count) if count else NO_CONTRIBUTORS


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
    list_display = ["full_name", "email", "roles", "agency", "is_active", "is_staff", "last_login"]
    list_filter = [
        ("groups", admin.RelatedOnlyFieldListFilter),
        ("agency", admin.RelatedOnlyFieldListFilter),
        "agency__kind",
        "is_active",
        "is_staff",
    ]
    list_select_related = ["agency"]
    search_fields = ["full_name", "email"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Person", {"fields": ["full_name", "job_title", "agency"]}),
        ("Roles", {"fields": ["is_active", "groups"]}),
        ("Administration", {"fields": ["is_staff", "is_superuser"], "classes": ["collapse"]}),
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
    # Roles are a handful of checkboxes. Django's two-box picker puts aria-label on a bare
    # <span> (a prohibited ARIA attribute, which axe fails), and permissions are given only
    # through roles (accounts/roles.py), never one by one.
    filter_horizontal = ()

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "groups":
            kwargs["widget"] = forms.CheckboxSelectMultiple
            kwargs["label"] = "Roles"
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_queryset(self, request):
        # Each person's roles come with the page in one more query, not one per row.
        return super().get_queryset(request).prefetch_related("groups")

    @admin.display(description="Roles")
    def roles(self, user):
        return ", ".join(sorted(group.name for group in user.groups.all())) or "–"

    @admin.action(description="Reset second factor (they set it up again at next sign-in)")
    def reset_second_factor(self, request, queryset):
        for user in queryset:
            services.reset_second_factor(user=user, request=request)
        self.message_user(
            request, f"Second factor reset for {queryset.count()} people.", messages.SUCCESS
        )
