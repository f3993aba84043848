"""Min plan attacked as an outsider would: other people's ids in every URL, next of kin after
revocation, a guardian at the child's 18th birthday (also on 29 February and at Swedish
midnight), attempted reads audited, the e-ID's trust level and personnummer claim, tampered
login callbacks, unbounded or forged input; a refused request writes nothing."""

from datetime import UTC, datetime
from unittest import mock

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from samverkan.accounts import oidc
from samverkan.audit.models import AuditEvent
from samverkan.lib.identity import parse_identity
from samverkan.myplan import citizen
from samverkan.myplan.models import Share
from samverkan.myplan.testing import (
    PNR_GUARDIAN,
    PNR_KIN,
    PNR_STRANGER,
    as_citizen,
    release_all,
    shared,
    stay_with_plan,
)
from samverkan.testing import PNR_A

from .helpers import events, text

EID_LOA3, PNR = "http://id.elegnamnden.se/loa/1.0/loa3", citizen.PNR_CLAIM
SAMORDNINGSNUMMER = "194001642380"  # built from a test personnummer (test_identity), no person


@pytest.fixture
def stay(world):
    found = stay_with_plan(world)
    release_all(world, *found)
    return found


def _pages(patient, share=None):
    pid = patient.public_id
    yield "get", reverse("myplan_plan", args=[pid])
    yield "get", reverse("myplan_receipt", args=[pid])
    yield "get", reverse("myplan_readers", args=[pid])
    yield "get", reverse("myplan_shares", args=[pid])
    yield "post", reverse("myplan_shares", args=[pid])
    if share is not None:
        yield "post", reverse("myplan_revoke", args=[pid, share.public_id])


# --- other people's ids -----------------------------------------------------------------------


def test_a_stranger_gets_404_on_every_page_and_each_attempt_is_audited(client, world, stay):
    share = shared(world.patient)
    as_citizen(client, PNR_STRANGER)
    for method, url in _pages(world.patient, share):
        data = {"identity": PNR_STRANGER, "name": "X", "relation": "Y"} if method == "post" else {}
        response = getattr(client, method)(url, data)
        assert response.status_code == 404, url
        assert "Astrid" not in text(response) and PNR_A not in text(response)
    attempts = events("access.refused", username=f"e-legitimation:{PNR_STRANGER}")
    assert attempts.count() == 6
    assert all(e.patient == world.patient and e.detail["status"] == 404 for e in attempts)
    assert Share.objects.filter(reader_identity=PNR_STRANGER).count() == 0
    assert Share.objects.get(pk=share.pk).revoked_at is None
    # the person's who-read list shows reads, not the stranger's refused attempts
    as_citizen(client, PNR_A)
    readers = client.get(reverse("myplan_readers", args=[world.patient.public_id]))
    assert "Okänd" not in text(readers)


def test_an_unknown_id_is_audited_without_a_person(client, world, stay):
    import uuid

    as_citizen(client, PNR_STRANGER)
    assert client.get(reverse("myplan_plan", args=[uuid.uuid4()])).status_code == 404
    attempt = events("access.refused").get()
    assert attempt.patient is None and attempt.role == "citizen"


def test_a_next_of_kin_after_revocation_gets_404_audited(client, world, stay):
    share = shared(world.patient)
    as_citizen(client, PNR_KIN)
    assert client.get(reverse("myplan_plan", args=[world.patient.public_id])).status_code == 200
    share.revoked_at = share.valid_from
    share.save()
    for method, url in _pages(world.patient):
        assert getattr(client, method)(url).status_code == 404, url
    assert events("access.refused", patient=world.patient).count() == 5


def test_a_staff_user_on_a_person_page_is_404_and_audited(client, world, stay, as_user):
    staff = as_user(world.pcc_staff)
    response = staff.get(reverse("myplan_plan", args=[world.patient.public_id]))
    assert response.status_code == 404 and "Astrid" not in text(response)
    assert events("access.refused", user=world.pcc_staff).exists()


# --- a guardian when the child turns 18 -------------------------------------------------------


def _guardian_share(world, when):
    return Share.objects.create(
        patient=world.child,
        reader_identity=PNR_GUARDIAN,
        reader_name="Gustav",
        relation="Vårdnadshavare",
        given_by="guardian",
        valid_from=when,
    )


def test_a_guardians_access_on_29_february_is_no_error(client, world):
    world.child.birth_date = datetime(2010, 3, 1).date()
    world.child.save()
    _guardian_share(world, datetime(2027, 1, 1, tzinfo=UTC))
    as_citizen(client, PNR_GUARDIAN)
    with time_machine.travel(datetime(2028, 2, 29, 12, tzinfo=UTC), tick=False):
        as_citizen(client, PNR_GUARDIAN)
        page = client.get(reverse("myplan_plan", args=[world.child.public_id]))
    assert page.status_code == 200  # 17 years old until 1 March 2028


def test_a_guardians_access_ends_at_swedish_midnight_of_the_18th_birthday(client, world):
    world.child.birth_date = datetime(2010, 6, 15).date()
    world.child.save()
    _guardian_share(world, datetime(2027, 1, 1, tzinfo=UTC))
    # 2028-06-14 22:30 UTC is 00:30 on the birthday in Sweden (CEST)
    with time_machine.travel(datetime(2028, 6, 14, 22, 30, tzinfo=UTC), tick=False):
        as_citizen(client, PNR_GUARDIAN)
        page = client.get(reverse("myplan_plan", args=[world.child.public_id]))
    assert page.status_code == 404


# --- the e-ID's claims -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "claims, reason",
    [
        ({"acr": "http://id.sambi.se/loa/loa3", PNR: PNR_A}, "loa"),
        ({"acr": "http://id.elegnamnden.se/loa/1.0/loa2", PNR: PNR_A}, "loa"),
        ({PNR: PNR_A}, "loa"),
        ({"acr": ["http://id.elegnamnden.se/loa/1.0/loa3"], PNR: PNR_A}, "loa"),
        ({"acr": EID_LOA3}, "missing_claims"),
        ({"acr": EID_LOA3, PNR: 194001042383}, "m"),
        ({"acr": EID_LOA3, PNR: [PNR_A]}, "m"),
        ({"acr": EID_LOA3, PNR: "19400104-2383"}, "m"),
        ({"acr": EID_LOA3, PNR: "194001042384"}, "m"),
        ({"acr": EID_LOA3, PNR: SAMORDNINGSNUMMER}, "m"),
        ({"acr": EID_LOA3, PNR: "１９４００１０４２３８３"}, "m"),
        ({"acr": EID_LOA3, "personalIdentityNumber": PNR_A}, "m"),
    ],
)
def test_the_e_ids_trust_level_and_personnummer_are_checked(db, claims, reason):
    assert parse_identity(SAMORDNINGSNUMMER).kind == "samordningsnummer"
    with (
        mock.patch.object(oidc, "verified", return_value=(claims, "token")),
        mock.patch.object(citizen, "client", return_value=(None, None)),
        pytest.raises(oidc.Refused) as refused,
    ):
        citizen.receive(mock.Mock(), "eid")
    assert refused.value.reason == ("missing_claims" if reason == "m" else reason)


def test_a_tampered_callback_is_refused_in_swedish_and_logs_no_one_in(client, db, settings):
    settings.MY_PLAN_OIDC_PROVIDERS = [
        {
            "name": "eid",
            "issuer": "https://idp.invalid",
            "discovery_url": "https://idp.invalid/.well-known/openid-configuration",
            "client_id": "x",
            "client_secret": "y",
        }
    ]
    url = reverse("myplan_callback", args=["eid"])
    for query in ({}, {"code": "c", "state": "s" * 5000}, {"error": "access_denied"}):
        response = client.get(url, query)
        assert response.status_code == 403 and "Börja om" in text(response), query
    assert client.get(reverse("myplan_callback", args=["siths"])).status_code == 404
    assert citizen.SESSION_KEY not in client.session
    assert not events("myplan.login").exists()
    assert events("myplan.login_refused").count() == 3


# --- input -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"identity": "", "name": "", "relation": ""},
        {"identity": PNR_KIN, "name": "A" * 5000, "relation": "dotter"},
        {"identity": PNR_KIN * 100, "name": "Karin", "relation": "dotter"},
        {"identity": PNR_KIN, "name": "Karin", "relation": "d" * 61},
        {"identity": PNR_KIN, "name": "Ka\x00rin", "relation": "dotter"},
        {"identity": PNR_KIN, "name": "   ", "relation": "dotter"},
        {"identity": SAMORDNINGSNUMMER, "name": "Karin", "relation": "dotter"},
        {"identity": PNR_A, "name": "Jag", "relation": "jag"},
        {"identity": "１９７５０１０７９２９２", "name": "Karin", "relation": "dotter"},
        {"identity": ["a", "b"], "name": "Karin", "relation": "dotter"},
    ],
)
def test_bad_share_input_is_400_in_swedish_and_writes_nothing(client, world, stay, data):
    as_citizen(client, PNR_A)
    before = AuditEvent.objects.exclude(action="myplan.read").count()
    response = client.post(reverse("myplan_shares", args=[world.patient.public_id]), data)
    assert response.status_code == 400
    assert not Share.objects.exists()
    assert AuditEvent.objects.exclude(action="myplan.read").count() == before


def test_a_share_without_csrf_is_refused_and_writes_nothing(world, stay):
    browser = Client(enforce_csrf_checks=True)
    as_citizen(browser, PNR_A)
    data = {"identity": PNR_KIN, "name": "Karin", "relation": "dotter"}
    response = browser.post(reverse("myplan_shares", args=[world.patient.public_id]), data)
    assert response.status_code == 403
    assert not Share.objects.exists()


def test_a_revoke_of_anothers_share_through_ones_own_plan_changes_nothing(client, world, stay):
    others = shared(world.child)
    as_citizen(client, PNR_A)
    url = reverse("myplan_revoke", args=[world.patient.public_id, others.public_id])
    assert client.post(url).status_code == 302
    others.refresh_from_db()
    assert others.revoked_at is None
    assert not events("myplan.share_revoke").exists()


def test_a_staff_release_with_a_forged_item_is_404_and_writes_nothing(world, stay, as_user):
    case, sip = stay
    staff = as_user(world.pcc_staff)
    url = reverse("case_myplan", args=[case.public_id])
    for item in ("x" * 80, "", "x" * 81):
        response = staff.post(url, {"d-item": item, "d-decision": "release"})
        assert response.status_code in (400, 404), item
    response = staff.post(url, {"d-item": "x", "d-decision": "hold_back", "d-reason": "r" * 501})
    assert response.status_code == 400
    response = staff.post(url, {"nothing": "1"})
    assert response.status_code == 404


def test_logout_then_the_plan_needs_a_new_login(client, world, stay):
    as_citizen(client, PNR_A)
    assert client.get(reverse("myplan_plan", args=[world.patient.public_id])).status_code == 200
    key = client.session.session_key
    client.post(reverse("myplan_logout"))
    page = client.get(reverse("myplan_plan", args=[world.patient.public_id]))
    assert page.status_code == 302 and page.url.startswith(reverse("myplan_login"))
    assert client.session.session_key != key  # a logout starts a new session


# --- sessions --------------------------------------------------------------------------------


def test_an_e_id_login_gives_a_new_session_key_and_no_staff_user(client, world, as_user):
    staff = as_user(world.ward_staff)
    planted = staff.session.session_key
    claims = {"acr": EID_LOA3, PNR: PNR_A, "given_name": "Astrid", "family_name": "T" * 500}
    with mock.patch.object(citizen, "receive", return_value=(claims, "token")):
        assert client.get(reverse("myplan_callback", args=["eid"])).status_code == 302
    assert client.session.session_key != planted
    assert "_auth_user_id" not in client.session
    assert client.session[citizen.SESSION_KEY]["identity"] == PNR_A
    assert len(client.session[citizen.SESSION_KEY]["name"]) <= 200
    assert client.get("/api/v1/cases").status_code == 401
    assert client.get("/admin/").status_code == 302  # to the admin login, never in


def test_an_outsider_unit_and_a_reader_write_nothing_on_the_staff_page(world, stay, as_user):
    case, sip = stay
    released = list(AuditEvent.objects.filter(action="myplan.release"))
    before = (Share.objects.count(), AuditEvent.objects.filter(action__startswith="myplan").count())
    guardian = {"g-identity": PNR_GUARDIAN, "g-name": "Gustav", "g-relation": "Vårdnadshavare"}
    for user, status in ((world.b_staff, 404), (world.ward_reader, 403)):
        browser = as_user(user)
        for name, pid in (("sip_myplan", sip.public_id), ("case_myplan", case.public_id)):
            response = browser.post(reverse(name, args=[pid]), guardian)
            assert response.status_code == status, (user, name)
            assert "Astrid" not in text(response)
        receipt = browser.get(reverse("sip_myplan_receipt", args=[sip.public_id]))
        assert receipt.status_code in (404, 200 if status == 403 else 404)
    writes = ["myplan.share", "myplan.release", "myplan.hold_back"]
    after = (Share.objects.count(), AuditEvent.objects.filter(action__startswith="myplan").count())
    assert after[0] == before[0] == 0
    assert AuditEvent.objects.filter(action__in=writes).count() == len(released)


def test_staff_may_not_give_a_guardian_access_to_an_adults_plan(world, stay, as_user):
    case, sip = stay
    browser = as_user(world.pcc_staff)
    guardian = {"g-identity": PNR_GUARDIAN, "g-name": "Gustav", "g-relation": "Vårdnadshavare"}
    response = browser.post(reverse("sip_myplan", args=[sip.public_id]), guardian)
    assert response.status_code == 400 and "vuxen" in text(response)
    assert not Share.objects.exists()


# --- protected identity on staff's side ------------------------------------------------------


def test_no_trygghetskvitto_for_a_person_with_protected_identity(world, stay, as_user):
    case, sip = stay
    world.patient.protected_identity = True
    world.patient.save()
    staff = as_user(world.pcc_staff)
    for name, pid in (("sip_myplan", sip.public_id), ("case_myplan", case.public_id)):
        page = text(staff.get(reverse(name, args=[pid])))
        assert "skyddad folkbokföring" in page
        assert reverse(name + "_receipt", args=[pid]) not in page
        receipt = staff.get(reverse(name + "_receipt", args=[pid]))
        assert receipt.status_code == 403 and receipt["Content-Type"].startswith("text/html")
        assert "skyddad folkbokföring" in text(receipt) and "Hemtjänst" not in text(receipt)
    assert not events("myplan.receipt.read").exists()


# --- e-ID tokens through authlib, served by a fake provider ----------------------------------


@pytest.fixture
def fake_eid(settings, world):
    from samverkan.accounts.testing import FakeProvider

    provider = FakeProvider()
    settings.MY_PLAN_OIDC_PROVIDERS = [provider.provider("eid")]
    settings.OIDC_PROVIDERS = []
    yield provider
    provider.close()


def _eid_login(client, fake, **changes):
    from samverkan.accounts.testing import start_params

    start = start_params(client.get(reverse("myplan_oidc", args=["eid"])))
    claims = fake.claims(start["nonce"], **{"acr": EID_LOA3, PNR: PNR_A, **changes})
    claims.pop("employeeHsaId", None)
    fake.serve(claims)
    url = reverse("myplan_callback", args=["eid"])
    return client.get(url, {"code": "c", "state": start["state"]})


def test_a_good_e_id_token_opens_min_plan(client, fake_eid, world):
    assert _eid_login(client, fake_eid).status_code == 302
    assert client.session[citizen.SESSION_KEY]["identity"] == PNR_A
    assert events("myplan.login").count() == 1


@pytest.mark.parametrize(
    "changes, reason",
    [
        ({"aud": "another-client"}, "token"),
        ({"aud": "another-client", "azp": "samverkan-test"}, "token"),
        ({"iss": "http://127.0.0.1:1/another-issuer"}, "token"),
        ({"nonce": "not-ours"}, "token"),
        ({"acr": "http://id.sambi.se/loa/loa3"}, "loa"),
        ({PNR: SAMORDNINGSNUMMER}, "missing_claims"),
        ({PNR: None}, "missing_claims"),
    ],
    ids=["audience", "audience-azp", "issuer", "nonce", "siths-acr", "samordningsnr", "no-pnr"],
)
def test_a_bad_e_id_token_is_refused(client, fake_eid, world, changes, reason):
    response = _eid_login(client, fake_eid, **changes)
    assert response.status_code == 403 and "Inloggningen gick inte" in text(response)
    assert events("myplan.login_refused").filter(detail__reason=reason).exists()
    assert citizen.SESSION_KEY not in client.session and not events("myplan.login").exists()


def test_the_list_of_plans_shared_with_me_is_audited_per_person(client, world, stay):
    shared(world.patient)
    as_citizen(client, PNR_KIN)
    assert "Astrid" in text(client.get(reverse("myplan_start")))
    listed = events("myplan.list", patient=world.patient).get()
    assert listed.username == f"e-legitimation:{PNR_KIN}" and listed.role == "citizen"


def test_the_staff_page_shown_again_after_a_refused_post_is_audited_as_a_read(world, stay, as_user):
    case, sip = stay
    staff = as_user(world.pcc_staff)
    before = events("case.read", patient=world.patient).count()
    data = {"d-item": "x", "d-decision": "hold_back", "d-reason": "r" * 501}
    response = staff.post(reverse("case_myplan", args=[case.public_id]), data)
    assert response.status_code == 400 and "Astrid" in text(response)
    assert events("case.read", patient=world.patient).count() == before + 1


def test_staff_end_a_guardians_access_and_a_reader_may_not(client, world, as_user):
    from samverkan.sip.testing import started
    from samverkan.testing import grant

    grant(world.child, world.pcc, world.pcc_staff)
    child = {"identity": world.child.identity, "given_name": "Elsa", "family_name": "Testsson"}
    sip = started(world, target_group="children", **child)
    share = _guardian_share(world, datetime(2025, 1, 1, tzinfo=UTC))
    url = reverse("sip_myplan", args=[sip.public_id])
    assert as_user(world.ward_reader).post(url, {"s-revoke": share.public_id}).status_code in (
        403,
        404,
    )
    share.refresh_from_db()
    assert share.revoked_at is None
    staff = as_user(world.pcc_staff)
    assert share.reader_name in text(staff.get(url))
    assert staff.post(url, {"s-revoke": "not-a-uuid"}).status_code == 404
    assert staff.post(url, {"s-revoke": share.public_id}).status_code == 302
    share.refresh_from_db()
    assert share.revoked_at is not None
    assert events("myplan.share_revoke", patient=world.child, user=world.pcc_staff).exists()
    as_citizen(client, PNR_GUARDIAN)
    assert client.get(reverse("myplan_plan", args=[world.child.public_id])).status_code == 404
