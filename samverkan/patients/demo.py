"""Demo persons: identity numbers only from Skatteverket's test list, names and streets invented."""

import random

from samverkan.directory.models import Principal, Unit
from samverkan.lib.identity import parse_identity
from samverkan.lib.testdata import born_between

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


def _numbers(rng: random.Random, count: int) -> list[str]:
    elderly = rng.sample(born_between(1925, 1955), int(count * 0.7))
    adults = rng.sample(born_between(1960, 2000), int(count * 0.2))
    children = rng.sample(born_between(2008, 2019), count - len(elderly) - len(adults))
    return elderly + adults + children


def seed_patients(count: int = 60, seed: int = 2026) -> int:
    """Create (or leave as they are) `count` demo persons; returns how many exist now."""
    rng = random.Random(seed)
    municipalities = list(Principal.objects.filter(kind=Principal.Kind.MUNICIPALITY))
    weights = [m.population or 1 for m in municipalities]
    for i, number in enumerate(_numbers(rng, count)):
        home = rng.choices(municipalities, weights)[0]
        _person(rng, number, home, protected=i % 29 == 7)
    return Patient.objects.count()


def _given_name(rng, number: str) -> str:
    """The second last digit is odd for men and even for women."""
    return rng.choice(GIVEN_MALE if int(number[-2]) % 2 else GIVEN_FEMALE)


def _person(rng, number, home, protected):
    identity = parse_identity(number)
    centres = list(Unit.objects.filter(kind=Unit.Kind.PRIMARY_CARE, municipality=home))
    patient, created = Patient.objects.get_or_create(
        identity=identity.number,
        defaults={
            "identity_kind": identity.kind,
            "birth_date": identity.birth_date,
            "given_name": _given_name(rng, identity.number),
            "family_name": rng.choice(FAMILY),
            "registered_municipality": home,
            "listed_primary_care": rng.choice(centres),
            "protected_identity": protected,
            "street": "" if protected else f"{rng.choice(STREETS)} {rng.randint(1, 60)}",
            "postcode": "" if protected else f"{POSTCODES[home.code]} {rng.randint(30, 99)}",
            "city": "" if protected else home.name.replace(" kommun", "").rstrip("s"),
        },
    )
    if created and not protected:
        NextOfKin.objects.create(
            patient=patient,
            name=f"{rng.choice(GIVEN_FEMALE + GIVEN_MALE)} {patient.family_name}",
            relation=rng.choice(RELATIONS),
            phone=f"070-{rng.randint(100, 999)} {rng.randint(10, 99)} 00",
        )
