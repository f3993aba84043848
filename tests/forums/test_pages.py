"""The forum pages: who reads drafts (members), who edits (the secretary), published minutes
for everyone logged in with secret items held back; the actions through the browser's forms."""

from datetime import date

import pytest

from samverkan.cases.testing import actor
from samverkan.forums import services
from samverkan.forums.models import AgendaItem, Assignment, Meeting
from samverkan.forums.testing import at, meeting, published
from tests.helpers import events, pdf_upload, text

pytestmark = pytest.mark.django_db


def url(m, action=""):
    return f"/forum/mote/{m.public_id}/" + (f"{action}/" if action else "")


def item_url(m, item, action):
    return f"/forum/mote/{m.public_id}/punkt/{item.public_id}/{action}/"


@pytest.mark.parametrize(
    ("who", "status"),
    [("ward_staff", 200), ("a_staff", 200), ("b_staff", 200), ("pcc_staff", 404), ("analyst", 404)],
)
def test_a_draft_is_read_by_the_members_only(fw, as_user, who, status):
    m = meeting(fw)
    response = as_user(getattr(fw, who)).get(url(m))
    assert response.status_code == status
    assert events("forum.meeting.read", username=who).exists() is (status == 200)


@pytest.mark.parametrize(
    ("who", "status"),
    [("ward_staff", 302), ("a_staff", 403), ("b_staff", 403), ("pcc_staff", 404)],
)
def test_only_the_secretary_edits(fw, as_user, who, status):
    m = meeting(fw)
    body = {"title": "Utskrivningsklara", "kinds": ["B", "I"], "presenter_name": "Eva"}
    response = as_user(getattr(fw, who)).post(url(m, "item"), body)
    assert response.status_code == status
    assert AgendaItem.objects.filter(meeting=m, title="Utskrivningsklara").exists() is (
        status == 302
    )
    if status == 302:
        assert AgendaItem.objects.get(title="Utskrivningsklara").kinds == "BI"
        assert events("forum.agenda", username=who).exists()


def test_a_wrong_method_and_an_unknown_action_are_refused(fw, as_user):
    m = meeting(fw)
    client = as_user(fw.ward_staff)
    assert client.get(url(m, "item")).status_code == 405
    assert client.post(url(m, "nonsense")).status_code == 404


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"title": "X"}, "kinds", "Detta fält måste fyllas i."),
        ({"title": "", "kinds": ["B"]}, "title", "Detta fält måste fyllas i."),
        ({"title": "X" * 201, "kinds": ["B"]}, "title", "som mest 200 tecken"),
    ],
)
def test_bad_input_gives_the_promised_error(fw, as_user, body, field, message):
    m = meeting(fw)
    response = as_user(fw.ward_staff).post(url(m, "item"), body)
    assert response.status_code == 400
    assert message in text(response)
    assert m.items.count() == 5  # only the standing items


def test_a_decision_att_line_through_the_page(fw, as_user):
    m = meeting(fw)
    item = m.items.get(standing="other")
    client = as_user(fw.ward_staff)
    bad = client.post(item_url(m, item, "decide"), {"text": "Mats kallar"})
    assert bad.status_code == 400 and "att-sats" in text(bad)
    body = {
        "text": "att Mats kallar till ett första möte",
        "creates": "assignment",
        "owner": fw.chair.pk,
        "due_month": "2027-01",
    }
    assert client.post(item_url(m, item, "decide"), body).status_code == 302
    a = Assignment.objects.get()
    assert (a.user, a.principal, a.due_month) == (fw.a_staff, fw.muni_a, date(2027, 1, 1))
    item.refresh_from_db()
    assert item.paragraph is not None  # the first minutes write numbers the meeting


def test_a_document_is_judged_by_its_bytes(fw, as_user):
    from django.core.files.uploadedfile import SimpleUploadedFile

    m = meeting(fw)
    item = m.items.first()
    client = as_user(fw.ward_staff)
    fake = SimpleUploadedFile("x.pdf", b"<html><script>", content_type="application/pdf")
    refused = client.post(item_url(m, item, "document"), {"upload": fake})
    assert refused.status_code == 400 and "enligt sitt innehåll" in text(refused)
    assert client.post(item_url(m, item, "document"), {"upload": pdf_upload()}).status_code == 302
    doc = item.documents.get()
    assert as_user(fw.b_staff).get(url(m) + f"handling/{doc.public_id}/").status_code == 200
    assert as_user(fw.pcc_staff).get(url(m) + f"handling/{doc.public_id}/").status_code == 404
    assert events("forum.document.read", username="b_staff").exists()


def _published_with_secret(fw):
    s = actor(fw.ward_staff)
    m = meeting(fw, date(2026, 3, 10))
    services.add_item(s, m, title="Personalärende Hemligt", kinds="D", secret=True)
    open_item = services.add_item(s, m, title="Utskrivningsklara i Blekinge", kinds="BI")
    services.decide(
        s,
        open_item,
        text="att följa upp väntedagarna",
        creates="assignment",
        owner=fw.chair,
        due_date=date(2026, 6, 1),
    )
    return published(fw, m, now=at(date(2026, 3, 11)))


def test_published_minutes_are_read_by_everyone_logged_in_without_secret_items(fw, as_user, client):
    m = _published_with_secret(fw)
    outsider = as_user(fw.pcc_staff).get(url(m))
    assert outsider.status_code == 200
    assert "Utskrivningsklara i Blekinge" in text(outsider)
    assert "Personalärende" not in text(outsider)
    member = as_user(fw.b_staff).get(url(m))
    assert "Personalärende Hemligt" in text(member)
    client.logout()
    assert client.get(url(m)).status_code == 302  # to the login


def test_the_published_pdf_in_the_forums_layout(fw, as_user, tmp_path):
    import subprocess

    m = _published_with_secret(fw)
    response = as_user(fw.pcc_staff).get(url(m) + "protokoll.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    path = tmp_path / "p.pdf"
    path.write_bytes(response.content)
    pdf = subprocess.run(["pdftotext", "-layout", path, "-"], capture_output=True, text=True).stdout
    for expected in (
        "Protokoll – Samverkansgruppen",
        "§ 1 Godkännande av dagordningen",
        "Utskrivningsklara i Blekinge",
        "att följa upp väntedagarna",
        "A Test, Kommun A, senast 2026-06-01",
        "Närvarande",
        "Kommun B",
        "Protokollet ska skickas till",
        "arkiv@test.invalid",
        "Justering",
    ):
        assert expected in pdf, expected
    assert "Personalärende" not in pdf and "Sekretess" in pdf


def test_the_pdf_of_a_draft_is_not_there(fw, as_user):
    m = meeting(fw)
    assert as_user(fw.ward_staff).get(url(m) + "protokoll.pdf").status_code == 404


def test_the_meeting_from_agenda_to_published_through_the_forms(fw, as_user):
    m = meeting(fw)  # next week: the justering is within its deadline
    s = as_user(fw.ward_staff)
    assert s.post(url(m, "invite")).status_code == 302
    statuses = {f"m{x.pk}": "present" for x in m.forum.members.all()}
    assert s.post(url(m, "attendance"), statuses).status_code == 302
    body = {"adjusters": [fw.chair.pk]}
    assert s.post(url(m, "adjusting"), body).status_code == 302
    chair = as_user(fw.a_staff)
    assert chair.post(url(m, "adjust")).status_code == 302
    m.refresh_from_db()
    assert m.status == Meeting.Status.ADJUSTED
    s = as_user(fw.ward_staff)
    assert s.post(url(m, "publish")).status_code == 302
    m.refresh_from_db()
    assert m.status == Meeting.Status.PUBLISHED and bytes(m.pdf).startswith(b"%PDF")
    s.get(url(m))  # the messages are shown once
    page = text(s.get(url(m)))
    assert "Skicka för justering" not in page and "Lägg till punkt" not in page
    assert "Protokollet som PDF" in page


def test_the_attendance_warning_on_the_page(fw, as_user):
    m = meeting(fw)
    s = as_user(fw.ward_staff)
    statuses = {
        f"m{fw.secretary.pk}": "present",
        f"m{fw.chair.pk}": "present",
        f"m{fw.member_b.pk}": "absent",
    }
    s.post(url(m, "attendance"), statuses)
    page = text(s.get(url(m)))
    assert "ingen företräder Kommun B" in page


def test_the_forum_pages_and_search(fw, as_user):
    m = _published_with_secret(fw)
    draft = meeting(fw, date(2026, 9, 1))
    services.decide(actor(fw.ward_staff), draft.items.first(), text="att väntedagarna utreds")
    client = as_user(fw.pcc_staff)
    assert fw.group.name in text(client.get("/forum/"))
    forum_page = text(client.get(f"/forum/{fw.group.public_id}/"))
    assert "2026-09-01" not in forum_page and "2026-03-10" in forum_page  # drafts: members only
    found = text(client.get("/forum/sok/", {"q": "väntedagarna"}))
    assert "att följa upp väntedagarna" in found
    assert "att väntedagarna utreds" not in found  # a draft: members only
    assert "Personalärende" not in text(client.get("/forum/sok/", {"q": "Hemligt"}))
    member = text(as_user(fw.b_staff).get("/forum/sok/", {"q": "väntedagarna"}))
    assert "att väntedagarna utreds" in member
    assert m.public_id


def test_open_assignments_list_and_the_owners_start_page(fw, as_user):
    _published_with_secret(fw)
    listing = text(as_user(fw.pcc_staff).get("/forum/uppdrag/"))
    assert "följa upp väntedagarna" in listing and "Försenat" in listing
    start = text(as_user(fw.a_staff).get("/"))
    assert "Uppdrag från samverkansforum" in start and "följa upp väntedagarna" in start
    assert "Uppdrag från samverkansforum" not in text(as_user(fw.b_staff).get("/"))
    a = Assignment.objects.get()
    assert as_user(fw.b_staff).post(f"/forum/uppdrag/{a.public_id}/klart/").status_code == 403
    a.refresh_from_db()
    assert a.status == "open"  # not the owner: refused
    as_user(fw.a_staff).post(f"/forum/uppdrag/{a.public_id}/klart/", {"note": "Gjort"})
    a.refresh_from_db()
    assert a.status == "done" and a.done_note == "Gjort"


def test_the_year_plan_through_the_page(fw, as_user):
    path = f"/forum/{fw.group.public_id}/arsplan/"
    body = {
        "dates": "2027-02-10\n2027-04-14\n2027-02-10",
        "start": "13:00",
        "end": "15:00",
        "place": "Regionhuset",
    }
    assert as_user(fw.a_staff).post(path, body).status_code == 403  # the chair is no secretary
    assert as_user(fw.ward_staff).post(path, body).status_code == 302
    days = [m.starts_at.date().isoformat() for m in fw.group.meetings.all()]
    assert days == ["2027-02-10", "2027-04-14"]  # a date twice is one meeting
    bad = as_user(fw.ward_staff).post(path, {**body, "dates": "10/2"})
    assert bad.status_code == 400 and "ÅÅÅÅ-MM-DD" in text(bad)
    assert as_user(fw.ward_staff).post(f"/forum/{fw.group.public_id}/annat/").status_code == 404
