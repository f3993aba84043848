"""The demo directory of Blekinge: real principals, plausible units, one user per role and kind.

Unit names are plausible, not an official register; HSA-ids are HSA-style but synthetic.
"""

from .models import Unit

K = Unit.Kind
DEMO_PASSWORD = "Samverkan-demo-2026"
REGION = ("10", "Region Blekinge", None)
MUNICIPALITIES = [  # code, name, population 31 Dec 2023 (SCB)
    ("1080", "Karlskrona kommun", 66420),
    ("1082", "Karlshamns kommun", 31996),
    ("1081", "Ronneby kommun", 29021),
    ("1083", "Sölvesborgs kommun", 17475),
    ("1060", "Olofströms kommun", 13061),
]
TOWN = {
    "1080": "Karlskrona",
    "1082": "Karlshamn",
    "1081": "Ronneby",
    "1083": "Sölvesborg",
    "1060": "Olofström",
}

# Region units: (key, name, kind, site, municipality code)
HOSPITAL = [
    ("akut-kna", "Akutmottagningen Karlskrona", K.EMERGENCY, "Karlskrona", "1080"),
    ("med31", "Medicinavdelning 31", K.WARD_SOMATIC, "Karlskrona", "1080"),
    ("med32", "Medicinavdelning 32", K.WARD_SOMATIC, "Karlskrona", "1080"),
    ("kir50", "Kirurgavdelning 50", K.WARD_SOMATIC, "Karlskrona", "1080"),
    ("ort54", "Ortopedavdelning 54", K.WARD_SOMATIC, "Karlskrona", "1080"),
    ("inf", "Infektionsavdelningen", K.WARD_SOMATIC, "Karlskrona", "1080"),
    ("ger-khm", "Geriatriska avdelningen", K.WARD_SOMATIC, "Karlshamn", "1082"),
    ("med-khm", "Medicinavdelning Karlshamn", K.WARD_SOMATIC, "Karlshamn", "1082"),
    ("rehab-khm", "Rehabiliteringsavdelningen", K.WARD_SOMATIC, "Karlshamn", "1082"),
    ("psyk-avd", "Psykiatrisk vårdavdelning", K.WARD_PSYCHIATRIC, "Karlshamn", "1082"),
    ("dialys", "Dialysmottagningen", K.SPECIALIST_CLINIC, "Karlskrona", "1080"),
    (
        "pom-kna",
        "Psykiatriska öppenvårdsmottagningen Karlskrona",
        K.PSYCHIATRIC_OUTPATIENT,
        "Karlskrona",
        "1080",
    ),
    (
        "pom-khm",
        "Psykiatriska öppenvårdsmottagningen Karlshamn",
        K.PSYCHIATRIC_OUTPATIENT,
        "Karlshamn",
        "1082",
    ),
    ("analys", "Analys och uppföljning", K.ADMINISTRATION, "Karlskrona", "1080"),
    ("forvaltning", "Systemförvaltning Samverkan", K.ADMINISTRATION, "Karlskrona", "1080"),
    ("avvikelser", "Patientsäkerhet och avvikelser", K.ADMINISTRATION, "Karlskrona", "1080"),
]
PRIMARY_CARE = {
    "1080": ["Wämö", "Lyckeby", "Jämjö", "Nättraby", "Rödeby", "Trossö"],
    "1082": ["Karlshamn", "Mörrum", "Asarum"],
    "1081": ["Ronneby", "Kallinge", "Bräkne-Hoby"],
    "1083": ["Sölvesborg", "Mjällby"],
    "1060": ["Olofström"],
}
# Municipal units: (key, name suffix, kind); the needs-assessment unit receives notices.
MUNICIPAL = [
    ("bistand", "Biståndsenheten", K.NEEDS_ASSESSMENT),
    ("hsl", "Hemsjukvården", K.HOME_HEALTH_CARE),
    ("hemtjanst", "Hemtjänsten", K.HOME_HELP),
    ("korttid", "Korttidsboendet", K.SHORT_TERM_HOUSING),
    ("rehab", "Kommunrehab", K.REHAB),
    ("ifo", "Individ- och familjeomsorgen", K.SOCIAL_PSYCHIATRY),
    ("elevhalsa", "Elevhälsan", K.SCHOOL_HEALTH),
    ("kvalitet", "Kvalitet och avvikelser", K.ADMINISTRATION),  # the deviation coordinator
]

# Demo users: (username, first, last, [(unit key, role)])
USERS = [
    ("avd.sjukskoterska", "Anna", "Lind", [("med31", "staff")]),
    ("avd.lakare", "Erik", "Holm", [("med31", "physician")]),
    ("avd.lasare", "Sara", "Berg", [("med31", "reader")]),
    ("avd.chef", "Maria", "Ek", [("med31", "unit_admin")]),
    ("akut.sjukskoterska", "Jonas", "Nyberg", [("akut-kna", "staff")]),
    ("psyk.sjukskoterska", "Lena", "Falk", [("psyk-avd", "staff")]),
    ("ger.sjukskoterska", "Karin", "Sjöberg", [("ger-khm", "staff"), ("med-khm", "staff")]),
    ("dialys.sjukskoterska", "Peter", "Dahl", [("dialys", "staff")]),
    ("pom.sjukskoterska", "Elin", "Wikström", [("pom-kna", "staff")]),
    ("vc.sjukskoterska", "Ulla", "Strand", [("vc-wamo", "staff")]),
    ("vc.lakare", "Omar", "Haddad", [("vc-wamo", "physician")]),
    ("vc.chef", "Birgitta", "Lund", [("vc-wamo", "unit_admin")]),
    ("analytiker", "Nils", "Forsberg", [("analys", "analyst")]),
    ("sysadmin", "Ida", "Söderström", [("forvaltning", "sysadmin")]),
    ("region.avvikelser", "Tove", "Åberg", [("avvikelser", "staff")]),
]
MUNICIPAL_USERS = {  # per municipality: username suffix -> unit key, role
    "handlaggare": ("bistand", "staff"),
    "hsl": ("hsl", "staff"),
    "chef": ("bistand", "unit_admin"),
    "avvikelser": ("kvalitet", "staff"),
}
MUNICIPAL_NAMES = {  # first and last name per municipality, in MUNICIPAL_USERS' order
    "1080": ["Eva Karlsson", "Fatima Ali", "Gunnar Persson", "Ola Björk"],
    "1082": ["Annika Hedlund", "Samira Yusuf", "Mats Wallin", "Pia Engström"],
    "1081": ["Camilla Nord", "Jelena Petrović", "Henrik Sjögren", "Åsa Lindgren"],
    "1083": ["Malin Ekström", "Amir Rahimi", "Tomas Blom", "Kerstin Hellberg"],
    "1060": ["Sofia Mattsson", "Nadia Hassan", "Roger Lundqvist", "Agneta Fransson"],
}
MUNICIPAL_EXTRA_USERS = [  # Karlskrona only: one user per remaining municipal unit kind
    ("hemtjanst", "Hanna", "Olsson", "hemtjanst", "staff"),
    ("korttid", "Ingrid", "Nilsson", "korttid", "staff"),
    ("rehab", "Johan", "Axelsson", "rehab", "staff"),
    ("ifo", "Kristin", "Magnusson", "ifo", "staff"),
    ("elevhalsa", "Linnea", "Jonsson", "elevhalsa", "staff"),
]
USER_PREFIX = {
    "1080": "karlskrona",
    "1082": "karlshamn",
    "1081": "ronneby",
    "1083": "solvesborg",
    "1060": "olofstrom",
}


def hsa(prefix: str, key: str) -> str:
    return f"{prefix}-{key.upper()}"


def seed_directory():
    """Create or update the demo directory; returns units by key and principals by code."""
    from django.contrib.auth.models import User

    from .models import Membership, Principal

    region, _ = Principal.objects.update_or_create(
        code=REGION[0], defaults={"name": REGION[1], "kind": Principal.Kind.REGION}
    )
    principals = {region.code: region}
    for code, name, population in MUNICIPALITIES:
        principals[code], _ = Principal.objects.update_or_create(
            code=code,
            defaults={"name": name, "kind": Principal.Kind.MUNICIPALITY, "population": population},
        )
    units = _seed_units(principals)
    for code, _name, _pop in MUNICIPALITIES:
        Principal.objects.filter(code=code).update(
            notice_unit=units[f"{code}-bistand"], deviation_unit=units[f"{code}-kvalitet"]
        )
    Principal.objects.filter(code=REGION[0]).update(deviation_unit=units["avvikelser"])
    for username, first, last, roles in _all_users():
        user, created = User.objects.update_or_create(
            username=username,
            defaults={"first_name": first, "last_name": last},
            create_defaults={
                "first_name": first,
                "last_name": last,
                "email": f"{username}@demo.invalid",
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        for key, role in roles:
            Membership.objects.update_or_create(user=user, unit=units[key], defaults={"role": role})
    return principals, units


AREA_CODE = {"1080": "0455", "1082": "0454", "1081": "0457", "1083": "0456", "1060": "0454"}
ROUND_THE_CLOCK = {K.EMERGENCY, K.WARD_SOMATIC, K.WARD_PSYCHIATRIC, K.HOME_HEALTH_CARE}


def _unit(units, key, hsa_prefix, phone, **fields):
    units[key], _ = Unit.objects.update_or_create(
        hsa_id=hsa(hsa_prefix, key),
        defaults={
            **fields,
            "mailbox": f"{key}@demo.invalid",
            "phone": phone,
            "opening_hours": "Dygnet runt"
            if fields["kind"] in ROUND_THE_CLOCK
            else "Vardagar 08–16",
        },
    )


def _seed_units(principals):
    units, region = {}, principals["10"]
    for i, (key, name, kind, site, code) in enumerate(HOSPITAL):
        _unit(
            units,
            key,
            "SE2321000081",
            f"0455-73 {i + 10} 00",
            principal=region,
            municipality=principals[code],
            name=name,
            kind=kind,
            site=site,
        )
    for code, places in PRIMARY_CARE.items():
        for i, place in enumerate(places):
            key = "vc-" + place.lower().replace("ä", "a").replace("ö", "o").replace("å", "a")
            _unit(
                units,
                key,
                "SE2321000081",
                f"{AREA_CODE[code]}-73 6{i} 00",
                principal=region,
                municipality=principals[code],
                name=f"Vårdcentralen {place}",
                kind=K.PRIMARY_CARE,
                site=place,
            )
    for code, _name, _pop in MUNICIPALITIES:
        for i, (key, suffix, kind) in enumerate(MUNICIPAL):
            _unit(
                units,
                f"{code}-{key}",
                f"SE212000{code}",
                f"{AREA_CODE[code]}-30 {i + 40} 00",
                principal=principals[code],
                municipality=principals[code],
                name=f"{suffix} {TOWN[code]}",
                kind=kind,
                site=TOWN[code],
            )
    return units


def _all_users():
    yield from USERS
    for code, prefix in USER_PREFIX.items():
        names = (name.split(" ") for name in MUNICIPAL_NAMES[code])
        users = [(s, *n, *u) for (s, u), n in zip(MUNICIPAL_USERS.items(), names, strict=True)]
        extra = MUNICIPAL_EXTRA_USERS if code == "1080" else []
        for suffix, first, last, key, role in users + extra:
            yield f"{prefix}.{suffix}", first, last, [(f"{code}-{key}", role)]


def demo_actor(username: str):
    """The demo user acting in their first unit, as the demo's stays and plans are made."""
    from django.contrib.auth.models import User

    from .actor import Actor

    user = User.objects.get(username=username)
    membership = user.memberships.select_related("unit__principal").order_by("pk").first()
    return Actor(user=user, membership=membership, ip="127.0.0.1")
