"""After a downtime (issue 17): the ward opens its reconciliation list, back-enters the phoned
admission notice from it (the list empties), then back-enters a phoned ready notice with its
true time and sees both in the case's history as "efterregistrerad" with the source."""

from datetime import date, timedelta

from django.utils import timezone
from playwright.sync_api import expect

from samverkan.cases import services
from samverkan.cases.testing import actor
from samverkan.downtime.models import Downtime, Snapshot

from .conftest import logged_in, screenshot

EXPECTED = date.today() + timedelta(days=7)


def local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def downtime_with_a_pending_notice(w):
    now = timezone.now()
    case = services.open_case(
        actor(w.ward_staff), w.patient, admitted_at=now - timedelta(hours=6), now=now
    )
    stop = Downtime.objects.create(
        starts_at=now - timedelta(hours=4),
        ends_at=now - timedelta(minutes=30),
        reason="Samverkan nere",
        declared_by=w.sysadmin,
    )
    item = {
        "case": str(case.public_id),
        "kind": "admission_notice",
        "unit": str(w.ward.public_id),
        "ref": "",
        "due_at": None,
    }
    Snapshot.objects.create(unit=w.ward, taken_at=now - timedelta(hours=5), items=[item])
    return case, stop, now


def fill_common(page, when, *, caller="", callee=""):
    page.get_by_label("När det hände").fill(local(when))
    page.get_by_label("Källa").select_option("telefon")
    page.get_by_label("Vem ringde eller lämnade uppgiften").fill(caller)
    page.get_by_label("Till vem").fill(callee)


def test_back_entry_from_the_reconciliation_list_to_the_history(live_world, page_for):
    w = live_world
    case, stop, now = downtime_with_a_pending_notice(w)
    page = logged_in(page_for, w.ward_physician)
    page.goto("/")
    page.get_by_role("link", name="1 post kvar att efterregistrera").click()
    expect(page.locator("main p[role=status]")).to_contain_text("1 post kvar att registrera")
    expect(page.get_by_role("cell", name="Inskrivningsmeddelande att skicka")).to_be_visible()

    page.get_by_role("link", name="Efterregistrera").click()
    expect(page.get_by_label("Händelse")).to_have_value("admission_notice")
    fill_common(page, now - timedelta(hours=3), caller="Ssk Berg", callee="Handläggare Ek")
    page.get_by_label("Beräknat utskrivningsdatum").fill(EXPECTED.isoformat())
    page.get_by_role("button", name="Efterregistrera").click()
    expect(page.get_by_text("Inskrivningsmeddelande är efterregistrerat.")).to_be_visible()

    page.goto(f"/driftstopp/{stop.pk}/avstamning/")
    expect(page.locator("main p[role=status]")).to_contain_text("Allt är registrerat.")

    page.goto(f"/arenden/{case.public_id}/")
    page.get_by_role("link", name="Efterregistrera efter driftstopp").click()
    page.get_by_label("Händelse").select_option("ready")
    phoned = now - timedelta(hours=2, minutes=10)
    fill_common(page, phoned, caller="Dr Lind", callee="Handläggare Ek")
    page.get_by_label("Behövs SIP (insatser från både region och kommun)?").select_option("0")
    page.get_by_role("button", name="Efterregistrera").click()
    expect(page.get_by_text("Utskrivningsklar är efterregistrerat.")).to_be_visible()

    history = page.locator(".timeline")
    ready = history.locator("li", has_text="Utskrivningsklar").first
    expect(ready).to_contain_text("efterregistrerad")
    expect(ready).to_contain_text("källa: telefon, Dr Lind → Handläggare Ek")
    expect(ready).to_contain_text(timezone.localtime(phoned).strftime("%Y-%m-%d %H:%M"))
    expect(history.locator("li", has_text="Inskrivningsmeddelande").first).to_contain_text(
        "efterregistrerad"
    )
    screenshot(page, "back-entry-history")
