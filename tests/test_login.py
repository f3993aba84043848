"""Login: Argon2, Swedish messages, audit of every attempt, lock-out after repeated failures."""

from datetime import timedelta

import time_machine
from django.urls import reverse
from django.utils import timezone

from samverkan.testing import PASSWORD

from .helpers import events, text

URL = reverse("login")


def login(client, password, username="ward_staff"):
    return client.post(URL, {"username": username, "password": password}, REMOTE_ADDR="10.1.2.3")


def test_login_page_is_swedish(client, db):
    response = client.get(URL)
    assert response.status_code == 200 and "Logga in" in text(response)
    assert 'lang="sv"' in text(response)


def test_login_succeeds_and_is_audited(client, world):
    response = login(client, PASSWORD)
    assert response.status_code == 302 and response.url == reverse("start")
    event = events("login.success").get()
    assert event.user == world.ward_staff and event.ip == "10.1.2.3"


def test_production_hashes_passwords_with_argon2():
    from samverkan import settings as production

    assert production.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_wrong_password_is_refused_and_audited(client, world):
    response = login(client, "fel")
    assert response.status_code == 200
    assert "Fel användarnamn eller lösenord." in text(response)
    assert events("login.failed", username="ward_staff").count() == 1
    assert "_auth_user_id" not in client.session


def test_lockout_after_repeated_failures_even_with_right_password(client, world, settings):
    for _ in range(settings.LOCKOUT_FAILURES):
        login(client, "fel")
    response = login(client, PASSWORD)
    assert "spärrat" in text(response) and "_auth_user_id" not in client.session
    assert events("login.locked").count() == 1
    with time_machine.travel(timezone.now() + timedelta(minutes=settings.LOCKOUT_MINUTES + 1)):
        assert login(client, PASSWORD).status_code == 302


def test_success_resets_the_failure_count(client, world, settings):
    for _ in range(settings.LOCKOUT_FAILURES - 1):
        login(client, "fel")
    assert login(client, PASSWORD).status_code == 302
    client.post(reverse("logout"))
    login(client, "fel")
    assert login(client, PASSWORD).status_code == 302


def test_logout_needs_post_and_is_audited(client, world):
    client.force_login(world.ward_staff)
    assert client.get(reverse("logout")).status_code == 405
    assert client.post(reverse("logout")).status_code == 302
    assert events("logout", user=world.ward_staff).exists()
    assert client.get(reverse("start")).status_code == 302


def test_pages_need_login(client, db):
    response = client.get(reverse("contacts"))
    assert response.status_code == 302 and response.url.startswith(URL)
