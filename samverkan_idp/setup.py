"""First start: migrate, load the demo identities and register the relying parties."""

import json
import os
from pathlib import Path

from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import transaction
from oauth2_provider.models import Application

from .models import Identity

DEMO_PASSWORD = os.environ.get("IDP_PASSWORD", "Samverkan-demo-2026")


def _read(value: str):
    """JSON given inline or as a path to a file."""
    value = value.strip()
    return json.loads(value if value[:1] in "[{" else Path(value).read_text())


@transaction.atomic
def load_identities(items: list[dict]) -> int:
    """Create or update each identity (keyed on username); the demo password for all."""
    for item in items:
        user, _ = User.objects.get_or_create(username=item["username"])
        user.first_name = item.get("given_name", "")
        user.last_name = item.get("family_name", "")
        user.set_password(item.get("password", DEMO_PASSWORD))
        user.save()
        Identity.objects.update_or_create(
            user=user,
            defaults={
                "label": item.get("label") or user.get_full_name() or user.username,
                "employee_hsa_id": item.get("employeeHsaId", ""),
                "personal_identity_number": item.get("personalIdentityNumber", ""),
                "loa": item.get("loa", 3),
                "commissions": item.get("commissions", []),
            },
        )
    return len(items)


@transaction.atomic
def register_clients(items: list[dict]) -> int:
    """A confidential client per relying party: code flow, RS256, no consent screen."""
    for item in items:
        app = Application.objects.filter(client_id=item["client_id"]).first() or Application(
            client_id=item["client_id"]
        )
        app.name = item.get("name", item["client_id"])
        app.client_secret = item["client_secret"]  # hashed on save
        app.client_type = Application.CLIENT_CONFIDENTIAL
        app.authorization_grant_type = Application.GRANT_AUTHORIZATION_CODE
        app.redirect_uris = " ".join(item["redirect_uris"])
        app.post_logout_redirect_uris = " ".join(item.get("post_logout_redirect_uris", []))
        app.algorithm = Application.RS256_ALGORITHM
        app.skip_authorization = True
        app.save()
    return len(items)


def prepare(identities: str = "", clients: str = "") -> None:
    call_command("migrate", verbosity=0, interactive=False)
    if identities:
        load_identities(_read(identities))
    if clients:
        register_clients(_read(clients))
