"""HSA identities and emergency accounts in /admin/, for system admins."""

from django.contrib import admin
from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice

from samverkan.directory.admin import SysadminOnly

from .models import EmergencyAccount, HsaIdentity


@admin.register(HsaIdentity)
class HsaIdentityAdmin(SysadminOnly, admin.ModelAdmin):
    list_display = ["hsa_id", "user", "created_at"]
    search_fields = ["hsa_id", "user__username", "user__last_name"]
    raw_id_fields = ["user"]


@admin.register(EmergencyAccount)
class EmergencyAccountAdmin(SysadminOnly, admin.ModelAdmin):
    list_display = ["user", "note", "created_at"]
    raw_id_fields = ["user"]


if admin.site.is_registered(TOTPDevice):
    admin.site.unregister(TOTPDevice)


@admin.register(TOTPDevice)
class TotpDeviceAdmin(SysadminOnly, TOTPDeviceAdmin):
    """django-otp's TOTP devices (QR code for the authenticator app) for emergency accounts."""
