from django.apps import AppConfig


class DeviationsConfig(AppConfig):
    name = "samverkan.deviations"
    label = "deviations"
    verbose_name = "Avvikelser"
    notification_kinds = "samverkan.deviations.models.NOTIFICATION_KINDS"
