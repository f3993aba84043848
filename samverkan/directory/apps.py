"""App configs: the directory, and the admin site reserved for system admins."""

from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class DirectoryConfig(AppConfig):
    default = True
    name = "samverkan.directory"
    verbose_name = "Katalog"


class SysadminAdminConfig(admin_apps.AdminConfig):
    default = False
    default_site = "samverkan.directory.adminsite.SysadminSite"
