"""Min plan's login with a national e-ID through the local OIDC provider (a real process): the
person session is apart from staff's, the trust level and the personnummer claim are checked,
and a staff card never opens Min plan nor an e-ID the staff pages."""

from django.urls import reverse

from samverkan.accounts.testing import oidc_login
from samverkan.myplan.citizen import SESSION_KEY
from samverkan.myplan.testing import citizen_login
from samverkan.testing import PNR_A

from .helpers import events, text


def test_the_login_page_lists_only_the_e_id_providers(client, db, with_eid, with_idp):
    body = text(client.get(reverse("myplan_login")))
    assert "Logga in med e-legitimation" in body and "Logga in med SITHS" not in body
    assert "Logga in med e-legitimation" not in text(client.get(reverse("login"))).replace(
        "Logga in med e-legitimation (kommun)", ""
    )


def test_a_person_logs_in_with_e_id_and_sees_their_plan(client, world, with_eid):
    response, _ = citizen_login(client, "astrid")
    assert response.status_code == 302 and response.url == reverse("myplan_start")
    assert client.session[SESSION_KEY]["identity"] == PNR_A
    assert "_auth_user_id" not in client.session  # never a Django (staff) user
    own = client.get(response.url)
    assert own.url == reverse("myplan_plan", args=[world.patient.public_id])
    assert client.get(own.url).status_code == 200
    login = events("myplan.login").get()
    assert login.username == f"e-legitimation:{PNR_A}" and login.user is None
    assert login.detail["acr"] == "http://id.elegnamnden.se/loa/1.0/loa3"
    assert client.get(reverse("start")).url.startswith(reverse("login"))  # no staff page


def test_a_lower_trust_level_is_refused(client, world, with_eid):
    response, _ = citizen_login(client, "astrid_low")
    assert response.status_code == 403 and "för låg tillitsnivå" in text(response)
    assert SESSION_KEY not in client.session
    assert events("myplan.login_refused").get().detail["reason"] == "loa"


def test_a_staff_card_does_not_open_min_plan(client, world, with_eid):
    response, _ = citizen_login(client, "ward_staff")
    assert response.status_code == 403 and SESSION_KEY not in client.session
    assert events("myplan.login_refused").get().detail["reason"] in ("loa", "missing_claims")


def test_an_e_id_does_not_open_the_staff_pages(client, world, with_idp, with_eid):
    response, _ = oidc_login(client, "astrid")
    assert response.status_code == 403 and "_auth_user_id" not in client.session
    assert events("login.refused").get().detail["reason"] in ("loa", "missing_claims")


def test_an_e_id_login_ends_a_staff_session_in_the_browser(client, world, with_eid, as_user):
    as_user(world.ward_staff)
    response, _ = citizen_login(client, "astrid")
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session and SESSION_KEY in client.session


def test_logout_ends_the_person_session_and_the_providers(client, world, with_eid):
    citizen_login(client, "astrid")
    response = client.post(reverse("myplan_logout"))
    assert response.status_code == 302 and "/o/logout/" in response.url
    assert "id_token_hint=" in response.url and SESSION_KEY not in client.session
    assert client.get(reverse("myplan_start")).url.startswith(reverse("myplan_login"))
    assert events("myplan.logout").count() == 1


def test_a_next_of_kin_logs_in_and_reads_only_with_consent(client, world, with_eid):
    from samverkan.myplan.testing import shared

    citizen_login(client, "dottern")
    start = client.get(reverse("myplan_start"))
    assert start.status_code == 200 and "Astrid" not in text(start)
    plan = reverse("myplan_plan", args=[world.patient.public_id])
    assert client.get(plan).status_code == 404
    shared(world.patient, name="Karin")
    assert "Astrid Testsson" in text(client.get(reverse("myplan_start")))
    assert client.get(plan).status_code == 200
