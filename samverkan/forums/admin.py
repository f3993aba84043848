"""Forums, their members and working groups, kept by system admins in /admin/. Meetings and
minutes are written in the forum pages by the secretary, not here."""

from django.contrib import admin

from samverkan.directory.admin import SysadminOnly

from .models import Forum, GroupMember, Member, WorkingGroup


class MemberInline(admin.TabularInline):
    model = Member
    extra = 1
    autocomplete_fields = ["user"]


class GroupMemberInline(admin.TabularInline):
    model = GroupMember
    extra = 1
    autocomplete_fields = ["user"]


@admin.register(Forum)
class ForumAdmin(SysadminOnly, admin.ModelAdmin):
    list_display = ["name", "short_name", "parent", "adjust_days"]
    search_fields = ["name", "short_name"]
    inlines = [MemberInline]


@admin.register(WorkingGroup)
class WorkingGroupAdmin(SysadminOnly, admin.ModelAdmin):
    list_display = ["name", "forum", "status", "convenor_name"]
    list_filter = ["status", "forum"]
    search_fields = ["name"]
    inlines = [GroupMemberInline]
