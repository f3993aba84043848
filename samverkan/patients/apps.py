"""Patients app."""

from django.apps import AppConfig


class PatientsConfig(AppConfig):
    name = "samverkan.patients"
    verbose_name = "Personer"
