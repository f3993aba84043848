"""A follow-up call in Chromium: the primary care centre opens its call list (the rule in
words), fails to reach the person once, then reaches them and goes through the CTM-4 script
with an answer that needs action; the needs-assessment unit gets the notice with the person's
name; an outsider gets 404. axe-core checks the pages; also at phone width."""

from datetime import timedelta

from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from samverkan.experience import services
from samverkan.experience.models import CallRecord, FollowUpCall
from samverkan.experience.testing import persons, rule_for, stay

from .conftest import logged_in, screenshot, serious_violations


def test_a_follow_up_call(live_world, page_for):
    w = live_world
    rule_for(w)
    person = persons(w, 1)[0]
    stay(w, person, timezone.now() - timedelta(days=4))
    services.draw_calls()
    call = FollowUpCall.objects.get()

    page = logged_in(page_for, w.pcc_staff)
    page.get_by_role("link", name="Uppföljningssamtal").first.click()
    expect(page.get_by_text("Personer 65 år eller äldre, folkbokförda i Kommun A")).to_be_visible()
    assert serious_violations(page) == []
    page.get_by_role("link", name=person.full_name).click()

    page.get_by_label("Ej nådd").check()
    page.get_by_role("button", name="Registrera försöket").click()
    expect(page.get_by_text("Försöket är registrerat: Att ringa.")).to_be_visible()
    expect(page.get_by_text("Ej nådd (")).to_be_visible()

    page.get_by_label("Nådd", exact=True).check()
    page.get_by_role("button", name="Registrera försöket").click()  # answers missing
    expect(page.get_by_text("Fyll i svaret när personen nåtts.").first).to_be_visible()
    page.get_by_label("Nådd", exact=True).check()
    page.get_by_label("Personen själv").check()
    answers = ["Instämmer helt", "Instämmer", "Vet ej / ej aktuellt", "Instämmer"]
    for i, answer in enumerate(answers):
        page.locator(f"#id_ctm_{i + 1}").get_by_label(answer, exact=True).check()
    page.locator("#id_knows_contact").get_by_label("Nej").check()
    page.get_by_label("Kommentar").fill("Vet inte vem som ska byta förbandet.")
    page.get_by_label("Svaret behöver åtgärdas").check()
    page.get_by_label("Vad behöver göras").fill("Ring om förbandsbyte.")
    page.get_by_label("Enhet som ska åtgärda").select_option(label=w.a_needs.name)
    assert serious_violations(page) == []
    page.get_by_role("button", name="Registrera försöket").click()
    expect(page.get_by_text("Försöket är registrerat: Besvarat.")).to_be_visible()
    screenshot(page, "followup-call")
    record = CallRecord.objects.get()
    assert record.attempts == 2 and record.ctm_score == round((10 / 3 - 1) / 3 * 100, 1)
    assert record.comment == ""  # it needed action: out of the statistics' free text

    call_command("run_worker", "--once")
    needs = logged_in(page_for, w.a_staff)
    needs.goto("/notiser/")
    expect(needs.get_by_text("Ring om förbandsbyte.")).to_be_visible()
    expect(needs.get_by_text(person.full_name).first).to_be_visible()

    phone = logged_in(page_for, w.pcc_staff, {"width": 390, "height": 844})
    phone.goto(f"/uppfoljningssamtal/{call.public_id}/")
    expect(phone.get_by_role("heading", name="Svar", exact=True)).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scroll

    outsider = logged_in(page_for, w.b_staff)
    response = outsider.goto(f"/uppfoljningssamtal/{call.public_id}/")
    assert response.status == 404
