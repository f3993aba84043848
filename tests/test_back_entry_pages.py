"""The back-entry page and API, the reconciliation list and the pre-filled paper forms: they
work, outsiders get 404, read-only roles 403, reads are audited, bad input is refused."""

import subprocess
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse

from samverkan.audit.models import AuditEvent
from samverkan.cases import services
from samverkan.cases.testing import actor
from samverkan.downtime.models import BackEntry, Downtime, Snapshot
from samverkan.followup.payment.testing import at

NOW = at(3, 16)


@pytest.fixture
def w(world):
    with time_machine.travel(NOW, tick=False):
        world.case = services.open_case(
            actor(world.ward_staff), world.patient, admitted_at=at(1, 8), now=NOW
        )
        yield world


def entry_url(case):
    return reverse("case_back_entry", args=[case.public_id])


NOTICE = {
    "kind": "admission_notice",
    "occurred_at": "2025-03-03T09:10",
    "source": "telefon",
    "expected_discharge_date": "2025-03-10",
    "caller_name": "Sjuksköterska Berg",
    "callee_name": "Handläggare Ek",
    "callee_unit": "Kommun A",
}


def test_the_ward_backenters_a_phoned_notice_and_sees_it_in_the_history(w, as_user):
    client = as_user(w.ward_staff)
    page = client.get(reverse("case_detail", args=[w.case.public_id])).content.decode()
    assert entry_url(w.case) in page
    assert client.get(entry_url(w.case)).status_code == 200
    response = client.post(entry_url(w.case), NOTICE)
    assert response.status_code == 302
    entry = BackEntry.objects.get()
    assert entry.applied and entry.occurred_at == at(3, 9, 10) and entry.entered_at == NOW
    history = client.get(reverse("case_detail", args=[w.case.public_id])).content.decode()
    assert "efterregistrerad" in history and "källa: telefon, Sjuksköterska Berg" in history


def test_an_entry_that_waits_says_so(w, as_user):
    client = as_user(w.ward_physician)
    data = {**NOTICE, "kind": "ready", "sip_needed": "0"}
    response = client.post(entry_url(w.case), data, follow=True)
    assert "väntar" in response.content.decode() and not BackEntry.objects.get().applied


def test_bad_input_is_refused_on_the_form_and_writes_nothing(w, as_user):
    client = as_user(w.ward_staff)
    response = client.post(entry_url(w.case), {**NOTICE, "source": "pappersblankett"})
    assert response.status_code == 400 and "Ange blankettens nummer." in response.content.decode()
    response = client.post(entry_url(w.case), {**NOTICE, "occurred_at": ""})
    assert response.status_code == 400 and not BackEntry.objects.exists()


def test_outsider_404_reader_403_wrong_method_405(w, as_user, client):
    assert as_user(w.b_staff).get(entry_url(w.case)).status_code == 404
    assert as_user(w.ward_reader).post(entry_url(w.case), NOTICE).status_code == 403
    assert as_user(w.ward_staff).put(entry_url(w.case)).status_code == 405
    assert not BackEntry.objects.exists()


# --- the API --------------------------------------------------------------------------------


def test_the_api_backenters_with_the_same_field_names(w, api):
    body = {**NOTICE, "occurred_at": "2025-03-03T09:10:00+01:00"}
    response = api.post(w.ward_staff, f"/cases/{w.case.public_id}/back-entries", body)
    assert response.status_code == 201, response.json()
    out = response.json()
    assert out["applied"] is True and out["message"] and out["source"] == "telefon"
    w.case.refresh_from_db()
    assert w.case.notice_sent_at == at(3, 9, 10)


@pytest.mark.parametrize(
    "change, field",
    [
        ({"source": "brevduva"}, "source"),
        ({"caller_name": "x" * 121}, "caller_name"),
        ({"source": "pappersblankett"}, "form_number"),
        ({"occurred_at": "2025-03-03T18:00:00+01:00"}, "occurred_at"),
    ],
)
def test_the_api_refuses_bad_input_with_the_field_and_writes_nothing(w, api, change, field):
    body = {**NOTICE, "occurred_at": "2025-03-03T09:10:00+01:00", **change}
    response = api.post(w.ward_staff, f"/cases/{w.case.public_id}/back-entries", body)
    assert response.status_code in (400, 422)
    assert response.json()["errors"][0]["field"] == field
    assert not BackEntry.objects.exists()


def test_the_api_gives_404_to_an_outsider(w, api):
    body = {**NOTICE, "occurred_at": "2025-03-03T09:10:00+01:00"}
    response = api.post(w.b_staff, f"/cases/{w.case.public_id}/back-entries", body)
    assert response.status_code == 404 and not BackEntry.objects.exists()


def test_the_openapi_states_the_bounds(w, api):
    schema = api.get(w.ward_staff, "/openapi.json").json()["components"]["schemas"]
    fields = schema["BackEntryIn"]["properties"]
    assert fields["caller_name"]["maxLength"] == 120 and fields["form_number"]["maxLength"] == 40
    assert fields["source"]["enum"] == ["telefon", "pappersblankett", "annat"]


# --- the reconciliation list -----------------------------------------------------------------


@pytest.fixture
def downtime(w):
    """A downtime on Monday morning; the ward's snapshot before it said the notice was due."""
    stop = Downtime.objects.create(
        starts_at=at(3, 8), ends_at=at(3, 15), reason="Nätverket nere", declared_by=w.sysadmin
    )
    item = {
        "case": str(w.case.public_id),
        "kind": "admission_notice",
        "unit": str(w.ward.public_id),
        "ref": "",
        "due_at": (at(1, 8) + timedelta(hours=24)).isoformat(),
    }
    Snapshot.objects.create(unit=w.ward, taken_at=at(3, 7), items=[item])
    Snapshot.objects.create(unit=w.ward, taken_at=at(3, 15, 30), items=[])  # after: not used
    return stop


def reconciliation(stop):
    return reverse("downtime_reconciliation", args=[stop.pk])


def test_the_list_shows_what_was_pending_until_it_is_registered(w, downtime, as_user):
    client = as_user(w.ward_staff)
    page = client.get(reconciliation(downtime)).content.decode()
    assert "1 post kvar" in page and w.patient.full_name in page
    assert f"{entry_url(w.case)}?handelse=admission_notice" in page
    assert AuditEvent.objects.filter(action="case.list", patient=w.patient).exists()
    start = client.get(reverse("start")).content.decode()
    assert reconciliation(downtime) in start and "1 post kvar att efterregistrera" in start
    client.post(entry_url(w.case), NOTICE)
    assert "Allt är registrerat." in client.get(reconciliation(downtime)).content.decode()
    assert "kvar att efterregistrera" not in client.get(reverse("start")).content.decode()


@pytest.mark.parametrize("scope", ["principal", "unit"])
def test_a_unit_outside_the_downtime_gets_404_and_outsiders_see_no_persons(
    w, downtime, as_user, scope
):
    target = {"principal": {"principal": w.region}, "unit": {"unit": w.ward}}[scope]
    Downtime.objects.filter(pk=downtime.pk).update(scope=scope, **target)
    assert as_user(w.b_staff).get(reconciliation(downtime)).status_code == 404
    assert as_user(w.ward_staff).get(reconciliation(downtime)).status_code == 200
    Downtime.objects.filter(pk=downtime.pk).update(scope="all", principal=None, unit=None)
    page = as_user(w.b_staff).get(reconciliation(downtime)).content.decode()
    assert w.patient.full_name not in page


# --- the paper forms -------------------------------------------------------------------------


def pdf_text(response, tmp_path) -> str:
    pdf = tmp_path / "form.pdf"
    pdf.write_bytes(response.content)
    result = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True)
    return " ".join(result.stdout.split())


def test_the_paper_notice_is_prefilled_with_the_apis_fields(w, as_user, tmp_path):
    w.case.expected_discharge_date = at(10).date()
    w.case.save()
    url = reverse("case_paper_form", args=[w.case.public_id, "admission_notice"])
    response = as_user(w.ward_staff).get(url)
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response, tmp_path)
    assert w.patient.full_name in text and w.patient.identity_display in text
    assert w.case.short_id in text and "2025-03-10" in text
    for label, name in [
        ("Beräknat utskrivningsdatum", "expected_discharge_date"),
        ("När det hände", "occurred_at"),
        ("Blankettnummer", "form_number"),
        ("Till vem", "callee_name"),
    ]:
        assert label in text and name in text
    assert "Underskrift" in text
    assert AuditEvent.objects.filter(action="case.read", patient=w.patient).exists()


def test_the_paper_discharge_form_lists_the_checklist(w, as_user, tmp_path):
    url = reverse("case_paper_form", args=[w.case.public_id, "discharge"])
    text = pdf_text(as_user(w.ward_staff).get(url), tmp_path)
    assert "Läkemedelslista" in text and "medication_list" in text and "Hemmet" in text


def test_paper_forms_404_for_outsiders_and_unknown_kinds(w, as_user):
    url = reverse("case_paper_form", args=[w.case.public_id, "ready"])
    assert as_user(w.b_staff).get(url).status_code == 404
    unknown = reverse("case_paper_form", args=[w.case.public_id, "sip"])
    assert as_user(w.ward_staff).get(unknown).status_code == 404


def test_a_receipt_owed_by_the_municipality_leaves_the_list_when_it_backenters_it(
    w, downtime, as_user
):
    client = as_user(w.ward_staff)
    client.post(entry_url(w.case), NOTICE)
    notice = w.case.messages.get(kind="admission_notice")
    item = {
        "case": str(w.case.public_id),
        "kind": "acknowledgement",
        "unit": str(w.a_needs.public_id),
        "ref": str(notice.public_id),
        "due_at": None,
    }
    Snapshot.objects.filter(taken_at=at(3, 7)).update(items=[item])
    page = client.get(reconciliation(downtime)).content.decode()
    assert "Mottagningskvittens som saknas" in page and "Registreras av A Needs" in page
    muni = as_user(w.a_staff)
    url = entry_url(w.case)
    data = {**NOTICE, "kind": "acknowledgement", "acknowledges": "admission_notice"}
    assert muni.post(url, {**data, "occurred_at": "2025-03-03T09:20"}).status_code == 302
    page = as_user(w.ward_staff).get(reconciliation(downtime)).content.decode()
    assert "Allt är registrerat." in page


def test_a_waiting_entry_can_be_withdrawn_by_its_unit_only(w, as_user):
    as_user(w.ward_physician).post(
        entry_url(w.case), {**NOTICE, "kind": "ready", "sip_needed": "0"}
    )
    entry = BackEntry.objects.get()
    url = reverse("case_back_entry_withdraw", args=[w.case.public_id, entry.public_id])
    assert as_user(w.b_staff).post(url).status_code == 404
    assert as_user(w.ward_reader).post(url).status_code == 403
    assert as_user(w.ward_staff).get(url).status_code == 405
    assert as_user(w.ward_staff).post(url).status_code == 302
    assert not BackEntry.objects.exists()
    assert AuditEvent.objects.filter(action="case.back_entry", detail__has_key="withdrawn").exists()


def test_an_applied_entry_is_not_withdrawn(w, as_user):
    client = as_user(w.ward_staff)
    client.post(entry_url(w.case), NOTICE)
    entry = BackEntry.objects.get()
    url = reverse("case_back_entry_withdraw", args=[w.case.public_id, entry.public_id])
    response = client.post(url, follow=True)
    assert "kan inte tas bort" in response.content.decode() and BackEntry.objects.exists()
