"""Demo deviations: whole years in the register shaped like Blekinge's 2023 (233 reports from
the municipalities to the region, 31 the other way, mostly about the joint routines), and a
few current ones in every state for the demo users' worklists. Safe to run again."""

import random
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from samverkan.cases.access import visible_cases
from samverkan.directory.actor import Actor
from samverkan.directory.demo import hsa
from samverkan.directory.models import Membership, Principal
from samverkan.sip.access import visible_sips

from . import services
from .models import Category, Deviation, Event, ensure_categories, feedback_deadline

# Weights of the main categories, in the order the Blekinge analysis lists them.
WEIGHTS = {
    "routines_notice": 30,
    "routines_intake": 14,
    "routines_summary": 16,
    "routines_other": 20,
    "sip": 18,
    "communication": 16,
    "medicines": 12,
    "nursing": 6,
    "attitude": 5,
    "secrecy": 4,
    "transport": 4,
    "documentation": 4,
    "availability": 3,
    "devices": 3,
    "other": 3,
}
YEARS = {2023: (233, 31, 0.67, 0.77), 2024: (214, 38, 0.74, 0.82), 2025: (196, 35, 0.81, 0.86)}
REGION_UNITS = ["med31", "med32", "akut-kna", "ger-khm", "med-khm", "ort54", "psyk-avd"]
MUNICIPAL_UNITS = ["bistand", "hsl"]
# Old deviations never answered lie with units whose worklists the demo does not show first.
UNANSWERED_REGION = ["med32", "kir50", "inf", "rehab-khm"]
UNANSWERED_MUNICIPAL = "korttid"
TEXTS = [
    "Inskrivningsmeddelandet kom först tre dygn efter inskrivningen.",
    "Patienten kom hem utan läkemedel för de närmaste dagarna.",
    "Omvårdnadsepikrisen saknades vid hemgång.",
    "Kallelse till SIP kom inte trots att behov fanns.",
    "Hjälpmedel var inte beställda när patienten skrevs ut.",
    "Hemtransporten var inte bokad; patienten väntade i fyra timmar.",
]


def seed_deviations(seed: int = 2026) -> int:
    """Whole years and a few current deviations, once; returns how many the register holds."""
    if Deviation.objects.exists() or not Principal.objects.exclude(deviation_unit=None).exists():
        return Deviation.objects.count()
    rng = random.Random(seed)
    ensure_categories()
    with transaction.atomic():
        for year, figures in YEARS.items():
            _year(rng, year, *figures)
        _current()
    return Deviation.objects.count()


def _members(keys_by_principal) -> dict:
    """Units that have a demo user, with that user: (unit, user_id)."""
    found = {}
    for principal, hsa_ids in keys_by_principal.items():
        found[principal.pk] = [
            (m.unit, m.user_id)
            for m in Membership.objects.filter(unit__hsa_id__in=hsa_ids, role="staff")
            .select_related("unit__principal")
            .order_by("unit__hsa_id")
        ]
    return found


def _staffed_units():
    region = Principal.objects.get(kind="region")
    municipalities = list(Principal.objects.filter(kind="municipality"))
    keys = {region: [_hsa(region, k) for k in REGION_UNITS]}
    for m in municipalities:
        keys[m] = [_hsa(m, k) for k in MUNICIPAL_UNITS]
    return region, municipalities, _members(keys)


def _coordinator_user(principal) -> int:
    return principal.deviation_unit.memberships.values_list("user_id", flat=True).first()


def _year(rng, year, to_region, to_municipalities, rate_region, rate_municipalities):
    region, municipalities, staffed = _staffed_units()
    categories = {c.code: c for c in Category.objects.all()}
    codes, weights = list(WEIGHTS), list(WEIGHTS.values())
    pairs = [(rng.choice(municipalities), region, rate_region) for _ in range(to_region)]
    pairs += [
        (region, rng.choice(municipalities), rate_municipalities) for _ in range(to_municipalities)
    ]
    for sender, receiver, rate in pairs:
        at = timezone.make_aware(datetime(year, 1, 1, 8)) + timedelta(
            days=rng.uniform(0, 364), hours=rng.uniform(0, 9)
        )
        feedback = (
            at + timedelta(days=rng.lognormvariate(3.2, 0.6)) if rng.random() < rate else None
        )
        _historic(
            rng,
            at,
            feedback,
            categories[rng.choices(codes, weights)[0]],
            (sender, *rng.choice(staffed[sender.pk])),
            (receiver, *rng.choice(staffed[receiver.pk]))
            if feedback
            else (receiver, _unanswered_unit(rng, receiver), None),
        )


def _unanswered_unit(rng, principal):
    key = rng.choice(UNANSWERED_REGION) if principal.kind == "region" else UNANSWERED_MUNICIPAL
    return principal.units.get(hsa_id=_hsa(principal, key))


def _hsa(principal, key: str) -> str:
    """The demo directory's HSA-id of a unit key (see directory.demo)."""
    if principal.kind == "region":
        return hsa("SE2321000081", key)
    return hsa(f"SE212000{principal.code}", f"{principal.code}-{key}")


def _historic(rng, at, feedback, category, sender, receiver):
    """One past deviation with its history: reported, assigned, answered and closed (or not).
    `sender` and `receiver` are (principal, unit, user id)."""
    sender, reporter, reporter_user = sender
    receiver, responsible, responsible_user = receiver
    coordinator = receiver.deviation_unit
    deviation = Deviation.objects.create(
        reporter_unit=reporter,
        reported_by_id=reporter_user,
        from_principal=sender,
        to_principal=receiver,
        direction=services.DIRECTIONS[(sender.kind, receiver.kind)],
        responsible_unit=responsible,
        reported_category=category,
        category=category,
        occurred_at=at - timedelta(days=rng.uniform(0, 3)),
        description=rng.choice(TEXTS),
        state=Deviation.State.CLOSED if feedback else Deviation.State.ASSIGNED,
        reported_at=at,
        feedback_due_at=feedback_deadline(at),
        due_at=feedback_deadline(at),
        assigned_at=at + timedelta(days=2),
        feedback_at=feedback,
        closed_at=feedback + timedelta(days=5) if feedback else None,
    )
    steps = [
        (Event.Kind.REPORTED, at, reporter, reporter_user, "received", ""),
        (
            Event.Kind.ASSIGNED,
            at + timedelta(days=2),
            coordinator,
            _coordinator_user(receiver),
            "assigned",
            responsible.name,
        ),
    ]
    if feedback:
        steps += [
            (
                Event.Kind.FEEDBACK,
                feedback,
                responsible,
                responsible_user,
                "answered",
                "Genomgång med personalgruppen.",
            ),
            (
                Event.Kind.ACKNOWLEDGED,
                feedback + timedelta(days=5),
                reporter,
                reporter_user,
                "closed",
                "",
            ),
        ]
    Event.objects.bulk_create(
        Event(
            deviation=deviation,
            kind=k,
            at=t,
            unit=u,
            user_id=usr,
            state=st,
            text=txt,
            data={"analysis": txt, "actions": "Rutinen påmind."} if k == "feedback" else {},
        )
        for k, t, u, usr, st, txt in steps
    )


def _actor(username_unit: tuple[str, str]) -> Actor:
    username, hsa_id = username_unit
    membership = Membership.objects.select_related("unit__principal", "user").get(
        user__username=username, unit__hsa_id=hsa_id
    )
    return Actor(user=membership.user, membership=membership, ip="127.0.0.1")


REPORTER = ("karlskrona.handlaggare", "SE2120001080-1080-BISTAND")
WARD = ("avd.sjukskoterska", "SE2321000081-MED31")
REGION_COORDINATOR = ("region.avvikelser", "SE2321000081-AVVIKELSER")


def _current():
    """Open deviations for the demo users: to assign, to answer (one overdue), to judge."""
    now = timezone.now()
    reporter, ward, coordinator = _actor(REPORTER), _actor(WARD), _actor(REGION_COORDINATOR)
    region = Principal.objects.get(kind="region")
    karlskrona = Principal.objects.get(code="1080")
    cases = list(
        visible_cases(reporter).order_by("-admitted_at").values_list("public_id", flat=True)[:4]
    )
    sips = list(visible_sips(reporter).values_list("public_id", flat=True)[:1])
    cat = {c.code: c for c in Category.objects.all()}

    def report(actor, to, code, text, days_ago, case=None, sip=None):
        return services.report(
            actor,
            to_principal=to,
            category=cat[code],
            description=text,
            case=case,
            sip=sip,
            suggested_action="Gå igenom rutinen med avdelningen.",
            occurred_at=now - timedelta(days=days_ago + 1),
            now=now - timedelta(days=days_ago),
        )

    case = iter(cases + [None] * 4)
    report(reporter, region, "routines_notice", TEXTS[0], 1, next(case))
    report(reporter, region, "medicines", TEXTS[1], 2, next(case))
    for days_ago, code in ((70, "routines_summary"), (20, "sip")):
        link = {"sip": sips[0]} if code == "sip" and sips else {"case": next(case)}
        d = report(reporter, region, code, TEXTS[2 if code != "sip" else 3], days_ago, **link)
        services.assign(coordinator, d, unit=ward.unit, now=now - timedelta(days=days_ago - 1))
    d = report(reporter, region, "devices", TEXTS[4], 30)
    d = services.assign(coordinator, d, unit=ward.unit, now=now - timedelta(days=29))
    services.give_feedback(
        ward,
        d,
        analysis="Beställningen glömdes vid helgbemanning.",
        actions="Hjälpmedel finns nu på utskrivningschecklistan.",
        now=now - timedelta(days=3),
    )
    report(ward, karlskrona, "transport", TEXTS[5], 4)
