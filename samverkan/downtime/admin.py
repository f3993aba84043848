"""Downtimes in /admin/, for system admins; the declarer is the admin who saves it."""

from django.contrib import admin

from samverkan.directory.admin import SysadminOnly

from .models import Downtime


@admin.register(Downtime)
class DowntimeAdmin(SysadminOnly, admin.ModelAdmin):
    list_display = ["reason", "starts_at", "ends_at", "principal", "declared_by"]
    exclude = ["declared_by"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.declared_by = request.user
        super().save_model(request, obj, form, change)
