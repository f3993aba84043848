"""Accounts app: login, lock-out, logout."""

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "samverkan.accounts"
    verbose_name = "Konton"
