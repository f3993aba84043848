"""ID tokens that must be refused, served by a fake provider on 127.0.0.1 that signs what the
test builds: wrong audience or issuer, expired, unsigned, HS256, a replayed nonce."""

import time

import pytest
from django.urls import reverse

from samverkan.accounts.testing import FakeProvider, link, start_params

from .helpers import events, text

REFUSED = "Inloggningen kunde inte verifieras"


@pytest.fixture
def fake(settings, world):
    provider = FakeProvider()
    settings.OIDC_PROVIDERS = [provider.provider()]
    link(world.ward_staff, "TEST-E-WARD-STAFF")
    yield provider
    provider.close()


def begin(client) -> dict:
    return start_params(client.get(reverse("oidc_login", args=["siths"])))


def finish(client, fake, claims, state, alg="RS256"):
    fake.serve(claims, alg)
    return client.get(reverse("oidc_callback", args=["siths"]), {"code": "c", "state": state})


def refused(response, reason="token", logins_before=0) -> bool:
    return (
        response.status_code == 403
        and REFUSED in text(response)
        and events("login.refused").filter(detail__reason=reason).exists()
        and events("login.success").count() == logins_before
        and "_auth_user_id" not in response.wsgi_request.session
    )


def test_a_good_token_from_the_fake_provider_logs_in(client, fake, world):
    start = begin(client)
    response = finish(client, fake, fake.claims(start["nonce"]), start["state"])
    assert response.status_code == 302 and client.session["_auth_user_id"] == str(
        world.ward_staff.pk
    )


@pytest.mark.parametrize(
    "changes",
    [
        {"aud": "another-client"},
        {"aud": "another-client", "azp": "samverkan-test"},
        {"aud": ["another-client", "third"], "azp": "another-client"},
        {"iss": "http://127.0.0.1:1/another-issuer"},
        {"exp": int(time.time()) - 3600, "iat": int(time.time()) - 4000},
        {"nonce": "not-the-nonce-we-sent"},
        {"nonce": None},
    ],
    ids=[
        "wrong audience",
        "other audience, our azp",
        "other audiences",
        "wrong issuer",
        "expired",
        "wrong nonce",
        "no nonce",
    ],
)
def test_bad_claims_are_refused(client, fake, changes):
    start = begin(client)
    claims = fake.claims(start["nonce"], **changes)
    assert refused(finish(client, fake, claims, start["state"]))


@pytest.mark.parametrize("alg", ["none", "HS256"])
def test_unsigned_and_symmetric_tokens_are_refused(client, fake, alg):
    start = begin(client)
    assert refused(finish(client, fake, fake.claims(start["nonce"]), start["state"], alg=alg))


def test_a_replayed_nonce_is_refused(client, fake):
    first = begin(client)
    assert finish(client, fake, fake.claims(first["nonce"]), first["state"]).status_code == 302
    client.post(reverse("logout"))
    second = begin(client)
    replayed = finish(client, fake, fake.claims(first["nonce"]), second["state"])
    assert refused(replayed, logins_before=1)


def test_userinfo_of_another_subject_is_refused(client, fake):
    start = begin(client)
    fake.serve(fake.claims(start["nonce"]))
    fake.userinfo = {**fake.userinfo, "sub": "someone-else"}
    response = client.get(
        reverse("oidc_callback", args=["siths"]), {"code": "c", "state": start["state"]}
    )
    assert refused(response)


def test_an_unknown_state_is_refused(client, fake):
    begin(client)
    response = finish(client, fake, fake.claims("n"), "made-up-state")
    assert response.status_code == 403 and "redan använts" in text(response)


def test_an_error_from_the_provider_is_refused(client, fake):
    start = begin(client)
    response = client.get(
        reverse("oidc_callback", args=["siths"]),
        {"error": "access_denied", "state": start["state"]},
    )
    assert response.status_code == 403 and "avbröt inloggningen" in text(response)


def test_an_unknown_provider_is_404(client, fake):
    assert client.get(reverse("oidc_login", args=["okand"])).status_code == 404
