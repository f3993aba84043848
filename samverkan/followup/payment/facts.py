"""Loads the rules' facts for a set of cases in a fixed number of queries (no rules here)."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta

from samverkan.cases.models import Case, Delivery, Message, ReadyPeriod
from samverkan.directory.models import Unit
from samverkan.followup.models import Agreement, DailyAmount

from .rules import ReadyNotice, StayFacts, Terms

K = Message.Kind
TERM_FIELDS = [f for f in Terms.__dataclass_fields__ if f not in {"name", "valid_from"}]
SAME_NOTICE = timedelta(minutes=1)  # a period and its READY message share their moment


def agreements() -> dict[int, list[Terms]]:
    """Every agreement as Terms, per region id (one query)."""
    found = defaultdict(list)
    for a in Agreement.objects.all():
        found[a.region_id].append(
            Terms(name=a.name, valid_from=a.valid_from, **{f: getattr(a, f) for f in TERM_FIELDS})
        )
    return found


def amounts() -> dict[int, int]:
    return dict(DailyAmount.objects.values_list("year", "amount"))


@dataclass
class Stay:
    """A case with its facts for the rules."""

    case: Case
    facts: StayFacts


def load(cases) -> list[Stay]:
    """Facts for every case of the queryset: cases, periods, deliveries, messages (4 queries,
    a fifth only when a patient declined support at one unit)."""
    rows = list(
        cases.select_related(
            "patient__registered_municipality", "ward__principal", "care_contact_unit"
        ).order_by("ready_at", "pk")
    )
    ids = [c.pk for c in rows]
    periods = defaultdict(list)
    for p in ReadyPeriod.objects.filter(case_id__in=ids).order_by("declared_at"):
        periods[p.case_id].append(p)
    received = _received(ids)
    notes = _messages(ids)
    return [Stay(c, _facts(c, periods[c.pk], received, notes)) for c in rows]


def _received(ids) -> dict:
    """(case id, kind) -> [(message time, sent at, principal id)] of notices delivered."""
    found = defaultdict(list)
    deliveries = Delivery.objects.filter(
        message__case_id__in=ids, message__kind__in=[K.ADMISSION_NOTICE, K.READY]
    ).values_list(
        "message__case_id", "message__kind", "message__occurred_at", "sent_at", "unit__principal_id"
    )
    for case_id, kind, occurred, sent, principal in deliveries:
        found[case_id, kind].append((occurred, sent, principal))
    return found


def _messages(ids) -> dict:
    """case id -> {"care_contact": first time, "refused": first time the patient declined,
    "sip": [(ready notice time, SIP needed as judged then)]}."""
    found = defaultdict(dict)
    messages = Message.objects.filter(
        case_id__in=ids, kind__in=[K.CARE_CONTACT, K.INTERRUPTION, K.READY]
    ).order_by("occurred_at")
    declined = [
        m for m in messages if m.kind == K.INTERRUPTION and m.data.get("reason") == "declined"
    ]
    regional = _regional_units({m.data.get("unit") for m in declined} - {None})
    for m in messages:
        if m.kind == K.READY and "sip_needed" in m.data:
            found[m.case_id].setdefault("sip", []).append((m.occurred_at, m.data["sip_needed"]))
        elif m.kind == K.CARE_CONTACT:
            found[m.case_id].setdefault("care_contact", m.occurred_at)
        elif m in declined and m.data.get("unit") not in regional:
            found[m.case_id].setdefault("refused", m.occurred_at)
    return found


def _regional_units(hsa_ids) -> set[str]:
    """Of these units, those of a region: declining the region's care is not refusing the
    municipality's support."""
    if not hsa_ids:
        return set()
    return set(
        Unit.objects.filter(hsa_id__in=hsa_ids, principal__kind="region").values_list(
            "hsa_id", flat=True
        )
    )


def _same(moment, notices) -> list:
    """The values of the notices sent at the period's moment."""
    return [value for at, value in notices if abs(at - moment) <= SAME_NOTICE]


def _facts(case: Case, periods, received, notes) -> StayFacts:
    """The READY message of each period carries the SIP judgement made then (the case keeps
    only the latest); a period without one (synthetic data) takes the case's."""
    municipality = case.patient.registered_municipality_id
    admission = sorted(s for _, s, p in received[case.pk, K.ADMISSION_NOTICE] if p == municipality)
    ready = [(o, True) for o, _, p in received[case.pk, K.READY] if p == municipality]
    sip = notes[case.pk].get("sip", [])
    return StayFacts(
        periods=tuple(
            ReadyNotice(
                p.declared_at,
                p.ended_at,
                p.end_reason,
                received=bool(_same(p.declared_at, ready)),
                sip_needed=next(iter(_same(p.declared_at, sip)), None),
            )
            for p in periods
        ),
        admission_notice_at=admission[0] if admission else None,
        admission_notice_due=case.notice_due_at(),
        psychiatric=case.ward.kind == Unit.Kind.WARD_PSYCHIATRIC,
        sip_needed=bool(case.sip_needed),
        sip_called_at=case.sip_called_at,
        care_contact_at=notes[case.pk].get("care_contact"),
        refused_at=notes[case.pk].get("refused"),
    )
