"""A forum meeting in Chromium from agenda to published minutes: the secretary plans the
meeting, builds the agenda, invites, writes the minutes with an "att" line that gives an
assignment, records attendance (the warning for a principal nobody attends for) and sends the
minutes for justering; the chair adjusts; the secretary publishes; a user outside the forum
reads the published minutes and the PDF. axe-core checks the pages."""

from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from samverkan.forums.models import Meeting
from samverkan.forums.testing import with_forums

from .conftest import logged_in, screenshot, serious_violations


def act(page, label, fill=None, scope=None):
    """Open the action's <details>, fill its form, press its button."""
    where = scope or page
    details = where.locator("details", has=page.locator(f"summary:text-is('{label}')")).first
    details.locator("summary").click()
    form = details.locator("form")
    if fill:
        fill(form)
    form.get_by_role("button", name=label).click()
    expect(page.get_by_text(f"{label}: klart.")).to_be_visible()


def test_a_meeting_from_agenda_to_published_minutes(live_world, page_for):
    w = with_forums(live_world)
    day = timezone.localdate() + timedelta(days=7)

    secretary = logged_in(page_for, w.ward_staff)
    secretary.locator("details.more summary").click()  # the header's "Mer"
    secretary.get_by_role("link", name="Forum").click()
    secretary.get_by_role("link", name="Samverkansgruppen").click()
    form = secretary.locator("form", has=secretary.get_by_role("button", name="Planera mötet"))
    form.get_by_label("Börjar").fill(f"{day}T13:00")
    form.get_by_label("Slutar").fill(f"{day}T15:00")
    form.get_by_label("Plats").fill("Regionhuset")
    form.get_by_role("button", name="Planera mötet").click()
    expect(secretary.get_by_text("Mötet är planerat.")).to_be_visible()
    secretary.get_by_role("link", name=f"{day:%Y-%m-%d} 13:00").click()
    expect(secretary.get_by_role("heading", name="Godkännande av dagordningen")).to_be_visible()

    def item(f):
        f.get_by_label("Rubrik").fill("Utskrivningsklara i väntan på korttidsplats")
        f.get_by_label("(B) beslut").check()
        f.get_by_label("(I) information").check()
        f.get_by_label("Föredragande", exact=True).fill("Eva Karlsson")
        f.get_by_label("Organisation").select_option(label="Kommun A")

    act(secretary, "Lägg till punkt", item)
    expect(secretary.get_by_text("Föredragande: Eva Karlsson, Kommun A")).to_be_visible()
    act(secretary, "Skicka kallelse med dagordning")
    screenshot(secretary, "forum-agenda")
    assert serious_violations(secretary) == []

    section = secretary.locator("section.minutes-item", has_text="korttidsplats")

    def decision(f):
        f.locator("textarea[name=text]").fill("att Mats kallar till ett första möte")
        f.get_by_label("Beslutet ger").select_option(label="Ett uppdrag")
        f.get_by_label("Uppdraget till (ledamot)").select_option(label="A Test, Kommun A")
        f.get_by_label("… eller under månad").fill("2027-01")

    act(secretary, "Lägg till beslut", decision, scope=section)
    expect(secretary.get_by_text("att Mats kallar till ett första möte")).to_be_visible()

    def attendance(f):
        for member in (
            "Ward Test, Region Test",
            "A Test, Kommun A",
            "Nils Adjungerad, Region Test",
        ):
            f.get_by_label(member).select_option(label="Närvarande")
        f.get_by_label("B Test, Kommun B").select_option(label="Frånvarande")

    act(secretary, "Närvaro", attendance)
    expect(secretary.get_by_text("ingen företräder Kommun B")).to_be_visible()
    act(secretary, "Skicka för justering", lambda f: f.get_by_label("A Test, Kommun A").check())

    chair = logged_in(page_for, w.a_staff)
    chair.goto(secretary.url)
    act(chair, "Justera protokollet")

    secretary.reload()
    act(secretary, "Publicera protokollet")
    expect(secretary.get_by_text("Protokoll publicerat")).to_be_visible()
    meeting = Meeting.objects.get(forum=w.group)
    assert meeting.status == "published"

    outsider = logged_in(page_for, w.pcc_staff)
    outsider.goto(f"/forum/mote/{meeting.public_id}/")
    expect(outsider.get_by_text("att Mats kallar till ett första möte")).to_be_visible()
    expect(outsider.get_by_role("button", name="Lägg till punkt")).to_have_count(0)
    screenshot(outsider, "forum-published")
    assert serious_violations(outsider) == []
    pdf = outsider.request.get(f"/forum/mote/{meeting.public_id}/protokoll.pdf")
    assert pdf.ok and pdf.body().startswith(b"%PDF")
