"""The call rules and the trust survey periods, kept by system admins in /admin/."""

from django.contrib import admin

from samverkan.directory.admin import SysadminOnly

from .models import CallRule, TrustSurvey
from .rules import describe


@admin.register(CallRule)
class CallRuleAdmin(SysadminOnly, admin.ModelAdmin):
    list_display = ["name", "municipality", "sample_percent", "max_attempts", "active"]
    filter_horizontal = ["callers"]
    exclude = ["claimed_by", "claimed_at"]
    readonly_fields = ["in_words"]

    @admin.display(description="Regeln i ord")
    def in_words(self, obj):
        return describe(obj) if obj.pk else "–"


@admin.register(TrustSurvey)
class TrustSurveyAdmin(SysadminOnly, admin.ModelAdmin):
    list_display = ["title", "opens_on", "closes_on"]
