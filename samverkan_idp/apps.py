"""The local identity provider's app: identities with SITHS-like claims."""

from django.apps import AppConfig


class IdpConfig(AppConfig):
    name = "samverkan_idp"
    verbose_name = "Lokal identitetsleverantör"
    default_auto_field = "django.db.models.BigAutoField"
