"""Identity-provider logins in tests: the test IdP's people, a browser walking its pages with
requests, and a fake provider that serves tokens a test builds (bad ones on purpose)."""

import json
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urljoin, urlparse

import requests
from joserfc import jwt
from joserfc.jwk import OctKey, RSAKey

from .models import HsaIdentity

IDP_PASSWORD = "Test-IdP-lösenord-2026"
CLIENT_ID = "samverkan-test"
LOA3, LOA2 = "http://id.sambi.se/loa/loa3", "http://id.sambi.se/loa/loa2"


def commission(unit_key: str, name: str = "Sjuksköterska") -> dict:
    """An assignment (medarbetaruppdrag) at a test-world unit (hsa_id TEST-<key>)."""
    return {
        "commissionHsaId": f"TEST-C-{unit_key}",
        "commissionName": name,
        "healthCareUnitHsaId": f"TEST-{unit_key}",
        "healthCareUnitName": unit_key,
        "healthCareProviderHsaId": "TEST-VG",
        "healthCareProviderName": "Region Test",
    }


def _person(username, hsa, units, loa=3, **extra):
    return {
        "username": username,
        "password": IDP_PASSWORD,
        "employeeHsaId": hsa,
        "given_name": username.split("_")[0].title(),
        "family_name": "Idp",
        "loa": loa,
        "commissions": [commission(u) for u in units],
        **extra,
    }


IDENTITIES = [
    _person("ward_staff", "TEST-E-WARD-STAFF", ["ward"]),
    _person("ward_staff_reserve", "TEST-E-WARD-STAFF", ["ward"], loa=2, label="Reservkort"),
    _person("ward_physician", "TEST-E-WARD-PHYS", ["ward"]),
    _person("two_units", "TEST-E-TWO", ["ward", "ed"]),
    _person("stranger", "TEST-E-STRANGER", ["a_needs"]),
    _person("no_hsa", "", ["ward"]),
]


def client_registration(secret: str) -> dict:
    paths = ("http://testserver", "http://127.0.0.1", "http://localhost")
    return {
        "client_id": CLIENT_ID,
        "client_secret": secret,
        "redirect_uris": [
            f"{base}/logga-in/oidc/{name}/svar/" for base in paths for name in ("siths", "kommun")
        ],
        "post_logout_redirect_uris": [base + "/logga-in/" for base in paths],
    }


def link(user, hsa_id: str) -> HsaIdentity:
    """Give a test-world user the employee HSA-id the test IdP knows them by."""
    return HsaIdentity.objects.create(user=user, hsa_id=hsa_id)


class IdpBrowser:
    """The person's browser at the identity provider (cookies kept), handing the final
    redirect back to Django's test client, which plays the browser at Samverkan."""

    def __init__(self):
        self.session = requests.Session()

    def walk(self, url: str, stop_at: str):
        """Follow redirects at the IdP until one leads to `stop_at` (Samverkan)."""
        for _ in range(10):
            if url.startswith(stop_at):
                return url
            response = self.session.get(url, allow_redirects=False, timeout=10)
            if response.status_code not in (301, 302, 303):
                return response
            url = urljoin(url, response.headers["Location"])
        raise AssertionError("too many redirects at the IdP")

    def log_in(self, page, username: str, password: str = IDP_PASSWORD):
        """Submit the IdP's login form shown on `page` (a requests response)."""
        form = {
            "csrfmiddlewaretoken": self.session.cookies["idp_csrftoken"],
            "username": username,
            "password": password,
            "next": parse_qs(urlparse(page.url).query).get("next", [""])[0],
        }
        response = self.session.post(
            page.url, data=form, allow_redirects=False, headers={"Referer": page.url}, timeout=10
        )
        assert response.status_code == 302, response.text[:500]
        return urljoin(page.url, response.headers["Location"])


def oidc_login(client, username, start="/logga-in/oidc/siths/", idp=None, password=IDP_PASSWORD):
    """The whole flow: Samverkan → IdP login page → IdP login → Samverkan's callback."""
    idp = idp or IdpBrowser()
    authorize = client.get(start)
    assert authorize.status_code == 302, authorize
    page = idp.walk(authorize.url, "http://testserver")
    if not isinstance(page, str):
        page = idp.walk(idp.log_in(page, username, password), "http://testserver")
    return client.get(page.removeprefix("http://testserver")), idp


class FakeProvider:
    """A provider on 127.0.0.1 whose token endpoint returns the ID token the test built."""

    def __init__(self, client_id: str = CLIENT_ID):
        self.client_id = client_id
        self.rsa = RSAKey.generate_key(2048, parameters={"kid": "fake-rsa"})
        self.secret = OctKey.import_key(secrets.token_bytes(32), {"kid": "fake-oct"})
        self.id_token = ""
        self.userinfo = {}
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.issuer = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def provider(self, name: str = "siths") -> dict:
        return {
            "name": name,
            "label": "Logga in med SITHS",
            "issuer": self.issuer,
            "client_id": self.client_id,
            "client_secret": "fake-secret",
        }

    def claims(self, nonce: str, /, **changes) -> dict:
        now = int(time.time())
        claims = {
            "iss": self.issuer,
            "aud": self.client_id,
            "sub": "42",
            "iat": now,
            "exp": now + 300,
            "auth_time": now,
            "nonce": nonce,
            "acr": LOA3,
            "employeeHsaId": "TEST-E-WARD-STAFF",
            "given_name": "Ward",
            "family_name": "Idp",
            "commissions": [commission("ward")],
        }
        claims.update(changes)
        return {k: v for k, v in claims.items() if v is not None}

    def sign(self, claims: dict, alg: str = "RS256") -> str:
        if alg == "none":  # an attacker's unsigned token, built by hand on purpose
            return ".".join([_b64({"alg": "none", "typ": "JWT"}), _b64(claims), ""])
        key = self.secret if alg == "HS256" else self.rsa
        return jwt.encode({"alg": alg, "kid": key.kid}, claims, key, algorithms=[alg])

    def serve(self, claims: dict, alg: str = "RS256") -> None:
        self.id_token = self.sign(claims, alg)
        self.userinfo = {k: v for k, v in claims.items() if k not in ("aud", "nonce", "exp")}

    def documents(self) -> dict:
        keys = [self.rsa.as_dict(private=False), self.secret.as_dict(private=True)]
        return {
            "/.well-known/openid-configuration": {
                "issuer": self.issuer,
                "authorization_endpoint": self.issuer + "/authorize",
                "token_endpoint": self.issuer + "/token",
                "userinfo_endpoint": self.issuer + "/userinfo",
                "jwks_uri": self.issuer + "/jwks",
                "end_session_endpoint": self.issuer + "/logout",
                # offers what a careless provider might: the client must narrow it
                "id_token_signing_alg_values_supported": ["RS256", "HS256", "none"],
            },
            "/jwks": {"keys": keys},
            "/userinfo": self.userinfo,
            "/token": {"access_token": "at", "token_type": "Bearer", "id_token": self.id_token},
        }

    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self):
                body = fake.documents().get(urlparse(self.path).path)
                self.send_response(200 if body is not None else 404)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(json.dumps(body or {}).encode())

            do_GET = do_POST = _answer

            def log_message(self, *args):
                pass

        return Handler

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def _b64(data: dict) -> str:
    import base64

    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def start_params(response) -> dict:
    """state and nonce of the authorization request Samverkan redirected to."""
    query = parse_qs(urlparse(response.url).query)
    return {k: v[0] for k, v in query.items()}
