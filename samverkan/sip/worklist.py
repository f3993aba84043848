"""The SIP sections of a unit's worklist: versions to acknowledge, consent to record, meetings
this week, follow-ups due. Each starts from the unit's own indexed rows."""

from datetime import timedelta

from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from samverkan.core.worklists import Entry, read_once

from .access import visible_sips
from .models import Consent, Invitation, PlanAcknowledgement, Sip, SipParticipant

LIMIT = 50
SOON = timedelta(days=7)


def _entry(sip: Sip, text: str, due=None, overdue=False) -> Entry:
    patient = sip.patient
    return Entry(
        href=reverse("sip_detail", args=[sip.public_id]),
        title=patient.full_name,
        text=text,
        due_at=due,
        overdue=overdue,
        detail=f"{patient.identity_display} · SIP {sip.short_id}",
        patient=patient,
    )


def probe(actor):
    """The unit's open SIPs, through the chokepoint (core.worklists)."""
    if not actor.can("read_personal"):
        return None
    return visible_sips(actor).exclude(state=Sip.State.CLOSED)


def open_sips(actor):
    """Read once; each section looks among them."""
    return read_once(probe(actor).values_list("pk", flat=True))


def _sips(ids):
    return Sip.objects.filter(pk__in=ids).select_related("patient")


def to_acknowledge(actor, now, ids):
    acks = PlanAcknowledgement.objects.filter(
        unit=actor.unit, acknowledged_at=None, plan__number=F("plan__sip__plan_number")
    ).values("plan__sip")
    sips = _sips(ids).filter(pk__in=acks).order_by("updated_at")[:LIMIT]
    return [_entry(s, f"Kvittera version {s.plan_number} av planen") for s in sips]


def consent_missing(actor, now, ids):
    valid = Consent.objects.filter(revoked_at=None, valid_until__gte=timezone.localdate(now))
    sips = (
        _sips(ids)
        .filter(initiating_unit=actor.unit)
        .exclude(pk__in=valid.values("sip"))
        .order_by("started_at")[:LIMIT]
    )
    return [_entry(s, "Registrera samtycke innan något delas") for s in sips]


def meetings(actor, now, ids):
    mine = Invitation.objects.filter(
        participant__unit=actor.unit,
        meeting__held_at=None,
        meeting__starts_at__gte=now - timedelta(hours=2),
        meeting__starts_at__lte=now + SOON,
    ).values("meeting__sip")
    sips = _sips(ids).filter(pk__in=mine).prefetch_related("meetings")[:LIMIT]
    rows = []
    for sip in sips:
        meeting = next(m for m in sip.meetings.all() if m.held_at is None)
        when = timezone.localtime(meeting.starts_at).strftime("%-d/%-m kl. %H:%M")
        rows.append(_entry(sip, f"SIP-möte {when}"))
    return rows


def follow_ups(actor, now, ids):
    today = timezone.localdate(now)
    responsible = SipParticipant.objects.filter(
        unit=actor.unit, active=True, responsible=True
    ).values("sip")
    sips = (
        _sips(ids)
        .filter(state=Sip.State.PLANNED, follow_up_date__lte=today + SOON)
        .filter(pk__in=responsible)
        .order_by("follow_up_date")[:LIMIT]
    )
    return [
        _entry(
            s,
            f"Följ upp planen {s.follow_up_date:%Y-%m-%d}",
            s.follow_up_date,
            s.follow_up_date < today,
        )
        for s in sips
    ]


SECTIONS = [
    ("sip_ack", "SIP att kvittera", to_acknowledge),
    ("sip_consent", "SIP som väntar på samtycke", consent_missing),
    ("sip_meetings", "SIP-möten inom en vecka", meetings),
    ("sip_follow_up", "SIP att följa upp", follow_ups),
]


def panel(actor, now) -> list:
    if not actor.can("read_personal"):
        return []
    ids = open_sips(actor)
    empty = ids == []  # a unit without open SIPs asks nothing more (a queryset is never [])
    return [
        (key, title, [] if empty else source(actor, now, ids)) for key, title, source in SECTIONS
    ]
