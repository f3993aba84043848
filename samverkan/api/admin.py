"""API tokens in the system admin's Django admin: see and revoke (keys are never shown)."""

from django.contrib import admin

from samverkan.directory.admin import SysadminOnly

from .models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(SysadminOnly, admin.ModelAdmin):
    list_display = ["name", "prefix", "membership", "created_at", "revoked_at"]
    readonly_fields = ["key_hash", "prefix", "created_at"]
    fields = ["name", "membership", "prefix", "key_hash", "created_at", "revoked_at"]

    def has_add_permission(self, request):
        return False  # issued with manage.py create_api_token, which prints the key once
