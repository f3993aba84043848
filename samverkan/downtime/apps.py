"""Declared downtime app."""

from django.apps import AppConfig


class DowntimeConfig(AppConfig):
    name = "samverkan.downtime"
    verbose_name = "Driftstopp"
