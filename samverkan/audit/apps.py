"""Audit log app."""

from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "samverkan.audit"
    verbose_name = "Logg"
