"""The local identity provider itself: its signing key and what it publishes."""

import stat

import requests

from samverkan_idp.keys import load_or_create


def test_the_local_idp_publishes_discovery_rs256_keys_and_logout(with_idp):
    issuer = with_idp["issuer"]
    config = requests.get(f"{issuer}/.well-known/openid-configuration", timeout=5).json()
    assert config["issuer"] == issuer and config["end_session_endpoint"].startswith(issuer)
    assert "S256" in config["code_challenge_methods_supported"]
    keys = requests.get(config["jwks_uri"], timeout=5).json()["keys"]
    assert [(k["kty"], k.get("alg")) for k in keys] == [("RSA", "RS256")]


def test_the_signing_key_is_made_once_and_kept_private(tmp_path):
    path = tmp_path / "idp" / "idp-key.pem"
    pem = load_or_create(path)
    assert pem.startswith("-----BEGIN PRIVATE KEY-----")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_or_create(path) == pem
