"""Min plan: the person sees only their own plan, built from the SIP and the stay; next of kin
only with consent and never after revocation; held-back and unreleased items never; nothing for
a person with protected identity; who has read the plan; staff release and the trygghetskvitto."""

import subprocess
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from samverkan.cases.testing import actor
from samverkan.myplan import services
from samverkan.myplan.citizen import SESSION_KEY
from samverkan.myplan.models import Release, Share
from samverkan.myplan.plan import all_items
from samverkan.myplan.testing import (
    PNR_GUARDIAN,
    PNR_KIN,
    PNR_STRANGER,
    as_citizen,
    release_all,
    shared,
    stay_with_plan,
)
from samverkan.testing import PNR_A, PNR_CHILD, PNR_PROTECTED

from .helpers import events, text


@pytest.fixture
def stay(world):
    return stay_with_plan(world)


def _plan_page(client, patient):
    return client.get(reverse("myplan_plan", args=[patient.public_id]))


def test_the_person_sees_their_plan_from_the_sip_and_the_stay(client, world, stay):
    case, sip = stay
    release_all(world, case, sip)
    as_citizen(client, PNR_A)
    start = client.get(reverse("myplan_start"))
    assert start.url == reverse("myplan_plan", args=[world.patient.public_id])
    body = text(_plan_page(client, world.patient))
    for shown in (
        "Sara Vårdkontakt",
        "0455-73 10 00",  # the care contact and a direct number
        "Stöd från Region Test",
        "Läkemedelsgenomgång",
        "Dr Berg",
        "Stöd från Kommun A",
        "Hemtjänst morgon och kväll",
        "Hanna Handläggare",
        "0455-30 30 30",  # a named contact with phone, per principal
        "Det här gör du själv",
        "Väga dig varje måndag",
        "<strong>Region Test</strong> ser till att planen blir av",  # overall responsibility
        "Möte om din plan (SIP), Hemma",  # the next dated step
        "till: <strong>Hemmet</strong>",
        "läkemedelslista",  # decided at discharge
    ):
        assert shown in body, shown
    assert "Epikris bifogad" not in body  # never the record's or the checklist's texts
    read = events("myplan.read", patient=world.patient).get()
    assert read.username == f"e-legitimation:{PNR_A}" and read.role == "citizen"
    assert read.unit is None and read.user is None


def test_another_persons_plan_is_404_and_the_attempt_is_logged(client, world, stay):
    release_all(world, *stay)
    as_citizen(client, PNR_STRANGER)
    assert _plan_page(client, world.patient).status_code == 404
    assert client.get(reverse("myplan_receipt", args=[world.patient.public_id])).status_code == 404
    assert not events("myplan.read").exists()  # nothing was shown
    start = client.get(reverse("myplan_start"))
    assert start.status_code == 200 and "Vi hittar ingen plan" in text(start)


def test_unreleased_items_wait_for_the_delay_and_staff_may_release_one_earlier(
    client, world, stay, settings
):
    case, sip = stay
    settings.MY_PLAN_RELEASE_DAYS = 14
    as_citizen(client, PNR_A)
    body = text(_plan_page(client, world.patient))
    assert "Läkemedelsgenomgång" not in body and "Sara Vårdkontakt" not in body
    assert "Det finns inget att visa här än" in body
    contact = next(
        i
        for i, _ in all_items(world.patient, [sip], case, timezone.now())
        if i.kind == "care_contact"
    )
    services.release_item(actor(world.pcc_staff), world.patient, contact)
    body = text(_plan_page(client, world.patient))
    assert "Sara Vårdkontakt" in body and "Läkemedelsgenomgång" not in body
    assert events("myplan.release", unit=world.pcc).get().detail == {"kind": "care_contact"}
    with time_machine.travel(timezone.now() + timedelta(days=15)):
        as_citizen(client, PNR_A)
        assert "Läkemedelsgenomgång" in text(_plan_page(client, world.patient))


def test_a_held_back_item_is_never_shown_and_cannot_be_released(client, world, stay):
    case, sip = stay
    items = {i.kind: i for i, _ in all_items(world.patient, [sip], case, timezone.now())}
    services.hold_back_item(
        actor(world.pcc_staff), world.patient, items["plan"], reason="Menprövning: skulle skada"
    )
    with pytest.raises(Exception, match="innehållen"):
        services.release_item(actor(world.pcc_staff), world.patient, items["plan"])
    with pytest.raises(Exception, match="skälet"):
        services.hold_back_item(actor(world.pcc_staff), world.patient, items["meeting"], reason="")
    _release_all_but_plan = [i for k, i in items.items() if k != "plan"]
    for item in _release_all_but_plan:
        services.release_item(actor(world.pcc_staff), world.patient, item)
    with time_machine.travel(timezone.now() + timedelta(days=60)):
        as_citizen(client, PNR_A)
        body = text(_plan_page(client, world.patient))
    assert "Läkemedelsgenomgång" not in body and "Väga dig" not in body
    assert "Sara Vårdkontakt" in body  # the other items are there
    assert Release.objects.get(kind="plan").held_back


def test_next_of_kin_only_with_consent_and_never_after_revocation(client, world, stay):
    release_all(world, *stay)
    as_citizen(client, PNR_KIN)
    assert _plan_page(client, world.patient).status_code == 404  # no consent yet
    as_citizen(client, PNR_A)
    given = client.post(
        reverse("myplan_shares", args=[world.patient.public_id]),
        {"identity": "19750107-9292", "name": "Karin Testsson", "relation": "dotter"},
    )
    assert given.status_code == 302
    share = Share.objects.get()
    assert share.reader_identity == PNR_KIN and share.given_by == "person"
    assert share.recorded_by is None and share.valid_from <= timezone.now()
    assert events("myplan.share", patient=world.patient).get().role == "citizen"
    as_citizen(client, PNR_KIN)
    page = _plan_page(client, world.patient)
    assert page.status_code == 200 and "Läkemedelsgenomgång" in text(page)
    assert "Planen för Astrid Testsson" in text(page)
    # the next of kin does not see who read it nor whom it is shared with
    assert client.get(reverse("myplan_readers", args=[world.patient.public_id])).status_code == 404
    assert client.get(reverse("myplan_shares", args=[world.patient.public_id])).status_code == 404
    as_citizen(client, PNR_A)
    revoke = reverse("myplan_revoke", args=[world.patient.public_id, share.public_id])
    assert client.post(revoke).status_code == 302
    share.refresh_from_db()
    assert share.revoked_at is not None
    as_citizen(client, PNR_KIN)
    assert _plan_page(client, world.patient).status_code == 404
    with time_machine.travel(timezone.now() + timedelta(days=400)):
        as_citizen(client, PNR_KIN)
        assert _plan_page(client, world.patient).status_code == 404  # never again
    assert events("myplan.share_revoke", patient=world.patient).count() == 1


def test_sharing_refuses_bad_input_and_writes_nothing(client, world, stay):
    as_citizen(client, PNR_A)
    url = reverse("myplan_shares", args=[world.patient.public_id])
    for data, message in (
        ({"identity": "19750107-9293", "name": "K", "relation": "dotter"}, "Kontrollsiffran"),
        ({"identity": PNR_A, "name": "K", "relation": "dotter"}, "ditt eget"),
        ({"identity": PNR_KIN, "name": "K" * 101, "relation": "dotter"}, "100 tecken"),
        ({"identity": PNR_KIN, "name": "K", "relation": ""}, "måste fyllas i"),
    ):
        response = client.post(url, data)
        assert response.status_code == 400 and message in text(response), message
    assert not Share.objects.exists() and not events("myplan.share").exists()


def test_protected_identity_shows_nothing_ever(client, world, stay):
    protected = world.protected
    shared(protected, name="K")
    as_citizen(client, PNR_PROTECTED)
    start = client.get(reverse("myplan_start"))
    assert start.status_code == 200 and "Vi hittar ingen plan" in text(start)
    assert _plan_page(client, protected).status_code == 404
    as_citizen(client, PNR_KIN)
    assert _plan_page(client, protected).status_code == 404
    assert "Skyddad" not in text(client.get(reverse("myplan_start")))


def test_a_childs_guardian_follows_the_sip_consent_rules(client, world, as_user):
    world.patient.refresh_from_db()
    child = world.child  # born 2014: under 15, the guardian consents
    child.refresh_from_db()
    with pytest.raises(Exception, match="vårdnadshavaren"):
        services.share_plan(
            _reader(PNR_CHILD), child, identity=PNR_GUARDIAN, name="Gustav", relation="pappa"
        )
    services.share_plan(
        actor(world.pcc_staff),
        child,
        identity=PNR_GUARDIAN,
        name="Gustav Testsson",
        relation="Vårdnadshavare",
        given_by="guardian",
    )
    as_citizen(client, PNR_GUARDIAN)
    assert _plan_page(client, child).status_code == 200
    with time_machine.travel("2032-06-01"):  # Elsa is 18: a guardian's consent no longer holds
        as_citizen(client, PNR_GUARDIAN)
        assert _plan_page(client, child).status_code == 404
    with pytest.raises(Exception, match="vuxen"):
        services.share_plan(
            actor(world.pcc_staff),
            world.patient,
            identity=PNR_GUARDIAN,
            name="G",
            relation="Vårdnadshavare",
            given_by="guardian",
        )


def _reader(identity):
    from samverkan.myplan.citizen import Reader

    return Reader(identity=identity, name="")


def test_who_read_my_plan_names_units_not_staff(client, world, stay, as_user):
    case, sip = stay
    as_user(world.ward_staff)
    assert client.get(reverse("case_detail", args=[case.public_id])).status_code == 200
    client.logout()
    shared(world.patient, name="Karin Testsson")
    as_citizen(client, PNR_KIN)
    _plan_page(client, world.patient)
    as_citizen(client, PNR_A)
    page = client.get(reverse("myplan_readers", args=[world.patient.public_id]))
    body = text(page)
    assert page.status_code == 200
    assert "Ward" in body and "Region Test" in body and "Läsning av ärende" in body
    assert "Karin Testsson (dotter)" in body and "Du själv" in body
    assert "ward_staff" not in body and "Ward Test" not in body  # staff are not named
    assert events("myplan.log.read", patient=world.patient).count() == 1


def test_the_person_session_is_no_staff_session_and_vice_versa(client, world, stay, as_user):
    as_citizen(client, PNR_A)
    assert client.get(reverse("start")).url.startswith(reverse("login"))
    assert client.get(reverse("case_detail", args=[stay[0].public_id])).status_code == 302
    assert client.get("/api/v1/cases").status_code == 401
    as_user(world.ward_staff)  # a staff login in the same browser ends the person session
    assert SESSION_KEY not in client.session
    assert client.get(reverse("myplan_plan", args=[world.patient.public_id])).status_code == 404
    assert client.get(reverse("myplan_start")).status_code == 404
    client.logout()
    response = client.get(reverse("myplan_plan", args=[world.patient.public_id]))
    assert response.status_code == 302 and response.url.startswith(reverse("myplan_login"))


def test_staff_release_page_and_trygghetskvitto(client, world, stay, as_user):
    case, sip = stay
    page_url = reverse("sip_myplan", args=[sip.public_id])
    as_user(world.b_staff)
    assert client.get(page_url).status_code == 404  # an outsider, before any role check
    as_user(world.pcc_staff)
    page = client.get(page_url)
    assert page.status_code == 200 and "SIP version 1" in text(page)
    assert "Fast vårdkontakt" in text(page)  # the stay's items too: the unit sees the case
    key = f"{sip.public_id}:1"
    done = client.post(page_url, {"d-item": key, "d-decision": "release"})
    assert done.status_code == 302 and Release.objects.get(key=key).unit == world.pcc
    refused = client.post(page_url, {"d-item": str(sip.public_id), "d-decision": "release"})
    assert refused.status_code == 404
    empty = client.post(page_url, {"d-item": key, "d-decision": "hold_back", "d-reason": ""})
    assert empty.status_code == 400 and not Release.objects.get(key=key).held_back
    pdf = client.get(reverse("sip_myplan_receipt", args=[sip.public_id]))
    assert pdf["Content-Type"] == "application/pdf"
    out = subprocess.run(["pdftotext", "-", "-"], input=pdf.content, capture_output=True)
    printed = out.stdout.decode()
    assert "Trygghetskvitto" in printed and "Läkemedelsgenomgång" in printed
    assert "Sara Vårdkontakt" not in printed  # not released yet
    assert events("myplan.receipt.read", unit=world.pcc).count() == 1


def test_a_read_only_member_may_not_release(client, world, stay, as_user):
    case, sip = stay
    as_user(world.ward_reader)
    url = reverse("case_myplan", args=[case.public_id])
    assert client.get(url).status_code == 200
    response = client.post(url, {"d-item": str(case.public_id), "d-decision": "release"})
    assert response.status_code == 403 and not Release.objects.exists()


def test_the_persons_own_trygghetskvitto_is_a_pdf(client, world, stay, settings):
    settings.MY_PLAN_RELEASE_DAYS = 0
    as_citizen(client, PNR_A)
    pdf = client.get(reverse("myplan_receipt", args=[world.patient.public_id]))
    out = subprocess.run(["pdftotext", "-", "-"], input=pdf.content, capture_output=True)
    assert "Hemtjänst morgon och kväll" in out.stdout.decode()
    assert events("myplan.receipt.read", patient=world.patient).get().role == "citizen"


@pytest.mark.django_db
def test_the_demo_citizen_sees_a_plan_and_the_demo_idp_knows_them(client, tmp_path):
    import json

    from django.core.management import call_command

    from samverkan.lib.testdata import skatteverket_numbers
    from samverkan.myplan.demo import DAUGHTER
    from samverkan.patients.demo import WALK
    from samverkan.patients.models import Patient

    call_command("seed_demo", patients=40, cases=0)
    call_command("seed_demo", patients=40, cases=0)  # again: nothing doubled
    gosta = Patient.objects.get(identity=WALK.identity)
    assert gosta.sips.count() == 1 and Share.objects.count() == 1
    as_citizen(client, WALK.identity)
    body = text(_plan_page(client, gosta))
    assert "Läkemedelsgenomgång och blodtryck" in body and "Det här gör du själv" in body
    as_citizen(client, DAUGHTER[0])
    assert "Planen för Gösta Mäkinen" in text(_plan_page(client, gosta))
    call_command("idp_demo", out=str(tmp_path))
    people = json.loads((tmp_path / "identities.json").read_text())
    numbers = {p["personalIdentityNumber"] for p in people if "personalIdentityNumber" in p}
    assert WALK.identity in numbers and numbers <= set(skatteverket_numbers())
    eid = json.loads((tmp_path / "eid_providers.json").read_text())
    assert eid[0]["client_id"] == "samverkan-demo-eid"


def test_the_person_session_ends_when_idle(client, world, settings):
    settings.MY_PLAN_IDLE_SECONDS = 600
    as_citizen(client, PNR_A)
    assert client.get(reverse("myplan_start")).status_code in (200, 302)
    with time_machine.travel(timezone.now() + timedelta(seconds=601)):
        response = client.get(reverse("myplan_plan", args=[world.patient.public_id]))
    assert response.url.startswith(reverse("myplan_login")) and SESSION_KEY not in client.session
    assert events("myplan.logout").get().detail == {"reason": "idle"}
