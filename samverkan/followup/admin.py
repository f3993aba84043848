"""Payment-liability agreements and the amounts per day, kept by system admins in /admin/."""

from django.contrib import admin

from samverkan.directory.admin import SysadminOnly

from .models import Agreement, DailyAmount


@admin.register(Agreement)
class AgreementAdmin(SysadminOnly, admin.ModelAdmin):
    list_display = ["name", "region", "valid_from", "model", "free_days", "psychiatry_free_days"]
    list_filter = ["region", "model"]
    fieldsets = [
        (None, {"fields": ["region", "name", "valid_from", "model", "note"]}),
        (
            "Dagar",
            {
                "fields": [
                    "free_days",
                    "psychiatry_free_days",
                    "notice_day_is_day_zero",
                    "cutoff_hour",
                    "psychiatry_notice_day_is_day_zero",
                    "psychiatry_cutoff_hour",
                    "rolling_months",
                ]
            },
        ),
        (
            "Förutsättningar för betalningsansvar",
            {
                "fields": [
                    "requires_admission_notice",
                    "requires_notice_on_time",
                    "requires_ready_notice",
                    "requires_sip_called",
                    "requires_primary_care_ready",
                    "excludes_patient_refused",
                ]
            },
        ),
    ]


@admin.register(DailyAmount)
class DailyAmountAdmin(SysadminOnly, admin.ModelAdmin):
    list_display = ["year", "amount", "source"]
