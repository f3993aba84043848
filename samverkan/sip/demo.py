"""Demo SIPs for Karlskrona, made through the services: after discharge, preventive, one for a
child with the school and a guardian's consent; some closed with their quality score."""

import random
from datetime import timedelta

from django.utils import timezone

from samverkan.directory.actor import Actor
from samverkan.directory.demo import demo_actor
from samverkan.lib.identity import parse_identity
from samverkan.lib.testdata import born_between
from samverkan.patients.demo import NAMED_NUMBERS
from samverkan.patients.models import Patient

from . import services
from .models import Sip


def _plan(who: Actor, sip: Sip, rng, goals: str, now) -> None:
    owners = list(sip.participants.filter(kind="unit"))
    services.save_plan(
        who,
        sip,
        needs="Stöd i vardagen, läkemedel och trygghet i hemmet.",
        goals=goals,
        others="Dottern handlar och följer med på besök.",
        lead_principal=owners[-1].unit.principal,
        follow_up_date=timezone.localdate(now) + timedelta(days=rng.randint(3, 40)),
        actions=[
            {
                "text": "Hemsjukvård: läkemedel morgon och kväll",
                "participant": owners[-1].public_id,
                "person": "Dsk Fatima Ali",
            },
            {
                "text": "Läkemedelsgenomgång",
                "participant": owners[0].public_id,
                "person": "Dr Omar Haddad" if rng.random() < 0.7 else "",
            },
        ],
        now=now,
    )


def seed_sips(count: int = 8, seed: int = 2026) -> int:
    if Sip.objects.exists():
        return Sip.objects.count()
    rng, now = random.Random(seed), timezone.now()
    vc, hsl = demo_actor("vc.sjukskoterska"), demo_actor("karlskrona.hsl")
    needs_unit = demo_actor("karlskrona.handlaggare").unit
    elderly = Patient.objects.filter(birth_date__year__lte=1955, protected_identity=False)
    elderly = elderly.exclude(identity__in=NAMED_NUMBERS)  # their stays tell another story
    persons = list(elderly.filter(registered_municipality__code="1080")[:count])
    for i, person in enumerate(persons):
        preventive = i % 3 == 2
        listed_here = person.listed_primary_care_id == vc.unit.pk
        who = vc if listed_here and not preventive else hsl  # units that may reach the person
        sip = services.start_sip(
            who,
            kind="preventive" if preventive else "after_discharge",
            target_group="elderly",
            need_seen_by="Hemsjukvårdens sjuksköterska" if preventive else "Fast vårdkontakt",
            need="Flera insatser från kommun och region behöver samordnas.",
            identity=person.identity,
            preventive_signs=["both_principals", "falls"] if preventive else [],
            now=now,
        )
        for unit in {vc.unit, hsl.unit, needs_unit} - {who.unit}:
            services.add_participant(who, sip, kind="unit", unit=unit, now=now)
        services.record_consent(
            who,
            sip,
            given_by="person",
            principals=[vc.unit.principal, hsl.unit.principal],
            valid_until=timezone.localdate(now) + timedelta(days=365),
            now=now,
        )
        if i % 4 != 3:
            _plan(
                who,
                sip,
                rng,
                "Jag vill bo kvar hemma och klara morgonen själv." if i % 2 else "",
                now,
            )
        if i % 4 == 0:
            services.close_sip(who, sip, reason="Målen uppnådda", now=now)
    _child(now)
    return Sip.objects.count()


def _child(now) -> None:
    school = demo_actor("karlskrona.elevhalsa")
    identity = parse_identity(born_between(2012, 2014)[0])
    child, _ = Patient.objects.get_or_create(
        identity=identity.number,
        defaults={
            "identity_kind": identity.kind,
            "birth_date": identity.birth_date,
            "given_name": "Alva",
            "family_name": "Lindqvist",
            "registered_municipality": school.unit.principal,
        },
    )
    sip = services.start_sip(
        school,
        kind="preventive",
        target_group="children",
        need_seen_by="Skolsköterska",
        need="Hög frånvaro och oro; behöver stöd från skola, socialtjänst och BUP.",
        identity=child.identity,
        preventive_signs=["school_absence", "mental_health_addiction"],
        now=now,
    )
    services.add_participant(
        school,
        sip,
        kind="outside",
        organisation="Nättrabyskolan",
        name="Mentor Eva Holm",
        email="mentor@skola.invalid",
        now=now,
    )
    services.record_consent(
        school,
        sip,
        given_by="guardian",
        guardian_name="Sara Lindqvist",
        principals=[school.unit.principal],
        outside_parties=["Nättrabyskolan"],
        valid_until=timezone.localdate(now) + timedelta(days=180),
        now=now,
    )
    services.schedule_meeting(
        school,
        sip,
        starts_at=now + timedelta(days=3),
        place="Nättrabyskolan, elevhälsans rum",
        now=now,
    )
