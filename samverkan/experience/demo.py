"""Demo follow-up calls and surveys: a stated rule per municipality, the calls of the stays
discharged these days (drawn by the rule), two years of finished calls for the statistics and
effect goals, half-yearly trust surveys, and experiences of the held SIP meetings. Safe to run
again."""

import random
from datetime import date, timedelta

from django.utils import timezone

from samverkan.cases.models import Case
from samverkan.directory.models import Principal, Unit
from samverkan.sip.models import Meeting

from . import rules, services
from .models import (
    CallRecord,
    CallRule,
    FollowUpCall,
    KnowsContact,
    SipExperience,
    TrustResponse,
    TrustSurvey,
)

HISTORY_SHARE = 0.3  # of the history's stays of persons 65+ discharged home
COMMENTS = [
    "Bra information om läkemedlen.",
    "Hemtjänsten kom som planerat.",
    "Visste inte när vårdcentralen skulle höra av sig.",
    "Trygg hemgång, personalen var lyhörd.",
    "Fick vänta länge på hjälpmedel.",
]


def seed_experience(seed: int = 2026) -> str:
    rng = random.Random(seed)
    made_rules = _rules()
    history = _history(rng) if not CallRecord.objects.exists() else 0
    if not FollowUpCall.objects.exists():
        _recent_stays()
    drawn = services.draw_calls()
    surveys = _surveys(rng) if not TrustSurvey.objects.exists() else 0
    sips = _sip_experiences(rng)
    return (
        f"{made_rules} urvalsregler, {drawn} nya samtal på ringlistan, {history} avslutade "
        f"samtal i historiken, {surveys} förtroendeenkäter, {sips} SIP-upplevelser"
    )


def _rules() -> int:
    primary_care = list(Unit.objects.filter(kind=Unit.Kind.PRIMARY_CARE))
    made = 0
    for m in Principal.objects.filter(kind=Principal.Kind.MUNICIPALITY):
        rule, created = CallRule.objects.get_or_create(
            municipality=m,
            defaults={
                "name": f"{m.name}: 65+ hem",
                "destinations": ["home"],
                "require_support": False,
                "sample_percent": 50,
                "seed": "demo-2026",
            },
        )
        if created:
            rule.callers.set(
                [*primary_care, *Unit.objects.filter(principal=m, kind="needs_assessment")]
            )
            made += 1
    return made


RECENT = 8  # stays discharged home 3–5 days ago, for the call list


def _recent_stays() -> None:
    """Persons 65+ of Karlskrona listed at the demo's primary care centre, without a stay in
    progress, discharged home 3–5 days ago through the services (with planned support)."""
    from samverkan.cases import demo as ward
    from samverkan.cases import services as cases

    c = ward.cast()
    for i, patient in enumerate(_recent_persons(c)):
        admitted = c.ago(24 * (8 + i % 3))
        case = ward._noticed(c, patient, admitted)
        ward._ready(c, case, admitted + timedelta(days=2))
        cases.add_planned_support(
            c.needs,
            case,
            text="Hemtjänst morgon och kväll.",
            now=admitted + timedelta(days=2, hours=2),
        )
        ward._care_contact(c, case, admitted + timedelta(days=2, hours=3))
        left = admitted + timedelta(days=3, hours=2)
        checklist = {"medication_list": True, "care_report": "Epikris bifogad"}
        cases.discharge(
            c.nurse, case, destination="home", checklist=checklist, now=left, occurred_at=left
        )


def _recent_persons(c) -> list:
    from samverkan.patients.demo import NAMED_NUMBERS
    from samverkan.patients.models import Patient

    today = timezone.localdate()
    found = Patient.objects.filter(
        listed_primary_care=c.pcc.unit,
        registered_municipality=c.pcc.unit.municipality,
        protected_identity=False,
        birth_date__lte=date(today.year - 66, 1, 1),
    ).exclude(cases__state__in=Case.IN_PROGRESS)
    found = found.exclude(identity__in=NAMED_NUMBERS)  # the README's persons keep their story
    recent = timezone.now() - timedelta(days=40)
    return [p for p in found.exclude(cases__admitted_at__gte=recent).order_by("id")][:RECENT]


def _history(rng) -> int:
    """Finished calls of the history's stays (older than two weeks), as the statistics keep
    them; answers get a little better year by year, as the goals hope."""
    cutoff = timezone.now() - timedelta(days=14)
    stays = Case.objects.filter(
        discharged_at__lt=cutoff, destination="home", patient__registered_municipality__isnull=False
    ).select_related("patient")
    rows = [_record(rng, c) for c in stays.iterator() if _drawn(rng, c)]
    CallRecord.objects.bulk_create([r for r in rows if r], batch_size=500)
    return sum(1 for r in rows if r)


def _drawn(rng, case) -> bool:
    age = rules.age_at(case.patient, timezone.localdate(case.discharged_at))
    return age is not None and age >= 65 and rng.random() < HISTORY_SHARE


def _record(rng, case) -> CallRecord:
    discharged_on = timezone.localdate(case.discharged_at)
    years = (date.today() - discharged_on).days / 365
    outcome = rng.choices(["answered", "declined", "not_reached"], [70, 12, 18])[0]
    answered = outcome == "answered"
    better = 0.25 * (2 - years)  # up to half a step better on each item over two years
    items = [min(4, max(0, round(rng.gauss(2.8 + better, 0.7)))) for _ in range(4)]
    knows = rng.random() < 0.6 + better / 2
    patient = case.patient
    return CallRecord(
        pseudonym=rules.pseudonym(patient.identity),
        municipality_id=patient.registered_municipality_id,
        age_band=rules.age_band(rules.age_at(patient, discharged_on)),
        sex=rules.sex_of(patient.identity, patient.identity_kind),
        month=discharged_on.replace(day=1),
        outcome=outcome,
        attempts=1 if outcome == "declined" else rng.randint(1, 3),
        answered_by=rng.choice(["person", "person", "next_of_kin"]) if answered else "",
        ctm_score=rules.ctm_score(items) if answered else None,
        knows_contact=(KnowsContact.YES if knows else KnowsContact.UNSURE) if answered else "",
        comment=rng.choice(COMMENTS) if answered and rng.random() < 0.2 else "",
    )


def _surveys(rng) -> int:
    """Three closed half-years of the trust survey (the first is the baseline) and the
    current one, open for a month."""
    today = timezone.localdate()
    principals = list(Principal.objects.all())
    start = date(today.year, 1 if today.month <= 6 else 7, 1)
    starts = []
    for _ in range(3):
        start = date(start.year, 1, 1) if start.month == 7 else date(start.year - 1, 7, 1)
        starts.append(start)
    for i, opens in enumerate(sorted(starts)):
        half = "våren" if opens.month == 1 else "hösten"
        survey = TrustSurvey.objects.create(
            title=f"Förtroende {half} {opens.year}", opens_on=opens, closes_on=opens + timedelta(30)
        )
        _responses(rng, survey, principals, better=0.2 * i)
    TrustSurvey.objects.create(
        title=f"Förtroende {today:%Y-%m}",
        opens_on=today - timedelta(days=5),
        closes_on=today + timedelta(days=25),
    )
    return len(starts) + 1


def _responses(rng, survey, principals, better: float) -> None:
    rows = []
    for source in principals:
        for _ in range(rng.randint(4, 12)):  # respondents of the organisation
            for about in principals:
                if about != source and rng.random() < 0.7:
                    score = min(5, max(1, round(rng.gauss(3.1 + better, 0.9))))
                    rows.append(
                        TrustResponse(
                            survey=survey,
                            respondent_principal=source,
                            about_principal=about,
                            score=score,
                        )
                    )
    rng.shuffle(rows)
    TrustResponse.objects.bulk_create(rows)


def _sip_experiences(rng) -> int:
    held = Meeting.objects.filter(held_at__isnull=False, experience__isnull=True)
    made = 0
    for meeting in held.select_related("sip__patient", "called_by", "unit"):
        SipExperience.objects.create(
            sip=meeting.sip,
            meeting=meeting,
            answered_by="person",
            took_part=rng.choice([3, 4, 4]),
            what_matters=rng.choice([2, 3, 4]),
            knows_next=rng.choice([3, 4, 0]),
            municipality=meeting.sip.patient.registered_municipality,
            month=timezone.localdate(meeting.held_at).replace(day=1),
            registered_at=meeting.held_at,
            registered_by=meeting.called_by,
            unit=meeting.unit,
        )
        made += 1
    return made
