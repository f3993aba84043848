"""Downtimes in /admin/, for system admins (the page /driftstopp/ is the everyday way); the
declarer is the admin who saves it."""

from django.contrib import admin
from django.utils import timezone

from samverkan.directory.admin import SysadminOnly

from .models import Downtime
from .services import schedule_before


@admin.register(Downtime)
class DowntimeAdmin(SysadminOnly, admin.ModelAdmin):
    list_display = ["reason", "starts_at", "ends_at", "scope", "principal", "unit", "declared_by"]
    exclude = ["declared_by"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.declared_by = request.user
        super().save_model(request, obj, form, change)
        if not change:  # a planned stop regenerates the snapshots it covers, as on the page
            schedule_before(obj, timezone.now())
