"""Cases app."""

from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "samverkan.cases"
    verbose_name = "Samordningsärenden"
    notification_kinds = "samverkan.cases.models.NOTIFICATION_KINDS"
