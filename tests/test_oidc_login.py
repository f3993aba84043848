"""Login with SITHS through the local identity provider (a real OIDC process on 127.0.0.1)."""

from django.urls import reverse

from samverkan.accounts.models import HsaIdentity
from samverkan.accounts.testing import LOA2, LOA3, oidc_login
from samverkan.accounts.testing import link as link_hsa
from samverkan.directory.models import Membership

from .helpers import events, text


def test_login_page_lists_the_identity_providers(client, db, with_idp):
    body = text(client.get(reverse("login")))
    assert "Logga in med SITHS" in body and "Logga in med e-legitimation (kommun)" in body
    assert reverse("oidc_login", args=["kommun"]) in body


def test_one_matching_assignment_logs_in_and_is_audited(client, world, with_idp):
    link_hsa(world.ward_staff, "TEST-E-WARD-STAFF")
    response, _ = oidc_login(client, "ward_staff")
    assert response.status_code == 302 and response.url == reverse("start")
    page = client.get(reverse("start"))
    assert page.wsgi_request.user == world.ward_staff
    assert page.wsgi_request.actor.unit == world.ward
    event = events("login.success", user=world.ward_staff).get()
    assert event.unit == world.ward and event.role == "staff"
    assert event.detail == {
        "method": "oidc",
        "provider": "siths",
        "acr": LOA3,
        "read_only": False,
        "employee_hsa_id": "TEST-E-WARD-STAFF",
        "commission_hsa_id": "TEST-C-ward",
        "unit_hsa_id": "TEST-ward",
    }


def test_the_id_token_and_the_authorization_request_carry_pkce_state_nonce(client, world, with_idp):
    start = client.get(reverse("oidc_login", args=["siths"]))
    query = start.url.split("?", 1)[1]
    for param in (
        "state=",
        "nonce=",
        "code_challenge=",
        "code_challenge_method=S256",
        "acr_values=",
    ):
        assert param in query


def test_two_matching_assignments_ask_which_one(client, world, with_idp):
    Membership.objects.create(user=world.ward_staff, unit=world.ed, role="staff")
    Membership.objects.create(user=world.ward_staff, unit=world.pcc, role="staff")  # no assignment
    link_hsa(world.ward_staff, "TEST-E-TWO")
    response, _ = oidc_login(client, "two_units")
    assert response.url == reverse("choose_assignment")
    page = client.get(response.url)
    assert "Välj uppdrag" in text(page) and "Ed" in text(page) and "Pcc" not in text(page)
    assert "_auth_user_id" not in client.session
    ed = world.ward_staff.memberships.get(unit=world.ed)
    assert client.post(response.url, {"uppdrag": "fel"}).status_code == 400
    chosen = client.post(response.url, {"uppdrag": str(ed.public_id)})
    assert chosen.url == reverse("start")
    request = client.get(reverse("start")).wsgi_request
    assert request.actor.unit == world.ed
    assert {m.unit for m in request.memberships} == {world.ward, world.ed}  # not the pcc
    assert events("login.success").get().detail["unit_hsa_id"] == "TEST-ed"


def test_no_matching_membership_says_whom_to_ask(client, world, with_idp):
    response, _ = oidc_login(client, "stranger")
    body = text(response)
    assert response.status_code == 403 and "Du saknar behörighet i Samverkan" in body
    assert "A Needs" in body and "A Test" in body and "TEST-E-STRANGER" in body  # the unit admin
    assert "_auth_user_id" not in client.session
    user = HsaIdentity.objects.get(hsa_id="TEST-E-STRANGER").user  # known now, without a role
    assert not user.memberships.exists() and not user.has_usable_password()
    assert events("login.refused").get().detail["reason"] == "no_membership"


def test_a_reserve_card_is_refused(client, world, with_idp):
    link_hsa(world.ward_staff, "TEST-E-WARD-STAFF")
    response, _ = oidc_login(client, "ward_staff_reserve")
    assert response.status_code == 403 and "för låg tillitsnivå" in text(response)
    assert "_auth_user_id" not in client.session
    event = events("login.refused").get()
    assert event.detail["reason"] == "loa" and event.detail["acr"] == LOA2


def test_a_reserve_card_reads_only_where_the_policy_allows(client, world, with_idp, settings):
    settings.OIDC_LOA2_READ_ONLY = True
    link_hsa(world.ward_staff, "TEST-E-WARD-STAFF")
    response, _ = oidc_login(client, "ward_staff_reserve")
    assert response.status_code == 302
    request = client.get(reverse("start")).wsgi_request
    assert request.actor.role == "reader" and not request.actor.can("write_personal")
    assert world.ward_staff.memberships.get().role == "staff"  # nothing stored changed
    assert events("login.success").get().detail["read_only"] is True


def test_missing_hsa_id_claim_gives_the_swedish_page(client, world, with_idp):
    response, _ = oidc_login(client, "no_hsa")
    assert response.status_code == 403 and "saknar uppgift om ditt HSA-id" in text(response)
    assert events("login.refused").get().detail["missing"] == ["employeeHsaId"]


def test_a_replayed_state_is_refused(client, world, with_idp):
    link_hsa(world.ward_staff, "TEST-E-WARD-STAFF")
    authorize = client.get(reverse("oidc_login", args=["siths"]))
    from samverkan.accounts.testing import IdpBrowser

    idp = IdpBrowser()
    back = idp.walk(
        idp.log_in(idp.walk(authorize.url, "http://testserver"), "ward_staff"), "http://testserver"
    )
    callback = back.removeprefix("http://testserver")
    assert client.get(callback).status_code == 302
    client.post(reverse("logout"))
    again = client.get(callback)
    assert again.status_code == 403 and "redan använts" in text(again)
    assert events("login.refused").get().detail["reason"] == "state"


def test_logout_ends_both_sessions(client, world, with_idp):
    link_hsa(world.ward_staff, "TEST-E-WARD-STAFF")
    _, idp = oidc_login(client, "ward_staff")
    response = client.post(reverse("logout"))
    assert response.status_code == 302 and response.url.startswith(with_idp["issuer"] + "/logout/")
    assert "id_token_hint=" in response.url and "post_logout_redirect_uri=" in response.url
    assert client.get(reverse("start")).status_code == 302  # local session over
    back = idp.walk(response.url, "http://testserver")
    assert back.startswith("http://testserver/logga-in/")
    # at the IdP too: a new login asks for the card again instead of passing straight through
    authorize = client.get(reverse("oidc_login", args=["siths"]))
    page = idp.walk(authorize.url, "http://testserver")
    assert not isinstance(page, str) and "Legitimera" in page.text
    assert events("logout", user=world.ward_staff).exists()


def test_an_inactive_user_is_refused(client, world, with_idp):
    link_hsa(world.ward_staff, "TEST-E-WARD-STAFF")
    world.ward_staff.is_active = False
    world.ward_staff.save()
    response, _ = oidc_login(client, "ward_staff")
    assert response.status_code == 403 and "avstängt" in text(response)


def test_after_a_refusal_the_provider_session_can_be_ended(client, world, with_idp):
    response, idp = oidc_login(client, "stranger")
    assert "Logga ut från identitetsleverantören" in text(response)
    logout = client.post(reverse("logout"))
    assert logout.url.startswith(with_idp["issuer"] + "/logout/")
    idp.walk(logout.url, "http://testserver")
    authorize = client.get(reverse("oidc_login", args=["siths"]))
    page = idp.walk(authorize.url, "http://testserver")
    assert not isinstance(page, str) and "Legitimera" in page.text


def test_an_unreachable_provider_gives_a_swedish_page(client, db, settings):
    settings.OIDC_PROVIDERS = [
        {"name": "siths", "issuer": "http://127.0.0.1:9/o", "client_id": "x", "client_secret": "y"}
    ]
    response = client.get(reverse("oidc_login", args=["siths"]))
    assert response.status_code == 403 and "svarar inte" in text(response)


def test_forms_may_lead_to_the_identity_providers_and_nowhere_else():
    from samverkan.settings import provider_origins

    providers = [
        {"issuer": "https://idp.inera.se/oidc"},
        {"discovery_url": "https://fed.example.se:8443/op/.well-known/openid-configuration"},
    ]
    assert provider_origins(providers) == ["https://fed.example.se:8443", "https://idp.inera.se"]


def test_the_municipal_entry_logs_in_the_same_way(client, world, with_idp):
    link_hsa(world.ward_staff, "TEST-E-WARD-STAFF")
    response, _ = oidc_login(client, "ward_staff", start=reverse("oidc_login", args=["kommun"]))
    assert response.status_code == 302
    assert events("login.success").get().detail["provider"] == "kommun"
