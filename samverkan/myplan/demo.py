"""Demo for Min plan: Gösta Mäkinen (the README's walk) has a preventive SIP with a plan, a
meeting and his own tasks, released so his Min plan shows it, and his daughter may read it."""

from datetime import timedelta

from django.utils import timezone

from samverkan.directory.demo import demo_actor
from samverkan.patients.demo import PROTECTED, WALK
from samverkan.patients.models import Patient
from samverkan.sip import services as sip_services

from . import services
from .models import Share
from .plan import all_items

DAUGHTER = ("198001032385", "Maria Mäkinen", "dotter")  # a Skatteverket test number


def seed_myplan() -> int:
    """Gösta's SIP for Min plan (once); returns how many plans are shared with next of kin."""
    gosta = Patient.objects.filter(identity=WALK.identity).first()
    if gosta is None or gosta.sips.exists():
        return Share.objects.count()
    now = timezone.now()
    vc, hsl = demo_actor("vc.sjukskoterska"), demo_actor("karlskrona.hsl")
    needs = demo_actor("karlskrona.handlaggare").unit
    sip = sip_services.start_sip(
        vc,
        kind="preventive",
        target_group="elderly",
        need_seen_by="Fast vårdkontakt på vårdcentralen",
        need="Yrsel och fall hemma; stöd från både vårdcentralen och kommunen.",
        identity=gosta.identity,
        preventive_signs=["both_principals", "falls"],
        now=now,
    )
    _take_part(vc, sip, [hsl.unit, needs], now)
    _plan(vc, sip, now)
    sip_services.schedule_meeting(
        vc, sip, starts_at=now + timedelta(days=9, hours=2), place="Hemma hos Gösta", now=now
    )
    for item, _ in all_items(gosta, [sip], None, now):
        services.release_item(vc, gosta, item, now=now)
    number, name, relation = DAUGHTER
    services.share_plan(vc, gosta, identity=number, name=name, relation=relation, now=now)
    return Share.objects.count()


def _take_part(vc, sip, units, now) -> None:
    for unit in units:
        sip_services.add_participant(vc, sip, kind="unit", unit=unit, now=now)
    sip_services.record_consent(
        vc,
        sip,
        given_by="person",
        principals=[u.principal for u in units] + [vc.unit.principal],
        valid_until=timezone.localdate(now) + timedelta(days=365),
        now=now,
    )


def _plan(vc, sip, now) -> None:
    by_unit = {p.unit_id: p for p in sip.participants.filter(kind="unit")}
    person = sip.participants.get(kind="person")
    hsl = next(p for p in by_unit.values() if p.unit.kind == "home_health_care")
    needs = next(p for p in by_unit.values() if p.unit.kind == "needs_assessment")
    sip_services.save_plan(
        vc,
        sip,
        needs="Trygghet hemma efter fallen, hjälp med läkemedel och dusch.",
        goals="Jag vill bo kvar hemma och gå till affären själv.",
        others="Dottern Maria handlar varje lördag.",
        lead_principal=vc.unit.principal,
        follow_up_date=timezone.localdate(now) + timedelta(days=30),
        actions=[
            {
                "text": "Läkemedelsgenomgång och blodtryck",
                "participant": by_unit[vc.unit.pk].public_id,
                "person": "Dr Omar Haddad",
            },
            {
                "text": "Hemsjukvård: läkemedel morgon och kväll",
                "participant": hsl.public_id,
                "person": "Dsk Fatima Ali",
            },
            {
                "text": "Hemtjänst: hjälp med dusch två gånger i veckan, trygghetslarm",
                "participant": needs.public_id,
                "person": "Handläggare Jonas Ek",
            },
            {
                "text": "Gå en kort promenad varje dag och bär trygghetslarmet",
                "participant": person.public_id,
            },
        ],
        now=now,
    )


CITIZENS = [(WALK.identity, WALK.given_name, WALK.family_name, "gosta")]
CITIZENS += [(DAUGHTER[0], "Maria", "Mäkinen", "maria")]
CITIZENS += [(PROTECTED.identity, PROTECTED.given_name, PROTECTED.family_name, "sven")]
