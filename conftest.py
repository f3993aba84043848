"""Fixtures shared by tests/ and browser_tests/."""

import pytest

from samverkan.testing import build_world


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    """Uploaded files of a test go to its own temporary folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def fast_hasher(settings):
    """Argon2 is for production; in tests it took most of the run time."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture
def as_user(client):
    """Log the test client in as a user (acting in their first unit); returns the client."""

    def login(user):
        client.force_login(user)
        return client

    return login


class ApiClient:
    """Calls /api/v1/ as a user's token; every write gets a fresh Idempotency-Key."""

    def __init__(self, client):
        self.client = client
        self.tokens = {}

    def token(self, user):
        from samverkan.api.models import ApiToken

        if user.pk not in self.tokens:
            self.tokens[user.pk] = ApiToken.issue(user.memberships.first(), "test")[1]
        return self.tokens[user.pk]

    def get(self, user, path, **params):
        return self.client.get(
            f"/api/v1{path}", params, HTTP_AUTHORIZATION=f"Bearer {self.token(user)}"
        )

    def post(self, user, path, body=None, key=None, method="POST"):
        import json
        import uuid

        return self.client.generic(
            method,
            f"/api/v1{path}",
            json.dumps(body or {}),
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {self.token(user)}",
            HTTP_IDEMPOTENCY_KEY=key or str(uuid.uuid4()),
        )


@pytest.fixture
def api(client):
    return ApiClient(client)


@pytest.fixture(scope="session")
def idp(tmp_path_factory):
    """The local identity provider (samverkan_idp) as its own process on 127.0.0.1."""
    import secrets

    from samverkan.accounts.testing import IDENTITIES, client_registration
    from samverkan.myplan import testing as myplan
    from samverkan_idp import process

    secret, eid_secret = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    clients = [client_registration(secret), myplan.eid_registration(eid_secret)]
    home = tmp_path_factory.mktemp("idp")
    proc, issuer = process.start(home, IDENTITIES + myplan.CITIZENS, clients)
    EID.update(myplan.eid_provider(issuer, eid_secret))  # Min plan's e-ID client (with_eid)
    yield {
        "name": "siths",
        "label": "Logga in med SITHS",
        "issuer": issuer,
        "client_id": "samverkan-test",
        "client_secret": secret,
    }
    process.stop(proc)


EID: dict = {}


@pytest.fixture
def with_eid(settings, idp):
    """Min plan configured with the local IdP's e-ID client (never the staff list)."""
    from samverkan import settings as settings_module

    settings.MY_PLAN_OIDC_PROVIDERS = [dict(EID)]
    policy = settings.CONTENT_SECURITY_POLICY
    form_action = ["'self'", *settings_module.provider_origins([EID])]
    settings.CONTENT_SECURITY_POLICY = {
        **policy,
        "DIRECTIVES": {**policy["DIRECTIVES"], "form-action": form_action},
    }
    return settings.MY_PLAN_OIDC_PROVIDERS[0]


@pytest.fixture
def with_idp(settings, idp):
    """Samverkan configured with the local IdP (and a second, municipal, entry)."""
    from samverkan import settings as settings_module

    municipal = {**idp, "name": "kommun", "label": "Logga in med e-legitimation (kommun)"}
    settings.OIDC_PROVIDERS = [idp, municipal]
    policy = settings.CONTENT_SECURITY_POLICY
    form_action = ["'self'", *settings_module.provider_origins([idp])]
    settings.CONTENT_SECURITY_POLICY = {
        **policy,
        "DIRECTIVES": {**policy["DIRECTIVES"], "form-action": form_action},
    }
    return idp
