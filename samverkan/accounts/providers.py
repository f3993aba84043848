"""The configured identity providers (settings.OIDC_PROVIDERS) as authlib clients.

ID tokens are accepted only signed with RS256 or ES256, whatever the provider's discovery
document offers: `none` and HS256 (a shared secret, or the public key misused as one) never.
"""

import os
from dataclasses import dataclass

from authlib.integrations.django_client import DjangoOAuth2App, OAuth
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import Http404

ALLOWED_ALGS = ("RS256", "ES256")
DEFAULT_SCOPE = "openid profile siths"


@dataclass(frozen=True)
class Provider:
    name: str
    label: str
    discovery_url: str
    client_id: str
    client_secret: str
    scope: str = DEFAULT_SCOPE
    issuer: str = ""  # when configured, the discovery document must name the same


class StrictOidcApp(DjangoOAuth2App):
    """authlib's Django client with the ID-token algorithms narrowed to ALLOWED_ALGS."""

    def load_server_metadata(self):
        metadata = super().load_server_metadata()
        offered = metadata.get("id_token_signing_alg_values_supported") or ["RS256"]
        allowed = [a for a in ALLOWED_ALGS if a in offered] or list(ALLOWED_ALGS)
        metadata["id_token_signing_alg_values_supported"] = allowed
        return metadata


class StrictOAuth(OAuth):
    oauth2_client_cls = StrictOidcApp


def _provider(item: dict, default_scope: str = DEFAULT_SCOPE) -> Provider:
    try:
        discovery = item.get("discovery_url") or (
            item["issuer"].rstrip("/") + "/.well-known/openid-configuration"
        )
        secret = item.get("client_secret") or os.environ.get(item.get("client_secret_env", ""), "")
        return Provider(
            name=item["name"],
            label=item.get("label") or f"Logga in med {item['name']}",
            discovery_url=discovery,
            client_id=item["client_id"],
            client_secret=secret,
            scope=item.get("scope", default_scope),
            issuer=item.get("issuer", ""),
        )
    except KeyError as missing:
        raise ImproperlyConfigured(f"OIDC-leverantör: {missing} saknas") from None


# Staff log in through OIDC_PROVIDERS (SITHS); people to Min plan through MY_PLAN_OIDC_PROVIDERS
# (a national e-ID). The two lists never mix: a provider is looked up in its own list only.
DEFAULT_SCOPES = {
    "OIDC_PROVIDERS": DEFAULT_SCOPE,
    "MY_PLAN_OIDC_PROVIDERS": "openid profile https://id.oidc.se/scope/naturalPersonNumber",
}


def configured(setting: str = "OIDC_PROVIDERS") -> list[Provider]:
    return [_provider(item, DEFAULT_SCOPES[setting]) for item in getattr(settings, setting)]


_registries: dict[tuple, StrictOAuth] = {}


def client(name: str, setting: str = "OIDC_PROVIDERS") -> tuple[Provider, StrictOidcApp]:
    """The provider named and its client (one per configuration, metadata and keys cached)."""
    providers = tuple(configured(setting))
    provider = next((p for p in providers if p.name == name), None)
    if provider is None:
        raise Http404("Okänd identitetsleverantör.")
    registry = _registries.get(providers)
    if registry is None:
        registry = _registries[providers] = StrictOAuth()
        for p in providers:
            registry.register(
                p.name,
                client_id=p.client_id,
                client_secret=p.client_secret,
                server_metadata_url=p.discovery_url,
                client_kwargs={"scope": p.scope, "code_challenge_method": "S256", "timeout": 10},
            )
    return provider, registry.create_client(name)
