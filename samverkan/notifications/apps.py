"""Notifications app: gathers every app's notification kinds when the apps are ready."""

from django.apps import AppConfig, apps


class NotificationsConfig(AppConfig):
    """An app that notifies declares `notification_kinds`: the dotted path of its
    {kind: Swedish label} mapping (as `samverkan.cases.apps.CasesConfig` does)."""

    name = "samverkan.notifications"
    label = "notifications"
    verbose_name = "Notiser"

    def ready(self):
        from .kinds import collect

        collect(apps.get_app_configs())
