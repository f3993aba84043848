"""The downtime snapshot: exactly the unit's open cases, the person's identity, the clocks, the
receipts owed and the contacts; encrypted with the unit's passphrase; taken at every check time."""

import io
import subprocess
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pikepdf
import pytest
import time_machine
from django.utils import timezone

from samverkan.cases import services
from samverkan.cases.testing import actor, in_patients, ready
from samverkan.directory.models import Unit
from samverkan.downtime import services as downtime
from samverkan.downtime.jobs import take_due_snapshots
from samverkan.downtime.models import Passphrase, Snapshot, SnapshotRun
from samverkan.downtime.secrets import unseal
from samverkan.downtime.snapshot import take
from samverkan.patients.models import Patient
from samverkan.testing import PNR_NEW

PHRASE = "Korrekt häst batteri häftklammer"
ZONE = ZoneInfo("Europe/Stockholm")


def pdf_text(data: bytes, password=PHRASE) -> str:
    with pikepdf.open(io.BytesIO(data), password=password) as doc:
        plain = io.BytesIO()
        doc.save(plain)
    out = subprocess.run(
        ["pdftotext", "-", "-"], input=plain.getvalue(), capture_output=True, check=True
    )
    return " ".join(out.stdout.decode().split())  # table cells wrap: compare words in order


@pytest.fixture
def keyed(world):
    Unit.objects.filter(pk=world.a_needs.pk).update(phone="0455-30 30 30")
    downtime.set_passphrase(actor(world.ward_admin), PHRASE)
    downtime.set_passphrase(actor(world.a_admin), PHRASE + " A")
    return world


def other_wards_case(world):
    """A person of municipality B on another ward: never in the ward's or A's snapshot."""
    person = Patient.objects.create(
        identity=PNR_NEW,
        identity_kind="personnummer",
        given_name="Bertil",
        family_name="Utomstående",
        registered_municipality=world.muni_b,
    )
    staff = actor(world.other_ward_staff)
    return services.open_case(staff, person, admitted_at=timezone.now(), now=timezone.now())


def test_the_pdf_lists_exactly_the_units_open_cases_and_the_contacts(keyed):
    world = keyed
    case = ready(world, sip_needed=True)
    other_wards_case(world)
    extra = in_patients(world, 2)
    services.interrupt(actor(world.ward_staff), extra[1], reason="misdirected")  # closed
    snapshot = take(world.ward)
    text = pdf_text(bytes(snapshot.pdf))
    assert "Uppgifter per" in text and "Senaste händelse" in text
    assert "Testsson, Astrid – 19400104-2383" in text and "född 1940-01-04" in text
    assert "Storgatan 1, 371 30 Karlskrona" in text
    assert "Efternamn0" in text and "Efternamn1" not in text
    assert snapshot.cases == 2
    assert "Utomstående" not in text and PNR_NEW[:8] not in text
    assert "A Needs" in text and "0455-30 30 30" in text  # the other unit's phone
    assert "Utskrivningsklar" in text and "kallas senast" in text
    assert "inskrivningsmeddelande" in text.lower()
    assert case.patient_id in snapshot.people


def test_it_does_not_open_without_the_passphrase(keyed):
    ready(keyed)
    snapshot = take(keyed.ward)
    with pytest.raises(pikepdf.PasswordError):
        pikepdf.open(io.BytesIO(bytes(snapshot.pdf)))
    with pytest.raises(pikepdf.PasswordError):
        pikepdf.open(io.BytesIO(bytes(snapshot.pdf)), password=PHRASE + " A")
    with pikepdf.open(io.BytesIO(bytes(snapshot.pdf)), password=PHRASE) as doc:
        assert doc.encryption.bits == 256 and doc.encryption.R == 6  # AES-256


def test_the_passphrase_is_sealed_with_the_server_key(keyed, settings):
    sealed = bytes(Passphrase.objects.get(unit=keyed.ward).sealed)
    assert PHRASE.encode() not in sealed and unseal(sealed) == PHRASE
    settings.SECRET_KEY = "another-key-" + "y" * 50  # a dump without the key
    assert unseal(sealed) is None


def test_outsiders_are_never_in_another_units_snapshot(keyed):
    world = keyed
    ready(world)
    other_wards_case(world)
    mine = take(world.a_needs)
    assert "Testsson" in pdf_text(bytes(mine.pdf), PHRASE + " A")
    b_snapshot = take(world.b_needs)  # B takes part in nothing of A's
    assert world.patient.pk not in b_snapshot.people
    other = take(world.other_ward)
    assert world.patient.pk not in other.people and other.cases == 1
    assert all(i["case"] != str(world.patient.cases.get().public_id) for i in other.items)


def test_items_say_what_was_pending_and_who_owes_it(keyed):
    world = keyed
    case = ready(world, sip_needed=True)
    services.ask(actor(world.ward_staff), case, text="Behövs hemtjänst?")
    fresh = in_patients(world, 1)[0]
    items = take(world.ward).items
    kinds = {(i["case"], i["kind"], i["unit"]) for i in items}
    c, ward, needs = str(case.public_id), str(world.ward.public_id), str(world.a_needs.public_id)
    assert (str(fresh.public_id), "admission_notice", ward) in kinds
    assert (c, "acknowledgement", needs) in kinds  # the notice and the ready notice
    assert (c, "discharge", ward) in kinds
    assert (c, "answer", needs) in kinds
    assert any(k == "sip_call" for _, k, _ in kinds)
    assert {i["kind"] for i in items} <= set(Snapshot.PENDING_KINDS)
    assert all(set(i) == {"case", "kind", "unit", "ref", "due_at"} for i in items)


def test_a_new_snapshot_replaces_the_old_pdf_but_keeps_its_items(keyed):
    ready(keyed)
    first = take(keyed.ward)
    second = take(keyed.ward, timezone.now() + timedelta(minutes=1))
    first.refresh_from_db()
    assert first.pdf is None and first.items and second.pdf
    assert Snapshot.latest_before(keyed.ward, timezone.now() + timedelta(minutes=2)) == second


def test_no_passphrase_no_pdf(world):
    ready(world)
    snapshot = take(world.pcc)
    assert snapshot.pdf is None and snapshot.cases == 1  # items still kept for reconciliation


def at(hour, minute=0, day=2):
    return datetime(2026, 12, day, hour, minute, tzinfo=ZONE)


def test_snapshots_are_taken_at_every_check_time_over_a_day(keyed):
    world = keyed
    with time_machine.travel(at(7, 0), tick=False):
        ready(world)
    seen = {}
    for moment in [
        at(7, 30),
        at(8, 0) + timedelta(seconds=30),
        at(8, 5),
        at(11, 59),
        at(12, 1),
        at(15, 0),
        at(23),
    ]:
        with time_machine.travel(moment, tick=False):
            seen[moment.strftime("%H:%M")] = take_due_snapshots()
    units = {world.ward.pk, world.a_needs.pk, world.pcc.pk}  # take part or hold a passphrase
    # 07:30 takes yesterday's 15:00 snapshot (none yet); every check time once, never twice
    assert seen == {
        "07:30": 3,
        "08:00": 3,
        "08:05": 0,
        "11:59": 0,
        "12:01": 3,
        "15:00": 3,
        "23:00": 0,
    }
    times = SnapshotRun.objects.filter(unit=world.ward).values_list("due_at", flat=True)
    local = sorted(timezone.localtime(t).strftime("%d %H:%M") for t in times)
    assert local == ["01 15:00", "02 08:00", "02 12:00", "02 15:00"]
    assert set(SnapshotRun.objects.values_list("unit", flat=True)) == units
    newest = Snapshot.objects.filter(unit=world.ward).first()
    assert timezone.localtime(newest.taken_at) == at(15, 0)
    assert Snapshot.objects.filter(unit=world.ward, pdf__isnull=False).count() == 1


def test_a_failing_unit_does_not_stop_the_others(keyed, monkeypatch):
    from samverkan.downtime import snapshot as module

    real = module.take

    def flaky(unit, now=None, reason="check_time"):
        if unit.pk == keyed.ward.pk:
            raise RuntimeError("disk full")
        return real(unit, now, reason)

    ready(keyed)
    monkeypatch.setattr(module, "take", flaky)
    with time_machine.travel(at(8, 1), tick=False):
        assert take_due_snapshots() == 2
    monkeypatch.setattr(module, "take", real)
    with time_machine.travel(at(8, 2), tick=False):  # the lease was released: taken next pass
        assert take_due_snapshots() == 1
    assert SnapshotRun.objects.filter(done_at=None).count() == 0
