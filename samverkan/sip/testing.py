"""Test helpers that walk a SIP through its steps with the service functions."""

from datetime import timedelta

from django.utils import timezone

from samverkan.cases.testing import actor

from . import services


def started(world, user=None, **kwargs):
    fields = {
        "kind": "after_discharge",
        "target_group": "elderly",
        "need_seen_by": "Distriktssköterska på vårdcentralen",
        "need": "Behöver hjälp med läkemedel och personlig omvårdnad.",
        "identity": world.patient.identity,
        **kwargs,
    }
    return services.start_sip(actor(user or world.pcc_staff), **fields)


def consented(world, sip, user=None, principals=None, **kwargs):
    services.record_consent(
        actor(user or world.pcc_staff),
        sip,
        given_by=kwargs.pop("given_by", "person"),
        principals=principals or [world.region, world.muni_a],
        valid_until=timezone.localdate() + timedelta(days=180),
        **kwargs,
    )
    sip.refresh_from_db()
    return sip


def with_unit(world, sip, unit, user=None):
    services.add_participant(actor(user or world.pcc_staff), sip, kind="unit", unit=unit)
    sip.refresh_from_db()
    return sip


def planned(world, sip, user=None, **kwargs):
    owner = sip.participants.get(unit=world.pcc)
    fields = {
        "needs": "Stöd med läkemedel, hjälp med dusch.",
        "goals": "Jag vill kunna bo kvar hemma och gå till affären själv.",
        "others": "Anhörig handlar varje vecka.",
        "lead_principal": world.region,
        "follow_up_date": timezone.localdate() + timedelta(days=30),
        "actions": [
            {"text": "Läkemedelsgenomgång", "participant": owner.public_id, "person": "Dr Berg"}
        ],
        **kwargs,
    }
    services.save_plan(actor(user or world.pcc_staff), sip, **fields)
    sip.refresh_from_db()
    return sip
