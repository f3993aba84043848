"""Sessions: one shift from the login, an idle timeout, and step-up before sensitive acts."""

from datetime import timedelta

import time_machine
from django.urls import reverse
from django.utils import timezone

from samverkan.accounts.testing import IdpBrowser, link, oidc_login
from samverkan.cases.testing import notified
from samverkan.testing import PASSWORD

from .helpers import events, text


def age_login(client, seconds: int) -> None:
    session = client.session
    session["auth_at"] -= seconds
    session.save()


def test_an_idle_session_ends_and_is_audited(client, world, settings):
    client.force_login(world.ward_staff)
    assert client.get(reverse("start")).status_code == 200
    with time_machine.travel(
        timezone.now() + timedelta(seconds=settings.SESSION_IDLE_SECONDS + 60)
    ):
        response = client.get(reverse("contacts"))
        assert response.status_code == 302 and response.url.startswith(reverse("login"))
        assert "_auth_user_id" not in client.session
    assert events("logout", user=world.ward_staff).get().detail == {"reason": "idle"}
    assert "utan aktivitet" in text(client.get(response.url))


def test_a_shift_ends_even_when_active(client, world, settings):
    settings.SESSION_SHIFT_SECONDS, settings.SESSION_IDLE_SECONDS = 300, 200
    client.force_login(world.ward_staff)
    start = timezone.now()
    for minutes in (3, 6):  # a request every three minutes: never idle
        with time_machine.travel(start + timedelta(minutes=minutes)):
            response = client.get(reverse("contacts"))
    assert response.status_code == 302
    assert events("logout", user=world.ward_staff).get().detail == {"reason": "shift"}
    with time_machine.travel(start + timedelta(minutes=2)):
        client.force_login(world.ward_staff)
        assert client.get(reverse("contacts")).status_code == 200


def test_step_up_with_the_password_before_exporting_the_log(client, world):
    world.ward_admin.set_password(PASSWORD)
    world.ward_admin.save()
    client.force_login(world.ward_admin)
    age_login(client, 3600)
    export = reverse("audit_export")
    response = client.get(export)
    assert response.status_code == 302 and response.url.startswith(reverse("step_up"))
    assert "Ange ditt lösenord igen" in text(client.get(response.url))
    wrong = client.post(response.url, {"password": "fel", "next": export})
    assert wrong.status_code == 200 and "Fel lösenord" in text(wrong)
    assert events("login.failed", user=world.ward_admin).exists()
    right = client.post(response.url, {"password": PASSWORD, "next": export})
    assert right.status_code == 302 and right.url == export
    assert client.get(export).status_code == 200
    assert events("login.step_up", user=world.ward_admin).get().detail == {"method": "password"}


def test_a_fresh_login_exports_without_step_up(as_user, world):
    assert as_user(world.ward_admin).get(reverse("audit_export")).status_code == 200


def test_step_up_at_the_identity_provider_before_ready_for_discharge(client, world, with_idp):
    link(world.ward_physician, "TEST-E-WARD-PHYS")
    _, idp = oidc_login(client, "ward_physician")
    case = notified(world)
    page = reverse("case_detail", args=[case.public_id])
    ready = reverse("case_action", args=[case.public_id, "ready"])
    data = {"version": case.version, "sip_needed": "0"}
    age_login(client, 3600)
    response = client.post(ready, data, HTTP_REFERER=f"http://testserver{page}")
    assert response.status_code == 302 and response.url.startswith(reverse("step_up"))
    case.refresh_from_db()
    assert case.state == "admitted"  # nothing done before the step-up
    authorize = client.get(response.url)
    assert "prompt=login" in authorize.url and "max_age=0" in authorize.url
    login_page = idp.walk(authorize.url, "http://testserver")
    assert not isinstance(login_page, str)  # the IdP asks for the card again
    back = idp.walk(idp.log_in(login_page, "ward_physician"), "http://testserver")
    returned = client.get(back.removeprefix("http://testserver"))
    assert returned.status_code == 302 and returned.url == f"http://testserver{page}"
    assert client.post(ready, data).status_code == 302
    case.refresh_from_db()
    assert case.state == "ready"
    assert events("login.step_up", user=world.ward_physician).get().detail["provider"] == "siths"


def test_step_up_by_another_person_is_refused(client, world, with_idp):
    link(world.ward_physician, "TEST-E-WARD-PHYS")
    oidc_login(client, "ward_physician")
    age_login(client, 3600)
    step_up = client.get(reverse("step_up"), {"next": reverse("audit_export")})
    other = IdpBrowser()
    page = other.walk(step_up.url, "http://testserver")
    back = other.walk(other.log_in(page, "ward_staff"), "http://testserver")
    response = client.get(back.removeprefix("http://testserver"))
    assert response.status_code == 403 and "den som är inloggad" in text(response)
    assert events("login.refused").get().detail["reason"] == "step_up"
    assert client.get(reverse("audit_export")).status_code == 302  # still not fresh


def test_after_an_idle_end_the_provider_asks_for_the_card_again(client, world, with_idp, settings):
    link(world.ward_staff, "TEST-E-WARD-STAFF")
    oidc_login(client, "ward_staff")
    later = timezone.now() + timedelta(seconds=settings.SESSION_IDLE_SECONDS + 60)
    with time_machine.travel(later):
        assert client.get(reverse("start")).status_code == 302
        again = client.get(reverse("oidc_login", args=["siths"]))
    assert "prompt=login" in again.url and "max_age" not in again.url
    assert "prompt=login" not in client.get(reverse("oidc_login", args=["siths"])).url


def test_an_outsider_gets_404_before_any_step_up(as_user, client, world):
    """The chokepoint answers first: a stale login of a unit outside the case learns nothing."""
    case = notified(world)
    outsider = as_user(world.b_staff)
    age_login(outsider, 3600)
    ready = reverse("case_action", args=[case.public_id, "ready"])
    assert outsider.post(ready, {"version": case.version, "sip_needed": "0"}).status_code == 404
    insider = as_user(world.ward_physician)
    age_login(insider, 3600)
    response = insider.post(ready, {"version": case.version, "sip_needed": "0"})
    assert response.status_code == 302 and response.url.startswith(reverse("step_up"))
