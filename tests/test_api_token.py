"""Issuing an API token from the command line; only its hash is stored."""

import io

import pytest
from django.core.management import CommandError, call_command

from samverkan.api.models import ApiToken, digest

from .helpers import events


def test_token_is_printed_once_and_works(client, world):
    out = io.StringIO()
    call_command("create_api_token", "ward_staff", "TEST-ward", name="Journalsystem", stdout=out)
    key = out.getvalue().strip()
    token = ApiToken.objects.get()
    assert token.key_hash == digest(key) and key not in token.key_hash
    assert events("api.token_create").exists()
    response = client.get("/api/v1/ping", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 200
    token.revoked_at = token.created_at
    token.save()
    assert client.get("/api/v1/ping", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 401


def test_unknown_membership_is_refused(world):
    with pytest.raises(CommandError):
        call_command("create_api_token", "ward_staff", "TEST-b_needs")
