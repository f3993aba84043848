"""The Django admin site, open to system admins only. It has no login of its own: /admin/login/
leads to the one login page, with its lock-out and audit."""

from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from .actor import is_sysadmin


class SysadminSite(admin.AdminSite):
    site_header = "Samverkan – katalogadministration"
    site_title = "Samverkan admin"

    def has_permission(self, request):
        read_only = (request.session.get("login") or {}).get("read_only")
        return is_sysadmin(request.user) and not read_only

    def login(self, request, extra_context=None):
        if request.user.is_authenticated:
            raise PermissionDenied("Katalogadministrationen är bara för systemadministratörer.")
        return redirect_to_login(request.GET.get("next") or reverse("admin:index"))
