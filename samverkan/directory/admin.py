"""Django admin, for system admins only: the directory (principals, units, users, memberships)."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import Group, User

from .actor import is_sysadmin
from .models import Membership, Principal, Unit


class SysadminOnly:
    """Every permission follows the system admin role, not Django's per-model permissions."""

    def has_module_permission(self, request):
        return is_sysadmin(request.user)

    def has_view_permission(self, request, obj=None):
        return is_sysadmin(request.user)

    has_add_permission = has_module_permission
    has_change_permission = has_view_permission
    has_delete_permission = has_view_permission


class MembershipInline(SysadminOnly, admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["unit"]


@admin.register(Principal)
class PrincipalAdmin(SysadminOnly, admin.ModelAdmin):
    list_display = [
        "name",
        "code",
        "kind",
        "population",
        "population_65",
        "notice_unit",
        "deviation_unit",
    ]
    autocomplete_fields = ["notice_unit", "deviation_unit"]


@admin.register(Unit)
class UnitAdmin(SysadminOnly, admin.ModelAdmin):
    list_display = ["name", "principal", "kind", "hsa_id", "site", "active"]
    list_filter = ["principal", "kind", "active"]
    search_fields = ["name", "hsa_id", "site"]


@admin.register(Membership)
class MembershipAdmin(SysadminOnly, admin.ModelAdmin):
    list_display = ["user", "unit", "role"]
    list_filter = ["role", "unit__principal"]
    search_fields = ["user__username", "unit__name"]
    autocomplete_fields = ["unit", "user"]


admin.site.unregister(Group)
admin.site.unregister(User)


@admin.register(User)
class SysadminUserAdmin(SysadminOnly, UserAdmin):
    inlines = [MembershipInline]
