"""Accounts app: login, lock-out, logout."""

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "samverkan.accounts"
    verbose_name = "Konton"

    def ready(self):
        from . import sessions  # noqa: F401  (stamps each login's time on its session)
