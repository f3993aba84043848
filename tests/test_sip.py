"""SIP: start, consent, harm assessment, participants, meetings, plan versions, follow-up,
closing; access through consent; the pages, print view and the person's PDF."""

import subprocess
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from samverkan.cases.testing import actor, ready
from samverkan.sip import services
from samverkan.sip.access import get_sip_for_actor, visible_sips
from samverkan.sip.models import Sip
from samverkan.sip.testing import consented, planned, started, with_unit
from samverkan.sip.worklist import panel
from samverkan.worker import run_once
from tests.helpers import events, text

pytestmark = pytest.mark.django_db


def rule(error: ValidationError) -> tuple[str, str]:
    field, errors = next(iter(error.error_dict.items()))
    return field, errors[0].code


def sees(user, sip) -> bool:
    return visible_sips(actor(user)).filter(pk=sip.pk).exists()


def shared(world):
    """A SIP with the municipality's needs assessment, consent for region and municipality."""
    sip = with_unit(world, started(world), world.a_needs)
    return consented(world, sip)


def soon(days=2):
    return timezone.now() + timedelta(days=days)


# --- start ------------------------------------------------------------------------------------


def test_start_on_its_own_is_seen_only_by_the_initiating_unit(world):
    sip = started(world)
    assert sip.state == "started" and sip.patient == world.patient
    kinds = sorted(sip.participants.values_list("kind", flat=True))
    assert kinds == ["person", "unit"]
    assert events("sip.start", patient=world.patient).count() == 1
    assert sees(world.pcc_staff, sip)
    with_unit(world, sip, world.a_needs)
    assert not sees(world.a_staff, sip)  # a participant, but no consent yet
    assert not sees(world.b_staff, sip)


def test_start_registers_an_unknown_person_from_the_test_list(world):
    sip = started(world, identity="194001167743", given_name="Ny", family_name="Person")
    assert sip.patient.full_name == "Ny Person"
    assert events("patient.create", patient=sip.patient).exists()


@pytest.mark.parametrize(
    "fields,expected",
    [
        ({"identity": "194001042384"}, ("identity", "checksum")),
        ({"identity": "194001167743"}, ("given_name", "required")),
        ({"kind": "preventive"}, ("preventive_signs", "required")),
        ({"kind": "preventive", "preventive_signs": ["nonsense"]}, ("preventive_signs", "choice")),
        ({"target_group": "nobody"}, ("target_group", "choice")),
        ({"need": " "}, ("need", "required")),
    ],
)
def test_start_refuses_bad_input_and_writes_nothing(world, fields, expected):
    with pytest.raises(ValidationError) as error:
        started(world, **fields)
    assert rule(error.value) == expected
    assert not Sip.objects.exists()


def test_a_reader_cannot_start(world):
    with pytest.raises(PermissionDenied):
        started(world, user=world.ward_reader)


def test_start_from_a_los_case_brings_its_units_and_its_clock(world, as_user):
    case = ready(world, sip_needed=True)
    client = as_user(world.pcc_staff)
    url = reverse("sip_start") + f"?arende={case.public_id}"
    page = text(client.get(url))
    assert "Kallelse till SIP senast" in page
    response = client.post(
        url,
        {
            "kind": "in_hospital",
            "target_group": "elderly",
            "need_seen_by": "Fast vårdkontakt",
            "need": "Hemgång med hemsjukvård",
        },
    )
    sip = Sip.objects.get()
    assert response.status_code == 302 and sip.case == case
    units = set(sip.participants.exclude(unit=None).values_list("unit", flat=True))
    assert units >= {world.ward.pk, world.pcc.pk, world.a_needs.pk}
    assert "Kallelse till SIP senast" in text(
        client.get(reverse("sip_detail", args=[sip.public_id]))
    )
    again = client.post(
        url, {"kind": "in_hospital", "target_group": "elderly", "need_seen_by": "x", "need": "y"}
    )
    assert again.status_code == 400 and "redan en pågående SIP" in text(again)
    assert as_user(world.b_staff).get(url).status_code == 404


# --- consent and harm assessment -------------------------------------------------------------


def test_consent_lets_participating_units_see_it_and_revoking_hides_it(world):
    sip = shared(world)
    assert sees(world.a_staff, sip) and not sees(world.b_staff, sip)
    assert events("sip.consent", patient=world.patient).count() == 1
    consent = sip.consents.get()
    services.revoke_consent(actor(world.a_staff), sip, consent)
    with pytest.raises(Http404):
        get_sip_for_actor(actor(world.a_staff), sip.public_id)
    assert sees(world.pcc_staff, sip)  # the initiating unit keeps it
    run_once()
    assert world.pcc.notifications.filter(kind="sip_consent_revoked").exists()


def test_consent_rules(world):
    sip = started(world)
    today = timezone.localdate()
    cases = [
        ({"principals": []}, ("principals", "required")),
        ({"valid_until": today - timedelta(days=1)}, ("valid_until", "past")),
        ({"valid_until": today + timedelta(days=900)}, ("valid_until", "too_long")),
        ({"given_by": "guardian", "guardian_name": "X"}, ("given_by", "adult")),
        ({"outside_parties": ["Okänd skola"]}, ("outside_parties", "unknown")),
    ]
    for fields, expected in cases:
        body = {"given_by": "person", "principals": [world.region], "valid_until": today, **fields}
        with pytest.raises(ValidationError) as error:
            services.record_consent(actor(world.pcc_staff), sip, **body)
        assert rule(error.value) == expected
    assert not sip.consents.exists()


def test_a_child_consents_through_a_guardian(world):
    sip = started(
        world,
        user=world.school_staff,
        identity=world.child.identity,
        target_group="children",
        kind="preventive",
        preventive_signs=["school_absence"],
    )
    today = timezone.localdate() + timedelta(days=30)
    for fields, expected in [
        ({"given_by": "person"}, ("given_by", "age")),
        ({"given_by": "guardian"}, ("guardian_name", "required")),
    ]:
        with pytest.raises(ValidationError) as error:
            services.record_consent(
                actor(world.school_staff),
                sip,
                principals=[world.muni_a],
                valid_until=today,
                **fields,
            )
        assert rule(error.value) == expected
    services.record_consent(
        actor(world.school_staff),
        sip,
        given_by="guardian",
        guardian_name="Anna Testsson",
        principals=[world.muni_a, world.region],
        valid_until=today,
    )
    assert sip.consents.get().guardian_name == "Anna Testsson"


def test_harm_assessment_shares_without_consent_until_a_later_one_says_no(world):
    sip = with_unit(world, started(world), world.a_needs)
    with pytest.raises(ValidationError) as error:
        services.record_harm_assessment(
            actor(world.pcc_staff), sip, principal=world.muni_a, may_share=True, reason="kort"
        )
    assert rule(error.value) == ("reason", "required")
    services.record_harm_assessment(
        actor(world.pcc_staff),
        sip,
        principal=world.muni_a,
        may_share=True,
        reason="Uppgiften kan lämnas utan men, 25 kap. 1 § OSL; personen kan inte ta ställning.",
    )
    assert sees(world.a_staff, sip) and events("sip.harm_assessment").count() == 1
    services.record_harm_assessment(
        actor(world.pcc_staff),
        sip,
        principal=world.muni_a,
        may_share=False,
        reason="Ny bedömning: personen motsätter sig att uppgifterna lämnas.",
    )
    assert not sees(world.a_staff, sip)


# --- participants ------------------------------------------------------------------------------


def test_participants_units_outside_parties_and_next_of_kin(world):
    sip = started(world)
    a = actor(world.pcc_staff)
    services.add_participant(
        a,
        sip,
        kind="outside",
        organisation="Försäkringskassan",
        name="Handläggare Lind",
        email="lind@fk.invalid",
    )
    services.add_participant(a, sip, kind="next_of_kin", name="Karin Testsson")
    with_unit(world, sip, world.a_home)
    for fields, expected in [
        ({"kind": "outside"}, ("organisation", "required")),
        ({"kind": "next_of_kin"}, ("name", "required")),
        ({"kind": "unit", "unit": world.a_home}, ("unit", "exists")),
        ({"kind": "person"}, ("kind", "exists")),
    ]:
        with pytest.raises(ValidationError) as error:
            services.add_participant(a, sip, **fields)
        assert rule(error.value) == expected
    home = sip.participants.get(unit=world.a_home)
    services.remove_participant(a, sip, home)
    person = sip.participants.get(kind="person")
    with pytest.raises(ValidationError):
        services.remove_participant(a, sip, person)
    with_unit(world, sip, world.a_home)  # back again, same row
    assert sip.participants.filter(unit=world.a_home, active=True).count() == 1
    assert events("sip.participant_add").count() == 4


def test_stale_version_is_a_conflict(world):
    sip = started(world)
    old = sip.version
    with_unit(world, sip, world.a_home)
    with pytest.raises(ValidationError) as error:
        services.add_participant(
            actor(world.pcc_staff), sip, kind="next_of_kin", name="X", version=old
        )
    assert rule(error.value) == ("__all__", "conflict")


# --- meetings ----------------------------------------------------------------------------------


def test_meeting_needs_consent_for_everyone_invited(world):
    sip = with_unit(world, started(world), world.a_needs)
    with pytest.raises(ValidationError) as error:
        services.schedule_meeting(
            actor(world.pcc_staff), sip, starts_at=soon(), place="Vårdcentralen"
        )
    assert rule(error.value) == ("__all__", "consent")
    for fields, expected in [
        ({"starts_at": timezone.now() - timedelta(hours=1), "place": "x"}, ("starts_at", "past")),
        ({"starts_at": soon()}, ("place", "required")),
        ({"starts_at": soon(), "place": "x", "minutes": 5}, ("minutes", "range")),
    ]:
        with pytest.raises(ValidationError) as error:
            services.schedule_meeting(actor(world.pcc_staff), sip, **fields)
        assert rule(error.value) == expected
    assert not sip.meetings.exists()


def test_invitations_go_out_with_a_calendar_file_without_personal_data(world):
    sip = shared(world)
    services.add_participant(
        actor(world.pcc_staff),
        sip,
        kind="outside",
        organisation="Försäkringskassan",
        email="fk@test.invalid",
    )
    services.record_consent(
        actor(world.pcc_staff),
        sip,
        given_by="person",
        principals=[world.region, world.muni_a],
        outside_parties=["Försäkringskassan"],
        valid_until=timezone.localdate() + timedelta(days=90),
    )
    meeting = services.schedule_meeting(
        actor(world.pcc_staff),
        sip,
        starts_at=soon(),
        place="Vårdcentralen",
        link="https://mote.example/sip",
    )
    assert meeting.invitations.count() == 4  # pcc, needs assessment, the person, FK
    assert run_once()["invitations"] == 3  # pcc, a_needs and FK have addresses
    assert run_once()["invitations"] == 0
    invite = next(m for m in mail.outbox if m.to == ["fk@test.invalid"])
    name, ics, mime = invite.attachments[0]
    assert mime.startswith("text/calendar") and "BEGIN:VEVENT" in ics and "DTSTART:" in ics
    assert "Astrid" not in ics + invite.body and world.patient.identity not in ics
    assert world.a_needs.notifications.filter(kind="sip_invitation").exists()
    assert any(s == "sip_meetings" and e for s, _, e in panel(actor(world.a_staff), timezone.now()))


def test_a_meeting_for_a_sip_from_a_los_case_records_the_sip_call(world):
    case = ready(world, sip_needed=True)
    sip = services.start_sip(
        actor(world.pcc_staff),
        case=case,
        kind="in_hospital",
        target_group="elderly",
        need_seen_by="Fast vårdkontakt",
        need="Hemgång",
    )
    consented(world, sip)
    services.schedule_meeting(
        actor(world.pcc_staff), sip, starts_at=soon(1), link="https://mote.example/x"
    )
    case.refresh_from_db()
    assert case.sip_called_at is not None


def test_attendance_after_the_meeting_started(world):
    sip = shared(world)
    meeting = services.schedule_meeting(
        actor(world.pcc_staff), sip, starts_at=soon(1), place="Hemma"
    )
    person = sip.participants.get(kind="person")
    with pytest.raises(ValidationError) as error:
        services.record_attendance(
            actor(world.pcc_staff),
            sip,
            meeting=meeting,
            attended=[person.public_id],
            person_attended=True,
        )
    assert rule(error.value) == ("meeting", "future")
    with time_machine.travel(soon(1) + timedelta(minutes=5)):
        services.record_attendance(
            actor(world.pcc_staff),
            sip,
            meeting=meeting,
            attended=[person.public_id],
            person_attended=True,
        )
    meeting.refresh_from_db()
    assert meeting.person_attended and meeting.held_at
    assert meeting.invitations.get(participant=person).attended is True


# --- the plan ---------------------------------------------------------------------------------


@pytest.mark.parametrize("in_list_max", [0, 500])  # a large unit's subquery, a list otherwise
def test_plan_versions_are_kept_and_acknowledged(world, monkeypatch, in_list_max):
    from samverkan.core import worklists

    monkeypatch.setattr(worklists, "IN_LIST_MAX", in_list_max)
    sip = planned(world, shared(world))
    assert sip.state == "planned" and sip.plan_number == 1 and sip.lead_principal == world.region
    pending = [e for s, _, e in panel(actor(world.a_staff), timezone.now()) if s == "sip_ack"]
    assert [x.patient for x in pending[0]] == [sip.patient]
    assert not any(e for s, _, e in panel(actor(world.b_staff), timezone.now()))
    services.acknowledge_plan(actor(world.a_staff), sip)
    with pytest.raises(ValidationError) as error:
        services.acknowledge_plan(actor(world.a_staff), sip)
    assert rule(error.value) == ("__all__", "state")
    sip = planned(world, sip, goals="Jag vill orka gå till affären.", user=world.a_staff)
    assert sip.plans.count() == 2
    first, second = sip.plans.all()
    assert first.content["goals"] != second.content["goals"] and second.created_by == world.a_staff
    assert second.acks.get(unit=world.a_needs).acknowledged_at  # the writer's own unit
    assert second.acks.get(unit=world.pcc).acknowledged_at is None


def test_plan_rules(world):
    sip = shared(world)
    owner = sip.participants.get(unit=world.pcc)
    for fields, expected in [
        ({"actions": []}, ("actions", "required")),
        (
            {"actions": [{"text": "Hjälp", "participant": ""}]},
            ("actions.0.participant", "required"),
        ),
        ({"lead_principal": world.muni_b}, ("lead_principal", "required")),
        ({"follow_up_date": timezone.localdate() - timedelta(days=1)}, ("follow_up_date", "past")),
        ({"needs": ""}, ("needs", "required")),
    ]:
        with pytest.raises(ValidationError) as error:
            planned(world, sip, **fields)
        assert rule(error.value) == expected
    assert not sip.plans.exists() and owner


# --- follow-up, closing, quality ---------------------------------------------------------------


def test_follow_up_appears_on_the_responsible_units_worklist_and_moves_the_date(world):
    sip = planned(world, shared(world))
    later = timezone.now() + timedelta(days=28)
    with time_machine.travel(later):
        entries = dict((k, e) for k, _, e in panel(actor(world.pcc_staff), timezone.now()))
        assert entries["sip_follow_up"]  # the pcc owns the action
        assert not dict((k, e) for k, _, e in panel(actor(world.a_staff), timezone.now()))[
            "sip_follow_up"
        ]
        services.record_follow_up(
            actor(world.pcc_staff),
            sip,
            held_on=timezone.localdate(),
            notes="Fungerar bra.",
            next_follow_up_date=timezone.localdate() + timedelta(days=60),
        )
    sip.refresh_from_db()
    assert sip.plan_number == 2 and sip.follow_ups.count() == 1


def test_follow_up_needs_a_plan(world):
    sip = shared(world)
    with pytest.raises(ValidationError) as error:
        services.record_follow_up(
            actor(world.pcc_staff), sip, held_on=timezone.localdate(), notes="x"
        )
    assert rule(error.value) == ("__all__", "state")


def test_closing_keeps_the_quality_score_and_stops_changes(world):
    sip = planned(world, shared(world))
    with pytest.raises(PermissionDenied):
        services.close_sip(actor(world.a_staff), sip, reason="Klart")  # neither initiator nor lead
    services.close_sip(actor(world.pcc_staff), sip, reason="Målen uppnådda")
    sip.refresh_from_db()
    assert sip.state == "closed" and sip.quality_score == 4  # the person did not attend a meeting
    assert sip.quality == {
        "person_took_part": False,
        "own_goals": True,
        "actions_owned": True,
        "lead_named": True,
        "follow_up_set": True,
    }
    with pytest.raises(ValidationError) as error:
        with_unit(world, sip, world.a_home)
    assert rule(error.value) == ("__all__", "state")


# --- pages, print view, PDF --------------------------------------------------------------------


def test_pages_show_the_plan_to_those_who_may_see_it(world, as_user):
    sip = planned(world, shared(world))
    url = reverse("sip_detail", args=[sip.public_id])
    page = text(as_user(world.a_staff).get(url))
    assert "Läkemedelsgenomgång" in page and "Kvittera version 1" in page
    assert events("sip.read", patient=world.patient).exists()
    assert as_user(world.b_staff).get(url).status_code == 404
    assert as_user(world.analyst).get(url).status_code in (403, 404)
    listing = text(as_user(world.a_staff).get(reverse("sip_list")))
    assert "Astrid Testsson" in listing and events("sip.list").exists()
    start = text(as_user(world.a_staff).get(reverse("start")))
    assert "SIP att kvittera" in start
    printed = as_user(world.a_staff).get(reverse("sip_print", args=[sip.public_id]))
    assert "data-print" in text(printed) and "Kvalitet: 4 av 5" in text(printed)


def test_page_actions_post_and_show_errors_next_to_the_field(world, as_user):
    sip = shared(world)
    client = as_user(world.pcc_staff)
    url = reverse("sip_action", args=[sip.public_id, "participant"])
    bad = client.post(url, {"kind": "outside", "version": sip.version})
    assert bad.status_code == 400 and "Ange organisationen" in text(bad)
    ok = client.post(
        url, {"kind": "outside", "organisation": "Nättrabyskolan", "version": sip.version}
    )
    assert ok.status_code == 302
    stale = client.post(url, {"kind": "next_of_kin", "name": "K", "version": sip.version})
    assert stale.status_code == 400 and "ändrats av någon annan" in text(stale)
    owner = sip.participants.get(unit=world.pcc)
    sip.refresh_from_db()
    plan = client.post(
        reverse("sip_action", args=[sip.public_id, "plan"]),
        {
            "version": sip.version,
            "needs": "Stöd i skolan",
            "goals": "Jag vill gå i skolan varje dag",
            "lead_principal": world.muni_a.pk,
            "follow_up_date": (timezone.localdate() + timedelta(days=20)).isoformat(),
            "action_0_text": "Anpassad studiegång",
            "action_0_participant": str(owner.public_id),
            "action_0_person": "Mentor Eva",
            "action_1_text": "Samtal",
        },
    )
    assert plan.status_code == 400 and "Välj vem som ansvarar för: Samtal" in text(plan)
    assert (
        as_user(world.ward_reader).post(url, {"kind": "next_of_kin", "name": "K"}).status_code
        == 404
    )
    assert as_user(world.b_staff).post(url, {"kind": "next_of_kin", "name": "K"}).status_code == 404


def test_pdf_for_the_person_in_plain_swedish(world, as_user, tmp_path):
    sip = planned(world, shared(world))
    services.schedule_meeting(actor(world.pcc_staff), sip, starts_at=soon(3), place="Vårdcentralen")
    response = as_user(world.a_staff).get(reverse("sip_pdf", args=[sip.public_id]))
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")
    pdf = tmp_path / "sip.pdf"
    pdf.write_bytes(response.content)
    plain = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    for phrase in (
        "Din samordnade individuella plan",
        "Det här är viktigt för dig",
        "gå till affären",
        "Vem du kan ringa",
        "Nästa möte",
        "Region Test",
    ):
        assert phrase in plain, phrase
    assert events("sip.pdf", patient=world.patient).exists()


# --- API --------------------------------------------------------------------------------------


def test_api_walks_a_sip_with_idempotency_and_versions(world, api):
    start = api.post(
        world.pcc_staff,
        "/sips",
        {
            "kind": "after_discharge",
            "target_group": "elderly",
            "need_seen_by": "Sjuksköterska",
            "need": "Samordning",
            "identity": world.patient.identity,
        },
    )
    assert start.status_code == 201, start.content
    sip = start.json()
    path = f"/sips/{sip['id']}"
    unit = api.post(
        world.pcc_staff,
        f"{path}/participants",
        {"version": sip["version"], "kind": "unit", "hsa_id": world.a_needs.hsa_id},
    )
    assert unit.status_code == 200
    assert api.get(world.a_staff, path).status_code == 404
    body = {
        "version": unit.json()["version"],
        "given_by": "person",
        "principals": ["10", "1080"],
        "valid_until": str(timezone.localdate() + timedelta(days=60)),
    }
    first = api.post(world.pcc_staff, f"{path}/consents", body, key="consent-1")
    replay = api.post(world.pcc_staff, f"{path}/consents", body, key="consent-1")
    assert first.status_code == 200 and replay["Idempotent-Replayed"] == "true"
    assert api.get(world.a_staff, path).status_code == 200
    stale = api.post(world.pcc_staff, f"{path}/consents", body)
    assert stale.status_code == 409
    current = first.json()
    owner = next(p["id"] for p in current["participants"] if p["label"] == world.pcc.name)
    plan = api.post(
        world.pcc_staff,
        f"{path}/plan",
        {
            "version": current["version"],
            "needs": "Hjälp",
            "goals": "Bo hemma",
            "lead_principal": "10",
            "follow_up_date": str(timezone.localdate() + timedelta(days=30)),
            "actions": [{"text": "Hemsjukvård", "participant": owner, "person": "Eva"}],
        },
    )
    assert plan.status_code == 200 and plan.json()["plan"]["number"] == 1
    bad = api.post(
        world.pcc_staff,
        f"{path}/plan",
        {
            "version": plan.json()["version"],
            "needs": "x",
            "lead_principal": "99",
            "follow_up_date": "2020-01-01",
            "actions": [],
        },
    )
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "lead_principal"
    assert api.post(world.a_staff, f"{path}/plan/acknowledge").status_code == 200
    pdf = api.get(world.a_staff, f"{path}/pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert api.get(world.b_staff, path).status_code == 404
    listing = api.get(world.a_staff, "/sips").json()
    assert listing["count"] == 1


WRITES = [
    ("/consents", {"given_by": "person", "principals": ["10"], "valid_until": "2099-01-01"}),
    ("/harm-assessments", {"principal": "10", "may_share": True, "reason": "Skäl enligt OSL"}),
    ("/participants", {"kind": "next_of_kin", "name": "K"}),
    ("/meetings", {"starts_at": "2099-01-01T10:00:00+01:00", "place": "Här"}),
    (
        "/plan",
        {"needs": "x", "lead_principal": "10", "follow_up_date": "2099-01-01", "actions": []},
    ),
    ("/plan/acknowledge", {}),
    ("/follow-ups", {"held_on": "2020-01-01", "notes": "x"}),
    ("/close", {"reason": "x"}),
]


@pytest.mark.parametrize("path,body", WRITES)
def test_every_write_refuses_outsiders_readers_and_revoked_units(world, api, path, body):
    sip = with_unit(world, shared(world), world.ward)
    url = f"/sips/{sip.public_id}{path}"
    versioned = path != "/plan/acknowledge"  # acknowledges a plan number, not a version
    body = {"version": sip.version, **body} if versioned else body
    assert api.post(world.b_staff, url, body).status_code == 404  # not taking part
    assert api.post(world.ward_reader, url, body).status_code == 403  # may read, not write
    assert api.get(world.ward_reader, f"/sips/{sip.public_id}").status_code == 200
    services.revoke_consent(actor(world.pcc_staff), sip, sip.consents.get())
    sip.refresh_from_db()
    if versioned:
        body["version"] = sip.version
    assert api.post(world.a_staff, url, body).status_code == 404  # consent revoked
    assert api.get(world.a_staff, f"/sips/{sip.public_id}").status_code == 404
    assert not events(f"sip.{path.strip('/').split('/')[0]}", unit=world.a_needs).exists()
