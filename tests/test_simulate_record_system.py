"""manage.py simulate_record_system against a live server: a short stream of a test person's
stay arrives over HTTP through the FHIR endpoint and drives the case."""

import io

import pytest
from django.core.management import CommandError, call_command

from samverkan.accounts.models import HsaIdentity
from samverkan.api.models import ApiToken
from samverkan.cases.models import Case
from samverkan.fhir import demo
from samverkan.fhir.models import ReceivedMessage
from samverkan.lib.testdata import skatteverket_numbers
from samverkan.testing import build_world


@pytest.fixture
def live_world(transactional_db):
    world = build_world()
    HsaIdentity.objects.create(user=world.ward_physician, hsa_id="TEST-ward-physician")
    return world


def simulate(live_server, world, *args) -> str:
    token = ApiToken.issue(world.ward_staff.memberships.first(), "test")[1]
    out = io.StringIO()
    call_command(
        "simulate_record_system",
        f"--url={live_server.url}",
        f"--token={token}",
        f"--ward={world.ward.hsa_id}",
        "--physician=TEST-ward-physician",
        "--rate=6000",
        "--seed=3",
        *args,
        stdout=out,
    )
    return out.getvalue()


def test_a_short_stream_arrives(live_server, live_world):
    out = simulate(live_server, live_world, "--count=5", "--at-once=1")
    lines = out.splitlines()
    assert len(lines) == 6 and lines[-1] == "5 meddelanden skickade, 0 ej godtagna."
    assert all(line.endswith(": 200 ok") for line in lines[:5])
    assert ReceivedMessage.objects.count() == 5
    case = Case.objects.get()  # one stay at a time: the first person's
    assert case.patient.identity in skatteverket_numbers()
    assert case.ward == live_world.ward and case.notice_sent_at is not None
    assert case.admitted_at == ReceivedMessage.objects.get(event="admission").occurred_at


def test_once_sends_one_whole_stay(live_server, live_world):
    out = simulate(live_server, live_world, "--once")
    events = [line.split()[2].rstrip(":") for line in out.splitlines()[:-1]]
    assert events[:2] == ["admission", "support-judgement"]
    assert events[-1] in ("discharge", "death", "transfer")
    case = Case.objects.get()
    assert case.state in (Case.State.DISCHARGED, Case.State.CLOSED)
    assert ReceivedMessage.objects.filter(case=case).count() == len(events)


def test_a_wrong_token_is_refused_and_said(live_server, live_world):
    out = io.StringIO()
    call_command(
        "simulate_record_system",
        f"--url={live_server.url}",
        "--token=sv_wrong",
        f"--ward={live_world.ward.hsa_id}",
        "--physician=TEST-ward-physician",
        "--count=1",
        "--rate=6000",
        stdout=out,
    )
    assert ": 401" in out.getvalue() and "1 ej godtagna" in out.getvalue()
    assert not Case.objects.exists()


def test_the_demo_account_is_made_by_seed_integration(live_world):
    from samverkan.directory.models import Unit

    Unit.objects.filter(pk=live_world.ward.pk).update(name=demo.WARD_NAME)
    membership = demo.seed_integration()
    assert membership.user.username == "journalsystem" and not membership.user.has_usable_password()
    assert demo.seed_integration() == membership  # safe to run again
    assert demo.physician_hsa(membership.unit)  # the ward's physician has an HSA-id
    with pytest.raises(CommandError, match="seed_demo"):
        Case.objects.all().delete()
        from samverkan.patients.models import Patient

        Patient.objects.all().delete()
        call_command("simulate_record_system", "--count=1", stdout=io.StringIO())
