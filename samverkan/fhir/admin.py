"""Received FHIR messages in the system admin's Django admin: held and failed ones to follow up
(read only; the body of a held message, which holds personal data, is not shown)."""

from django.contrib import admin

from samverkan.directory.admin import SysadminOnly

from .models import ReceivedMessage


@admin.register(ReceivedMessage)
class ReceivedMessageAdmin(SysadminOnly, admin.ModelAdmin):
    list_display = ["event", "state", "sender", "occurred_at", "sent_at", "received_at", "note"]
    list_filter = ["state", "event"]
    search_fields = ["bundle_id", "header_id"]
    fields = [
        "sender",
        "bundle_id",
        "header_id",
        "event",
        "state",
        "note",
        "occurred_at",
        "sent_at",
        "received_at",
        "applied_at",
        "status",
        "response",
    ]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
