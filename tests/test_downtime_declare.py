"""Declared downtime on /driftstopp/: a system admin declares start, end and scope; a planned
stop regenerates the snapshots it covers; the banner shows it to those it concerns."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from samverkan.cases.testing import actor, ready
from samverkan.downtime import services as downtime
from samverkan.downtime.jobs import take_due_snapshots
from samverkan.downtime.models import Downtime, Snapshot, SnapshotRun

from .helpers import events, text


def local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def form(start, end=None, scope="all", **extra):
    data = {"starts_at": local(start), "scope": scope, "reason": "Planerat underhåll", **extra}
    if end:
        data["ends_at"] = local(end)
    return data


def test_a_system_admin_declares_a_downtime_on_the_page(client, world):
    client.force_login(world.sysadmin)
    assert client.get(reverse("downtimes")).status_code == 200
    now = timezone.now()
    response = client.post(reverse("downtime_declare"), form(now, now + timedelta(hours=2)))
    assert response.status_code == 302
    found = Downtime.objects.get()
    assert found.declared_by == world.sysadmin and found.scope == "all"
    assert events("downtime.declare", user=world.sysadmin).get().detail["scope"] == "all"
    assert "Planerat underhåll" in text(client.get(reverse("downtimes")))
    stray = form(now, scope="idp", principal=world.muni_a.pk, unit=world.ward.pk)
    assert client.post(reverse("downtime_declare"), stray).status_code == 302
    assert Downtime.objects.filter(scope="idp", principal=None, unit=None).exists()


@pytest.mark.parametrize(
    "scope, target, covered",
    [
        ("principal", "muni_a", {"a_needs"}),
        ("unit", "ward", {"ward"}),
        ("all", None, {"ward", "a_needs"}),
        ("idp", None, {"ward", "a_needs"}),
    ],
)
def test_a_planned_stop_regenerates_the_snapshots_it_covers(client, world, scope, target, covered):
    ready(world)
    client.force_login(world.sysadmin)
    start = timezone.now() + timedelta(hours=3)
    field = {"principal": "principal", "unit": "unit"}.get(scope)
    extra = {field: getattr(world, target).pk} if field else {}
    assert (
        client.post(reverse("downtime_declare"), form(start, scope=scope, **extra)).status_code
        == 302
    )
    runs = SnapshotRun.objects.filter(reason="planned_stop")
    names = {"ward": world.ward.pk, "a_needs": world.a_needs.pk, "pcc": world.pcc.pk}
    expected = {names[n] for n in covered}
    if scope in ("all", "idp"):
        expected.add(world.pcc.pk)
    assert set(runs.values_list("unit", flat=True)) == expected
    with time_machine.travel(timezone.now() + timedelta(seconds=5), tick=False):
        assert take_due_snapshots() >= len(expected)
    assert (
        set(Snapshot.objects.filter(reason="planned_stop").values_list("unit", flat=True))
        == expected
    )


def test_a_downtime_already_going_on_regenerates_nothing(world):
    now = timezone.now()
    values = {"starts_at": now - timedelta(minutes=5), "scope": "all", "reason": "Nätet nere"}
    downtime.declare_downtime(actor(world.sysadmin), values)
    assert not SnapshotRun.objects.exists()


@pytest.mark.parametrize(
    "data, field",
    [
        ({"scope": "principal"}, "Välj huvudman"),
        ({"scope": "unit"}, "Välj enhet"),
        ({"scope": "sometimes"}, "Välj ett giltigt alternativ"),
        ({"ends_before": True}, "Slutet måste vara efter början"),
        ({"far": True}, "högst ett år fram"),
        ({"reason": "x" * 201}, "200 tecken"),
    ],
)
def test_bad_input_is_refused_and_nothing_written(client, world, data, field):
    client.force_login(world.sysadmin)
    now = timezone.now() + (timedelta(days=400) if data.pop("far", False) else timedelta(0))
    end = now - timedelta(hours=1) if data.pop("ends_before", False) else None
    response = client.post(reverse("downtime_declare"), {**form(now, end), **data})
    assert response.status_code == 400 and field in text(response)
    assert not Downtime.objects.exists() and not events("downtime.declare").exists()


def test_only_a_system_admin_declares(client, world):
    for user in (world.ward_admin, world.ward_staff, world.analyst):
        client.force_login(user)
        assert client.get(reverse("downtimes")).status_code == 403
        assert client.post(reverse("downtime_declare"), form(timezone.now())).status_code == 403
    assert not Downtime.objects.exists()


def test_the_end_is_set_when_samverkan_is_back(client, world):
    client.force_login(world.sysadmin)
    start = timezone.now() - timedelta(hours=2)
    client.post(reverse("downtime_declare"), form(start, scope="idp"))
    found = Downtime.objects.get()
    assert Downtime.objects.of_identity_provider().exists()
    assert client.post(reverse("downtime_end", args=[found.pk])).status_code == 302
    found.refresh_from_db()
    assert found.ends_at is not None and not Downtime.objects.of_identity_provider().exists()
    assert events("downtime.change", user=world.sysadmin).exists()
    before = {"ends_at": local(start - timedelta(hours=1))}
    client.post(reverse("downtime_end", args=[found.pk]), before)
    found.refresh_from_db()
    assert found.ends_at > found.starts_at


def declared(world, scope="all", **kw):
    now = timezone.now()
    return Downtime.objects.create(
        starts_at=kw.pop("starts_at", now - timedelta(hours=4)),
        ends_at=kw.pop("ends_at", now - timedelta(hours=1)),
        scope=scope,
        reason="Samverkan låg nere",
        declared_by=world.sysadmin,
        **kw,
    )


def test_the_banner_shows_a_downtime_that_ended_to_everyone(client, world):
    declared(world)
    for user in (world.ward_staff, world.a_staff, world.analyst):
        client.force_login(user)
        page = text(client.get(reverse("contacts")))
        assert 'id="downtime-banner"' in page and "Samverkan är i gång igen" in page
        assert "Samverkan låg nere" in page


def test_the_banner_links_the_reconciliation_list_when_it_exists(client, world):
    from django.urls import NoReverseMatch
    from django.urls import reverse as rev

    found = declared(world)
    client.force_login(world.ward_staff)
    page = text(client.get(reverse("contacts")))
    try:
        assert rev("downtime_reconciliation", args=[found.pk]) in page
    except NoReverseMatch:
        assert "avstämningslistan" not in page


def test_the_banner_shows_only_what_concerns_the_unit_and_goes_away(client, world):
    declared(world, scope="principal", principal=world.muni_b)
    client.force_login(world.a_staff)
    assert 'id="downtime-banner"' not in text(client.get(reverse("contacts")))
    client.force_login(world.b_staff)
    assert "Samverkan låg nere" in text(client.get(reverse("contacts")))
    with time_machine.travel(timezone.now() + timedelta(days=4)):
        assert 'id="downtime-banner"' not in text(client.get(reverse("contacts")))


def test_a_planned_stop_is_announced(client, world):
    soon = timezone.now() + timedelta(days=1)
    declared(
        world, scope="unit", unit=world.ward, starts_at=soon, ends_at=soon + timedelta(hours=1)
    )
    client.force_login(world.ward_staff)
    assert "Planerat driftstopp" in text(client.get(reverse("contacts")))
    client.force_login(world.pcc_staff)
    assert 'id="downtime-banner"' not in text(client.get(reverse("contacts")))


def test_the_login_page_tells_that_the_login_service_is_down(client, world):
    declared(world, scope="idp", ends_at=None)
    page = text(client.get(reverse("login")))
    assert "Pågående driftstopp" in page and "inloggningstjänsten" in page
