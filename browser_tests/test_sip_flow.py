"""SIP in Chromium: one started from a LOS case by primary care and acknowledged by the
municipality; one preventive SIP for a child, started by school health with the school as an
outside participant and the guardian's consent. An outsider unit gets 404."""

from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from samverkan.cases.testing import ready

from .conftest import act, logged_in, screenshot


def in_days(days, hour=None):
    moment = timezone.localtime() + timedelta(days=days)
    return moment.strftime("%Y-%m-%dT10:00") if hour else moment.strftime("%Y-%m-%d")


def test_sip_from_a_los_case(live_world, page_for):
    w = live_world
    case = ready(w, sip_needed=True)
    pcc = logged_in(page_for, w.pcc_staff)
    pcc.goto(f"/arenden/{case.public_id}/")
    pcc.get_by_role("link", name="Starta SIP").click()
    expect(pcc.get_by_text("Kallelse till SIP senast")).to_be_visible()
    pcc.get_by_label("Vem såg behovet").fill("Ulla Strand, fast vårdkontakt")
    pcc.get_by_label("Vad är behovet av samordning").fill("Hemgång med hemsjukvård och hemtjänst")
    pcc.get_by_role("button", name="Starta SIP").click()
    expect(pcc.get_by_text("SIP är påbörjad.")).to_be_visible()
    sip_url = pcc.url
    act(
        pcc,
        "Registrera samtycke",
        lambda f: f.get_by_label("Gäller till och med").fill(in_days(90)),
    )
    act(
        pcc,
        "Kalla till möte",
        lambda f: (
            f.get_by_label("Tid").fill(in_days(1, hour=True)),
            f.get_by_label("Länk till digitalt möte").fill("https://mote.example/sip-1"),
        ),
    )
    act(
        pcc,
        "Skriv ny version av planen",
        lambda f: (
            f.get_by_label("Behov").fill("Hjälp med dusch och läkemedel"),
            f.get_by_label("Vad är viktigt för dig?").fill("Att få sova i min egen säng"),
            f.get_by_label("Huvudman med övergripande ansvar").select_option(label="Kommun A"),
            f.get_by_label("Datum för uppföljning").fill(in_days(30)),
            f.get_by_label("Insats 1", exact=True).fill("Hemsjukvård två gånger om dagen"),
            f.get_by_label("Ansvarig organisation för insats 1").select_option(label="A Needs"),
            f.get_by_label("Ansvarig person för insats 1").fill("Dsk Berg"),
        ),
        button="Spara ny version",
    )
    expect(pcc.get_by_role("heading", name="Planen – version 1")).to_be_visible()
    screenshot(pcc, "sip-from-case")

    muni = logged_in(page_for, w.a_staff)
    section = muni.locator("section", has=muni.get_by_role("heading", name="SIP att kvittera"))
    section.get_by_role("link", name="Astrid Testsson").click()
    muni.get_by_role("button", name="Kvittera version 1").click()
    expect(muni.get_by_text("Kvittera planen: klart.")).to_be_visible()
    case.refresh_from_db()
    assert case.sip_called_at is not None  # the meeting was the case's SIP call

    outsider = logged_in(page_for, w.b_staff)
    response = outsider.goto(sip_url)
    assert response.status == 404


def test_preventive_sip_for_a_child_with_the_school(live_world, page_for):
    w = live_world
    school = logged_in(page_for, w.school_staff)
    school.get_by_role("link", name="SIP", exact=True).click()
    school.get_by_role("link", name="Checklista för förebyggande SIP").click()
    school.get_by_label("Målgrupp").select_option(label="Barn och unga")
    school.get_by_label("Vem såg behovet").fill("Skolsköterska")
    school.get_by_label("Vad är behovet av samordning").fill("Hög frånvaro, oro hemma")
    school.get_by_label("Barn: hög frånvaro eller svårigheter i skolan").check()
    school.get_by_label("Personnummer eller samordningsnummer").fill(w.child.identity)
    school.get_by_role("button", name="Starta SIP").click()
    expect(school.get_by_text("SIP är påbörjad.")).to_be_visible()
    act(
        school,
        "Lägg till deltagare",
        lambda f: (
            f.get_by_label("Deltagare").select_option("outside"),
            f.get_by_label("Organisation (extern part)").fill("Nättrabyskolan"),
            f.get_by_label("Namn på kontaktperson").fill("Mentor Eva"),
            f.get_by_label("E-post (för kallelse)").fill("eva@skola.invalid"),
        ),
    )
    act(
        school,
        "Lägg till deltagare",
        lambda f: (
            f.get_by_label("Deltagare").select_option("unit"),
            f.get_by_label("Enhet (region eller kommun)").select_option(label=w.pcc.name),
        ),
    )
    act(
        school,
        "Registrera samtycke",
        lambda f: (
            f.get_by_label("Samtycket lämnas av").select_option("guardian"),
            f.get_by_label("Vårdnadshavarens namn").fill("Anna Testsson"),
            f.get_by_label("Nättrabyskolan").check(),
            f.get_by_label("Gäller till och med").fill(in_days(180)),
        ),
    )
    act(
        school,
        "Kalla till möte",
        lambda f: (
            f.get_by_label("Tid").fill(in_days(3, hour=True)),
            f.get_by_label("Plats").fill("Nättrabyskolan, elevhälsans rum"),
        ),
    )
    expect(school.get_by_text("Nättrabyskolan (Mentor Eva)").first).to_be_visible()
    expect(school.get_by_text("Barn: hög frånvaro eller svårigheter i skolan")).to_be_visible()
    screenshot(school, "sip-preventive-child")
    pdf = school.request.get(school.url + "pdf/")
    assert pdf.status == 200 and pdf.body().startswith(b"%PDF")

    pcc = logged_in(page_for, w.pcc_staff)
    section = pcc.locator("section", has=pcc.get_by_role("heading", name="SIP-möten inom en vecka"))
    expect(section.get_by_role("link", name="Elsa Testsson")).to_be_visible()
