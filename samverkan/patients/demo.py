"""Demo persons: identity numbers only from Skatteverket's test list, names and streets invented.
Ages fit: the elderly 66–95, adults 20–64, children (for school health) 7–18."""

import random
from dataclasses import dataclass

from django.utils import timezone

from samverkan.directory.models import Principal, Unit
from samverkan.lib.identity import parse_identity
from samverkan.lib.testdata import aged_between

from .models import NextOfKin, Patient

GIVEN_FEMALE = [
    "Astrid",
    "Birgit",
    "Margareta",
    "Elsa",
    "Inga",
    "Ulla",
    "Gunnel",
    "Majken",
    "Siv",
    "Britt",
    "Aisha",
    "Emma",
    "Alva",
    "Ella",
    "Leila",
    "Maja",
]
GIVEN_MALE = [
    "Gösta",
    "Karl",
    "Sven",
    "Lennart",
    "Bengt",
    "Rolf",
    "Stig",
    "Arne",
    "Ove",
    "Kjell",
    "Mohammed",
    "Lars",
    "Noah",
    "Liam",
    "Elias",
    "Hugo",
]
FAMILY = [
    "Andersson",
    "Johansson",
    "Karlsson",
    "Nilsson",
    "Eriksson",
    "Larsson",
    "Olsson",
    "Persson",
    "Svensson",
    "Gustafsson",
    "Pettersson",
    "Jonsson",
    "Lindberg",
    "Bergström",
    "Holmberg",
    "Sandberg",
    "Abdi",
    "Ivanova",
    "Mäkinen",
    "Kovač",
]
STREETS = [
    "Storgatan",
    "Ronnebygatan",
    "Drottninggatan",
    "Skeppsbrokajen",
    "Vämövägen",
    "Kungsgatan",
    "Ågatan",
    "Bryggaregatan",
    "Stationsvägen",
    "Skolgatan",
]
POSTCODES = {"1080": "371", "1082": "374", "1081": "372", "1083": "294", "1060": "293"}
RELATIONS = ["dotter", "son", "make", "maka", "sambo", "granne", "syster", "förälder"]


@dataclass(frozen=True)
class Named:
    """A demo person the README and the demo ward's stays name: folkbokförd in Karlskrona and
    listed at Vårdcentralen Wämö, so the ward's notices reach karlskrona.* and vc.* users."""

    identity: str
    given_name: str
    family_name: str
    protected: bool = False


WALK = Named("195504162776", "Gösta", "Mäkinen")  # the README's walk: no stay until you admit him
PROTECTED = Named("193408184756", "Sven", "Holmberg", protected=True)
WARD = {  # the demo ward's in-patients, one per state (cases/demo.py)
    "notice_late": Named("193704297450", "Arne", "Nilsson"),
    "notice_due": Named("198301072396", "Mohammed", "Abdi"),
    "ack_by_one": Named("193512172382", "Margareta", "Lindberg"),
    "ack_by_all": Named("194509163756", "Lennart", "Persson"),
    "update_unread": Named("193605257041", "Inga", "Karlsson"),
    "ready_today": Named("195401080691", "Kjell", "Johansson"),
    "ready_sip_called": Named("193805089145", "Elsa", "Bergström"),
    "ready_sip_late": Named("193901308308", "Ulla", "Andersson"),
    "discharge_today": Named("194606233411", "Bengt", "Olsson"),
    "rejected": Named("194310236593", "Stig", "Eriksson"),
    "question": Named("197803232383", "Leila", "Kovač"),
    "care_request": Named("193612039077", "Ove", "Pettersson"),
}
NAMED = (WALK, PROTECTED, *WARD.values())
NAMED_NUMBERS = frozenset(n.identity for n in NAMED)


def _numbers(rng: random.Random, count: int) -> list[str]:
    today = timezone.localdate()
    pools = [aged_between(66, 95, today), aged_between(20, 64, today), aged_between(7, 18, today)]
    elderly, adults, children = ([n for n in p if n not in NAMED_NUMBERS] for p in pools)
    elderly = rng.sample(elderly, int(count * 0.7))
    adults = rng.sample(adults, int(count * 0.2))
    return elderly + adults + rng.sample(children, count - len(elderly) - len(adults))


def seed_patients(count: int = 60, seed: int = 2026) -> int:
    """Create (or leave as they are) the named persons and `count` others; returns how many
    exist now."""
    rng = random.Random(seed)
    municipalities = list(Principal.objects.filter(kind=Principal.Kind.MUNICIPALITY))
    weights = [m.population or 1 for m in municipalities]
    for i, number in enumerate(_numbers(rng, count)):
        home = rng.choices(municipalities, weights)[0]
        _person(rng, number, home, protected=i % 29 == 7)
    karlskrona = Principal.objects.get(code="1080")
    wamo = Unit.objects.get(name="Vårdcentralen Wämö")
    for named in NAMED:
        _person(rng, named.identity, karlskrona, named.protected, named, wamo)
    return Patient.objects.count()


def _given_name(rng, number: str) -> str:
    """The second last digit is odd for men and even for women."""
    return rng.choice(GIVEN_MALE if int(number[-2]) % 2 else GIVEN_FEMALE)


def _person(rng, number, home, protected, named: Named | None = None, centre=None):
    identity = parse_identity(number)
    centres = list(Unit.objects.filter(kind=Unit.Kind.PRIMARY_CARE, municipality=home))
    who = {
        "given_name": named.given_name if named else _given_name(rng, identity.number),
        "family_name": named.family_name if named else rng.choice(FAMILY),
        "registered_municipality": home,
        "listed_primary_care": centre or rng.choice(centres),
        "protected_identity": protected,
    }
    address = {
        "street": f"{rng.choice(STREETS)} {rng.randint(1, 60)}",
        "postcode": f"{POSTCODES[home.code]} {rng.randint(30, 99)}",
        "city": home.name.replace(" kommun", "").rstrip("s"),
    }
    if protected:  # the address of a protected person is never stored
        who |= {key: "" for key in address}
    created_only = {"identity_kind": identity.kind, "birth_date": identity.birth_date, **address}
    created_only |= who
    if named:  # the README and the demo ward rely on them: kept as stated
        patient, created = Patient.objects.update_or_create(
            identity=identity.number, defaults=who, create_defaults=created_only
        )
    else:
        patient, created = Patient.objects.get_or_create(
            identity=identity.number, defaults=created_only
        )
    if created and not protected:
        NextOfKin.objects.create(
            patient=patient,
            name=f"{rng.choice(GIVEN_FEMALE + GIVEN_MALE)} {patient.family_name}",
            relation=rng.choice(RELATIONS),
            phone=f"070-{rng.randint(100, 999)} {rng.randint(10, 99)} 00",
        )
