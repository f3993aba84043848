"""The managed list of deviation categories, kept by system admins in /admin/."""

from django.contrib import admin

from samverkan.directory.admin import SysadminOnly

from .models import Category


@admin.register(Category)
class CategoryAdmin(SysadminOnly, admin.ModelAdmin):
    list_display = ["name", "parent", "code", "position", "active"]
    list_filter = ["active", "parent"]
    search_fields = ["name", "code"]

    def has_delete_permission(self, request, obj=None):
        return False  # categories in use are kept; retire them with `active`
