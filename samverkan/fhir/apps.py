from django.apps import AppConfig


class FhirConfig(AppConfig):
    name = "samverkan.fhir"
    label = "fhir"
    verbose_name = "FHIR-meddelanden"
    notification_kinds = "samverkan.fhir.models.NOTIFICATION_KINDS"
