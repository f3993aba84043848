"""The HTML forms refuse what the API refuses (test_bad_input_api), in Swedish, writing nothing:
far expected dates until confirmed, times a year back or ahead, blank and overlong names,
texts over their limits, a checklist without its musts."""

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from samverkan.cases.clock import EXPECTED_CONFIRM, TOO_OLD
from samverkan.cases.models import AdlStatus, Case, Message
from samverkan.cases.testing import notified
from samverkan.patients.models import Patient
from samverkan.patients.services import NAMES_REQUIRED
from samverkan.testing import PNR_NEW, grant

from .helpers import text


@pytest.fixture
def case(world):
    return notified(world)


def act(client, case, action, **data):
    url = reverse("case_action", args=[case.public_id, action])
    return client.post(url, {"version": case.version, **data})


def days(n: int) -> str:
    return (timezone.localdate() + timedelta(days=n)).isoformat()


def test_a_far_expected_date_asks_for_confirmation(as_user, world, case):
    client = as_user(world.ward_staff)
    response = act(client, case, "expected", expected_discharge_date=days(120))
    assert response.status_code == 400 and EXPECTED_CONFIRM in text(response)
    assert not Message.objects.filter(kind="expected_date").exists()
    response = act(client, case, "expected", expected_discharge_date=days(120), confirm_date="on")
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.expected_discharge_date.isoformat() == days(120)


def test_an_expected_date_before_admission_is_refused(as_user, world, case):
    response = act(as_user(world.ward_staff), case, "expected", expected_discharge_date=days(-30))
    assert response.status_code == 400 and "före inskrivningsdagen" in text(response)


def test_a_back_entry_more_than_a_year_ago_is_refused(as_user, world, case):
    client = as_user(world.ward_physician)
    long_ago = (timezone.localtime() - timedelta(days=400)).strftime("%Y-%m-%dT%H:%M")
    response = act(client, case, "ready", sip_needed="0", occurred_at=long_ago)
    assert response.status_code == 400 and TOO_OLD in text(response)
    case.refresh_from_db()
    assert case.state == Case.State.ADMITTED


def test_opening_with_an_admission_in_1900_is_refused(as_user, world):
    grant(world.patient, world.ward, world.ward_staff)
    client = as_user(world.ward_staff)
    url = reverse("case_open", args=[world.patient.public_id])
    response = client.post(url, {"admitted_at": "1900-01-01T08:00"})
    shown = " ".join(str(m) for m in get_messages(response.wsgi_request))
    assert response.status_code == 302 and TOO_OLD in shown
    assert not Case.objects.exists()


def test_a_care_request_for_a_new_person_with_blank_names_is_refused(as_user, world):
    body = {
        "identity": PNR_NEW,
        "given_name": "   ",
        "family_name": "\t",
        "hospital_unit": world.ward.pk,
        "consent": "on",
        "health_status": "Feber",
        "contact": "Anna",
    }
    response = as_user(world.a_staff).post(reverse("care_request"), body)
    assert response.status_code == 400 and NAMES_REQUIRED in text(response)
    body.update(given_name="x" * 101, family_name="Testsson")
    response = as_user(world.a_staff).post(reverse("care_request"), body)
    assert response.status_code == 400 and "101" in text(response)  # Django: "har 101"
    assert not Patient.objects.filter(identity__endswith="7743").exists()


@pytest.mark.parametrize(
    "action,data,limit",
    [
        ("question", {"text": "x" * 2001}, "2000"),
        ("adl", {"feeding_level": "partly", "feeding_note": "x" * 501}, "500"),
        ("discharge", {"destination": "home", "care_report": "x" * 501}, "500"),
        ("interrupt", {"reason": "died", "text": "x" * 301}, "300"),
    ],
)
def test_texts_over_their_limit_are_refused(as_user, world, case, action, data, limit):
    before = Message.objects.count(), AdlStatus.objects.count()
    response = act(as_user(world.ward_staff), case, action, **data)
    assert response.status_code == 400 and limit in text(response)
    assert (Message.objects.count(), AdlStatus.objects.count()) == before


def test_a_discharge_without_the_report_names_the_checklist(as_user, world, case):
    response = act(as_user(world.ward_staff), case, "discharge", destination="home")
    assert response.status_code == 400 and "utskrivningsinformation måste följa med" in text(
        response
    )
    case.refresh_from_db()
    assert case.state == Case.State.ADMITTED
