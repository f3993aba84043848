"""The Django admin site, open to system admins only."""

from django.contrib import admin

from .actor import is_sysadmin


class SysadminSite(admin.AdminSite):
    site_header = "Samverkan – katalogadministration"
    site_title = "Samverkan admin"

    def has_permission(self, request):
        return is_sysadmin(request.user)
