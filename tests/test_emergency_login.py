"""Passwords only for the demo and for emergency accounts (TOTP, during a declared downtime)."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from samverkan.accounts.models import EmergencyAccount
from samverkan.downtime.models import Downtime
from samverkan.testing import PASSWORD

from .helpers import events, text


@pytest.fixture
def emergency(world, settings):
    settings.PASSWORD_LOGIN = False
    user = world.school_staff  # has the test password
    EmergencyAccount.objects.create(user=user, note="Reserv vid driftstopp")
    device = TOTPDevice.objects.create(user=user, name="reserv", confirmed=True)
    return user, device


def code(device) -> str:
    return str(totp(device.bin_key, device.step, device.t0, device.digits)).zfill(device.digits)


def declare(world, scope="idp", principal=None, **times):
    now = timezone.now()
    return Downtime.objects.create(
        starts_at=times.get("starts_at", now - timedelta(hours=1)),
        ends_at=times.get("ends_at"),
        scope=scope,
        principal=principal,
        reason="SITHS-inloggningen ligger nere",
        declared_by=world.sysadmin,
    )


def login(client, user, otp=""):
    data = {"username": user.username, "password": PASSWORD, "otp": otp}
    return client.post(reverse("login"), data)


def test_password_login_off_refuses_ordinary_users(client, world, emergency):
    response = login(client, world.ward_staff)
    assert response.status_code == 200 and "Inloggning med lösenord är avstängd" in text(response)
    assert "_auth_user_id" not in client.session
    assert events("login.refused", user=world.ward_staff).get().detail == {"reason": "password_off"}
    assert "Reservkonto vid driftstopp" in text(client.get(reverse("login")))


def test_password_login_is_off_by_default_in_production():
    import os
    import subprocess
    import sys

    env = {
        **os.environ,
        "SAMVERKAN_ENV": "production",
        "SECRET_KEY": "p" * 60,
        "PSEUDONYM_KEY": "k" * 40,
    }
    env.pop("SAMVERKAN_PASSWORD_LOGIN", None)
    code = "from samverkan import settings; print(settings.PASSWORD_LOGIN)"
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert out.stdout.strip() == "False", out.stderr


def test_an_emergency_account_is_refused_outside_a_downtime(client, world, emergency):
    user, device = emergency
    declare(world, starts_at=timezone.now() - timedelta(hours=3), ends_at=timezone.now())  # over
    response = login(client, user, code(device))
    assert "bara användas under ett utlyst driftstopp av inloggningstjänsten" in text(response)
    assert "_auth_user_id" not in client.session
    assert events("login.refused", user=user).get().detail == {"reason": "no_downtime"}


@pytest.mark.parametrize("scope", ["all", "principal", "unit"])
def test_only_a_downtime_of_the_identity_provider_counts(client, world, emergency, scope):
    user, device = emergency
    target = {"principal": {"principal": world.muni_a}, "unit": {"unit": world.a_school}}
    Downtime.objects.create(
        starts_at=timezone.now() - timedelta(hours=1),
        scope=scope,
        reason="Samverkan ligger nere",
        declared_by=world.sysadmin,
        **target.get(scope, {}),
    )
    response = login(client, user, code(device))
    assert "driftstopp av inloggningstjänsten" in text(response)
    assert "_auth_user_id" not in client.session


def test_a_planned_downtime_of_the_identity_provider_does_not_count_yet(client, world, emergency):
    user, device = emergency
    declare(world, starts_at=timezone.now() + timedelta(hours=2))
    assert "_auth_user_id" not in login(client, user, code(device)).wsgi_request.session


def test_inside_a_downtime_the_second_factor_is_needed(client, world, emergency):
    user, device = emergency
    declare(world)
    response = login(client, user)
    assert "engångskod" in text(response) and "_auth_user_id" not in client.session
    assert events("login.failed", user=user).get().detail == {"reason": "otp"}  # counts to lock-out
    assert "_auth_user_id" not in login(client, user, "000000").wsgi_request.session
    assert "engångskod" in text(login(client, user, code(device)))  # django-otp throttles a while
    with time_machine.travel(timezone.now() + timedelta(seconds=30)):
        device.refresh_from_db()
        response = login(client, user, code(device))
        assert response.status_code == 302 and client.session["_auth_user_id"] == str(user.pk)
    detail = events("login.success", user=user).get().detail
    assert detail == {"method": "password", "emergency": True}


def test_emergency_accounts_need_downtime_and_totp_also_with_password_login_on(
    client, world, emergency, settings
):
    settings.PASSWORD_LOGIN = True
    user, device = emergency
    assert "driftstopp" in text(login(client, user, code(device)))
    declare(world)
    assert login(client, user, code(device)).status_code == 302


def test_the_downtime_is_declared_in_admin_by_a_system_admin(client, world):
    client.force_login(world.sysadmin)
    url = reverse("admin:downtime_downtime_add")
    assert client.get(url).status_code == 200
    data = {
        "starts_at_0": "2026-12-01",
        "starts_at_1": "08:00",
        "scope": "idp",
        "reason": "Planerat stopp",
    }
    assert client.post(url, data).status_code == 302
    assert Downtime.objects.get().declared_by == world.sysadmin
    client.force_login(world.ward_staff)
    assert client.get(url).status_code in (302, 403)
