"""The print view is a discharge document: time and destination, checklist, care contact with
phone, next steps, SIP planned, "Utskriftsdatum"; on the case page the discharge action is kept
apart from the print link."""

from django.urls import reverse

from samverkan.cases import services
from samverkan.cases.testing import actor, discharged, notified
from samverkan.sip.testing import started

from .helpers import events, text


def test_the_print_view_is_a_discharge_document(as_user, world):
    case = notified(world)
    services.add_planned_support(actor(world.a_staff), case, text="Hemtjänst morgon och kväll")
    services.name_care_contact(actor(world.pcc_staff), case, name="Eva, dsk", phone="0455-73 10 11")
    case = discharged_from(world, case)
    body = text(as_user(world.a_staff).get(reverse("case_print", args=[case.public_id])))
    assert "<h1>Information vid utskrivning</h1>" in body
    assert "Utskriven (tid)</dt><dd>" + case.discharged_at.astimezone().strftime("%Y") in body
    assert "Skrivs ut till</dt><dd>Hemmet</dd>" in body
    assert "✔ Klart: Läkemedelslista" in body and "✘ Saknas: Transport hem" in body
    assert 'Eva, dsk</strong>, Pcc, direkt <a href="tel:0455731011">' in body
    assert "<strong>A Needs:</strong> Planerade insatser: Hemtjänst morgon och kväll" in body
    assert "Fast vårdkontakt:</strong> Eva, dsk följer upp" in body
    assert "SIP: behövs inte." in body
    assert "Utskriftsdatum" in body and "Utskriven 20" not in body and " av " not in footer(body)
    assert events("case.read", user=world.a_staff).exists()
    assert (
        as_user(world.b_staff).get(reverse("case_print", args=[case.public_id])).status_code == 404
    )


def footer(body: str) -> str:
    return body[body.index("Utskriftsdatum") :]


def discharged_from(world, case):
    services.declare_ready(actor(world.ward_physician), case, sip_needed=False)
    case.refresh_from_db()
    services.discharge(
        actor(world.ward_staff),
        case,
        destination="home",
        checklist={"medication_list": True, "care_report": "Epikris bifogad"},
    )
    case.refresh_from_db()
    return case


def test_before_discharge_the_document_says_so(as_user, world):
    case = notified(world)
    body = text(as_user(world.ward_staff).get(reverse("case_print", args=[case.public_id])))
    assert "patienten är inte utskriven än" in body and "Fast vårdkontakt" in body


def test_the_discharge_action_is_apart_from_the_print_link(as_user, world):
    case = notified(world)
    body = text(as_user(world.ward_staff).get(reverse("case_detail", args=[case.public_id])))
    tools = body[
        body.index('<nav class="case-tools"') : body.index("</nav>", body.index("case-tools"))
    ]
    assert "Utskriftsvy" in tools and "Skriv ut patienten" not in tools
    actions = body[body.index('id="h-actions"') :]
    assert "<summary>Skriv ut patienten</summary>" in actions and "case_print" not in actions
    assert reverse("case_print", args=[case.public_id]) not in actions


def test_a_sip_planned_shows_in_the_next_steps(as_user, world):
    case = discharged(world)
    started(world, case=case)
    body = text(as_user(world.pcc_staff).get(reverse("case_print", args=[case.public_id])))
    assert "<strong>SIP:</strong>" in body
