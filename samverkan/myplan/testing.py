"""Min plan in tests: the test IdP's citizens (Skatteverket test personnummer of the shared
world's people), its e-ID client, and a login through it."""

from datetime import timedelta

from django.utils import timezone

from samverkan.accounts.testing import IDP_PASSWORD, oidc_login
from samverkan.cases import services as case_services
from samverkan.cases.testing import actor, discharged
from samverkan.sip import services as sip_services
from samverkan.sip.testing import consented, planned, started
from samverkan.testing import PNR_A, PNR_CHILD, PNR_PROTECTED

from . import services
from .plan import all_items

EID_CLIENT_ID = "samverkan-eid-test"
PNR_KIN = "197501079292"  # Astrid's daughter
PNR_GUARDIAN = "198001022386"  # Elsa's guardian
PNR_STRANGER = "197501149285"  # nobody's next of kin


def _citizen(username, number, given, family, loa=3):
    return {
        "username": username,
        "password": IDP_PASSWORD,
        "label": f"{given} {family} (e-legitimation)",
        "given_name": given,
        "family_name": family,
        "personalIdentityNumber": number,
        "loa": loa,
    }


CITIZENS = [
    _citizen("astrid", PNR_A, "Astrid", "Testsson"),
    _citizen("astrid_low", PNR_A, "Astrid", "Testsson", loa=2),
    _citizen("dottern", PNR_KIN, "Karin", "Testsson"),
    _citizen("guardian", PNR_GUARDIAN, "Gustav", "Testsson"),
    _citizen("stranger_citizen", PNR_STRANGER, "Okänd", "Främling"),
    _citizen("protected_citizen", PNR_PROTECTED, "Sven", "Skyddad"),
    _citizen("child", PNR_CHILD, "Elsa", "Testsson"),
]


def eid_registration(secret: str) -> dict:
    bases = ("http://testserver", "http://127.0.0.1", "http://localhost")
    return {
        "client_id": EID_CLIENT_ID,
        "client_secret": secret,
        "name": "Samverkan Min plan (test)",
        "redirect_uris": [f"{b}/min-plan/logga-in/oidc/eid/svar/" for b in bases],
        "post_logout_redirect_uris": [f"{b}/min-plan/logga-in/" for b in bases],
    }


def eid_provider(issuer: str, secret: str) -> dict:
    return {
        "name": "eid",
        "label": "Logga in med e-legitimation",
        "issuer": issuer,
        "client_id": EID_CLIENT_ID,
        "client_secret": secret,
    }


def citizen_login(client, username: str, password: str = IDP_PASSWORD):
    """The whole e-ID flow through the real local IdP; the callback's response."""
    return oidc_login(client, username, start="/min-plan/logga-in/oidc/eid/", password=password)


def as_citizen(client, identity: str, name: str = "Test Person") -> None:
    """A fresh browser session as the e-ID login leaves it (for tests not about the login)."""
    import time
    from importlib import import_module

    from django.conf import settings

    from .citizen import SESSION_KEY

    session = import_module(settings.SESSION_ENGINE).SessionStore()
    now = int(time.time())
    session[SESSION_KEY] = {
        "identity": identity,
        "name": name,
        "provider": "eid",
        "id_token": "",
        "auth_at": now,
        "seen_at": now,
    }
    session.save()
    client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key


def stay_with_plan(world):
    """Astrid's discharged stay with a care contact, and her SIP with a plan and a meeting."""
    case = discharged(world)
    case_services.name_care_contact(
        actor(world.pcc_staff), case, name="Sara Vårdkontakt", phone="0455-73 10 00"
    )
    sip = consented(world, started(world, case=case))  # the stay's units join
    needs = sip.participants.get(unit=world.a_needs)
    needs.name, needs.phone = "Hanna Handläggare", "0455-30 30 30"
    needs.save()
    person = sip.participants.get(kind="person")
    actions = [
        {
            "text": "Läkemedelsgenomgång",
            "participant": sip.participants.get(unit=world.pcc).public_id,
            "person": "Dr Berg",
        },
        {"text": "Hemtjänst morgon och kväll", "participant": needs.public_id},
        {"text": "Väga dig varje måndag", "participant": person.public_id},
    ]
    planned(world, sip, actions=actions)
    sip_services.schedule_meeting(
        actor(world.pcc_staff), sip, starts_at=timezone.now() + timedelta(days=20), place="Hemma"
    )
    case.refresh_from_db()
    return case, sip


def release_all(world, case, sip) -> None:
    """Staff release every item at once (the default delay would hold them 14 days)."""
    for item, _ in all_items(case.patient, [sip], case, timezone.now()):
        services.release_item(actor(world.pcc_staff), case.patient, item)


def shared(patient, identity: str = PNR_KIN, name: str = "Karin Testsson"):
    """The person has let a next of kin (by default Astrid's daughter) read Min plan."""
    from .models import Share

    return Share.objects.create(
        patient=patient,
        reader_identity=identity,
        reader_name=name,
        relation="dotter",
        given_by="person",
        valid_from=timezone.now(),
    )
