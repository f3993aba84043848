from django.apps import AppConfig


class DeviationsConfig(AppConfig):
    name = "samverkan.deviations"
    label = "deviations"
    verbose_name = "Avvikelser"
