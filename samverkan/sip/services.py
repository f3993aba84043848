"""SIP steps as services: each takes the actor, checks role, access and state, writes in one
transaction with the plan row locked and its version checked, notifies and audits itself."""

from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from samverkan.audit.log import record
from samverkan.cases.clock import occurred
from samverkan.core.errors import conflict, invalid
from samverkan.lib.weblinks import clean_web_link
from samverkan.notifications.notify import notify
from samverkan.patients.models import Patient
from samverkan.patients.services import find_or_register

from .access import require_initiator_or_lead
from .models import (
    Consent,
    FollowUp,
    HarmAssessment,
    Invitation,
    Meeting,
    PlanAcknowledgement,
    PlanVersion,
    Sip,
    SipParticipant,
)

P = SipParticipant.Kind
PREVENTIVE_SIGNS = {
    "both_principals": "Har insatser från både kommun och region",
    "emergency_visits": "Flera besök på akuten eller inläggningar senaste halvåret",
    "unclear_coordination": "Oklart vem som samordnar insatserna",
    "many_medicines": "Många läkemedel eller ändrad medicinering",
    "falls": "Fall eller ökad fallrisk",
    "next_of_kin_strained": "Närstående orkar inte eller saknas",
    "mental_health_addiction": "Psykisk ohälsa eller missbruk som påverkar vardagen",
    "school_absence": "Barn: hög frånvaro eller svårigheter i skolan",
    "person_worried": "Personen eller närstående oroar sig för hur vardagen ska fungera",
}
QUALITY = {
    "person_took_part": "Personen deltog i mötet",
    "own_goals": "Personens mål med egna ord",
    "actions_owned": "Varje insats har en ansvarig person",
    "lead_named": "Huvudansvarig huvudman angiven",
    "follow_up_set": "Datum för uppföljning satt",
}
CONSENT_MAX_DAYS = 366 * 2
MINOR_AGE, OWN_CONSENT_AGE = 18, 15


def lock(sip: Sip, version: int | None) -> Sip:
    fresh = Sip.objects.select_for_update(of=("self",)).select_related("patient").get(pk=sip.pk)
    if version is not None and version != fresh.version:
        raise conflict()
    return fresh


def step(actor, sip: Sip, version=None) -> Sip:
    """The common start of a write: role, locked row, still open."""
    actor.require("write_personal")
    sip = lock(sip, version)
    if not sip.is_open:
        raise invalid(None, "state", "Planen är avslutad och kan inte ändras.")
    return sip


def save(actor, sip: Sip, action: str, fields=(), detail=None) -> Sip:
    sip.version += 1
    sip.save(update_fields=[*fields, "version", "updated_at"])
    record(actor, action, patient=sip.patient, obj=sip, detail=detail)
    return sip


def link(sip: Sip) -> str:
    return reverse("sip_detail", args=[sip.public_id])


def _today(now) -> date:
    return timezone.localdate(now)


# --- who may receive what -------------------------------------------------------------------


def covered_principals(sip: Sip, day: date) -> set[int]:
    """Principals a valid consent or the latest harm assessment lets information reach."""
    covered = set()
    for consent in sip.consents.prefetch_related("principals"):
        if consent.valid_on(day):
            covered |= {p.pk for p in consent.principals.all()}
    latest = {}
    for assessment in sip.harm_assessments.all():
        latest[assessment.principal_id] = assessment.may_share
    return covered | {p for p, share in latest.items() if share}


def covered_outside(sip: Sip, day: date) -> set[str]:
    return {
        name.casefold()
        for consent in sip.consents.all()
        if consent.valid_on(day)
        for name in consent.outside_parties
    }


def reachable(sip: Sip, participant: SipParticipant, day: date) -> bool:
    """May this participant receive the plan's information now?"""
    if participant.kind in (P.PERSON, P.NEXT_OF_KIN):
        return True
    if participant.kind == P.OUTSIDE:
        return participant.organisation.casefold() in covered_outside(sip, day)
    return participant.unit_id == sip.initiating_unit_id or (
        participant.unit.principal_id in covered_principals(sip, day)
    )


def reachable_units(sip: Sip, day: date, *, exclude=None) -> list:
    units = [
        p.unit
        for p in sip.participants.filter(active=True, kind=P.UNIT).select_related("unit")
        if reachable(sip, p, day)
    ]
    return [u for u in units if not exclude or u.pk != exclude.pk]


def _notify(sip: Sip, actor, kind: str, text: str, now) -> None:
    units = reachable_units(sip, _today(now), exclude=actor.unit)
    notify(units, kind, f"{text} (SIP {sip.short_id})", **about(sip))


def about(sip: Sip) -> dict:
    """What a SIP's notification is about: the plan (its access decides who sees the name)."""
    return {"subject": sip, "patient": sip.patient, "link": link(sip)}


# --- starting -------------------------------------------------------------------------------


def person_for(actor, identity: str, given_name: str, family_name: str) -> Patient:
    """The person a SIP is for: one the unit may reach by the number, or newly registered."""
    patient, reachable = find_or_register(actor, identity, given_name, family_name)
    if not reachable:
        raise invalid("identity", "not_reachable", NOT_REACHABLE)
    return patient


NOT_REACHABLE = (
    "Din enhet har ingen vårdrelation till personen med det numret. Starta planen från "
    "personens vårdtillfälle, eller be en enhet med vårdrelation att starta den och bjuda in er."
)


def _signs(kind: str, signs) -> list[str]:
    signs = list(dict.fromkeys(signs or []))
    unknown = set(signs) - set(PREVENTIVE_SIGNS)
    if unknown:
        raise invalid("preventive_signs", "choice", f"Okänt tecken: {', '.join(sorted(unknown))}.")
    if kind == Sip.Kind.PREVENTIVE and not signs:
        raise invalid(
            "preventive_signs",
            "required",
            "Markera minst ett tecken i checklistan för en förebyggande SIP.",
        )
    return signs


def _choice(field: str, value: str, choices) -> str:
    if value not in choices.values:
        raise invalid(field, "choice", "Välj ett av alternativen.")
    return value


@transaction.atomic
def start_sip(
    actor,
    *,
    kind: str,
    target_group: str,
    need_seen_by: str,
    need: str,
    case=None,
    identity: str = "",
    given_name: str = "",
    family_name: str = "",
    preventive_signs=(),
    occurred_at=None,
    now=None,
) -> Sip:
    """Anyone in either principal who sees the need starts a SIP: from a LOS case (the case's
    units join) or on its own for a person in any target group."""
    actor.require("write_personal")
    now = now or timezone.now()
    _choice("kind", kind, Sip.Kind)
    _choice("target_group", target_group, Sip.TargetGroup)
    for field, value in (("need_seen_by", need_seen_by), ("need", need)):
        if not (value or "").strip():
            raise invalid(field, "required", "Fyll i fältet.")
    signs = _signs(kind, preventive_signs)
    if case is not None:
        if kind == Sip.Kind.PREVENTIVE:
            raise invalid("kind", "choice", "En SIP från ett vårdtillfälle är inte förebyggande.")
        if case.sips.exclude(state=Sip.State.CLOSED).exists():
            raise invalid(None, "state", "Vårdtillfället har redan en pågående SIP.")
        patient = case.patient
    else:
        patient = person_for(actor, identity, given_name, family_name)
    sip = Sip.objects.create(
        patient=patient,
        case=case,
        kind=kind,
        target_group=target_group,
        initiating_unit=actor.unit,
        started_by=actor.user,
        started_at=occurred(occurred_at, now),
        need_seen_by=need_seen_by.strip(),
        need=need.strip(),
        preventive_signs=signs,
    )
    units = [actor.unit]
    if case is not None:
        units += [p.unit for p in case.participants.filter(active=True).select_related("unit")]
    SipParticipant.objects.bulk_create(
        [SipParticipant(sip=sip, kind=P.UNIT, unit=u) for u in dict.fromkeys(units)]
        + [SipParticipant(sip=sip, kind=P.PERSON, name=patient.full_name)]
    )
    record(actor, "sip.start", patient=patient, obj=sip, detail={"kind": kind})
    return sip


# --- consent and harm assessment ------------------------------------------------------------


def _age(patient: Patient, day: date) -> int | None:
    born = patient.birth_date
    if not born:
        return None
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def check_consenter(patient, given_by: str, guardian_name: str, day: date) -> None:
    _choice("given_by", given_by, Consent.GivenBy)
    age = _age(patient, day)
    minor = age is not None and age < MINOR_AGE
    if given_by == Consent.GivenBy.GUARDIAN:
        if not minor:
            raise invalid("given_by", "adult", "Personen är vuxen och samtycker själv.")
        if not guardian_name.strip():
            raise invalid("guardian_name", "required", "Ange vårdnadshavarens namn.")
    elif minor and age < OWN_CONSENT_AGE:
        raise invalid(
            "given_by",
            "age",
            f"Barnet är under {OWN_CONSENT_AGE} år: vårdnadshavaren lämnar samtycket.",
        )


@transaction.atomic
def record_consent(
    actor,
    sip: Sip,
    *,
    given_by: str,
    principals,
    valid_until: date,
    outside_parties=(),
    guardian_name: str = "",
    given_at=None,
    version=None,
    now=None,
) -> Consent:
    """The person (or a guardian) consents to sharing between the named organisations."""
    sip = step(actor, sip, version)
    now = now or timezone.now()
    today = _today(now)
    check_consenter(sip.patient, given_by, guardian_name or "", today)
    principals = list(principals or [])
    if not principals:
        raise invalid("principals", "required", "Välj vilka huvudmän samtycket gäller.")
    if valid_until is None or valid_until < today:
        raise invalid("valid_until", "past", "Samtycket måste gälla till i dag eller senare.")
    if valid_until > today + timedelta(days=CONSENT_MAX_DAYS):
        raise invalid("valid_until", "too_long", "Ett samtycke gäller högst två år.")
    named = {p.organisation.casefold(): p.organisation for p in _outside(sip)}
    outside = [o.strip() for o in outside_parties or [] if o.strip()]
    unknown = [o for o in outside if o.casefold() not in named]
    if unknown:
        raise invalid(
            "outside_parties", "unknown", f"Inte deltagare i planen: {', '.join(unknown)}."
        )
    consent = Consent.objects.create(
        sip=sip,
        given_by=given_by,
        guardian_name=(guardian_name or "").strip(),
        outside_parties=[named[o.casefold()] for o in outside],
        given_at=occurred(given_at, now, field="given_at"),
        valid_until=valid_until,
        recorded_by=actor.user,
        unit=actor.unit,
    )
    consent.principals.set(principals)
    save(actor, sip, "sip.consent", detail={"principals": [p.code for p in principals]})
    _notify(sip, actor, "sip_started", "SIP att delta i", now)
    return consent


def _outside(sip: Sip):
    return sip.participants.filter(kind=P.OUTSIDE, active=True)


@transaction.atomic
def revoke_consent(actor, sip: Sip, consent: Consent, *, version=None, now=None) -> Consent:
    """The person takes the consent back: from now on only the initiating unit sees the plan
    (unless another consent or a harm assessment covers a unit)."""
    sip = step(actor, sip, version)
    if consent.sip_id != sip.pk or consent.revoked_at:
        raise invalid(None, "state", "Samtycket är redan återkallat.")
    now = now or timezone.now()
    consent.revoked_at, consent.revoked_by = now, actor.user
    consent.save(update_fields=["revoked_at", "revoked_by"])
    save(actor, sip, "sip.consent_revoke", detail={"consent": str(consent.public_id)})
    if actor.unit.pk != sip.initiating_unit_id:
        notify(
            [sip.initiating_unit],
            "sip_consent_revoked",
            f"Samtycket återkallat (SIP {sip.short_id})",
            **about(sip),
        )
    return consent


@transaction.atomic
def record_harm_assessment(
    actor, sip: Sip, *, principal, may_share: bool, reason: str, version=None, now=None
) -> HarmAssessment:
    """Menprövning: whether information may reach a principal without consent, and why."""
    sip = step(actor, sip, version)
    if principal is None:
        raise invalid("principal", "required", "Välj huvudman.")
    if len((reason or "").strip()) < 10:
        raise invalid("reason", "required", "Beskriv skälet och lagrummet för bedömningen.")
    assessment = HarmAssessment.objects.create(
        sip=sip,
        principal=principal,
        may_share=bool(may_share),
        reason=reason.strip(),
        decided_at=now or timezone.now(),
        decided_by=actor.user,
        unit=actor.unit,
    )
    save(
        actor,
        sip,
        "sip.harm_assessment",
        detail={"principal": principal.code, "may_share": bool(may_share)},
    )
    return assessment


# --- participants ---------------------------------------------------------------------------


@transaction.atomic
def add_participant(
    actor,
    sip: Sip,
    *,
    kind: str,
    unit=None,
    organisation: str = "",
    name: str = "",
    role: str = "",
    email: str = "",
    phone: str = "",
    version=None,
    now=None,
) -> SipParticipant:
    sip = step(actor, sip, version)
    _choice("kind", kind, P)
    fields = {"organisation": organisation.strip(), "name": name.strip(), "role": role.strip()}
    if kind == P.UNIT:
        if unit is None or not unit.active:
            raise invalid("unit", "required", "Välj en aktiv enhet.")
        if sip.participants.filter(unit=unit, active=True).exists():
            raise invalid("unit", "exists", "Enheten deltar redan.")
        fields = {"role": fields["role"], "name": fields["name"]}
    elif kind == P.OUTSIDE and not fields["organisation"]:
        raise invalid("organisation", "required", "Ange organisationen, t.ex. skolan.")
    elif kind == P.NEXT_OF_KIN and not fields["name"]:
        raise invalid("name", "required", "Ange den närståendes namn.")
    elif kind == P.PERSON:
        raise invalid("kind", "exists", "Personen själv deltar alltid.")
    contact = {"email": email.strip(), "phone": phone.strip(), **fields}
    former = sip.participants.filter(unit=unit).first() if kind == P.UNIT else None
    if former:  # a unit taken off the plan comes back, its history kept
        for key, value in {"active": True, "removed_at": None, **contact}.items():
            setattr(former, key, value)
        former.save()
    participant = former or SipParticipant.objects.create(
        sip=sip, kind=kind, unit=unit if kind == P.UNIT else None, **contact
    )
    save(actor, sip, "sip.participant_add", detail={"participant": participant.label})
    if kind == P.UNIT and reachable(sip, participant, _today(now or timezone.now())):
        notify(
            [unit],
            "sip_started",
            f"SIP att delta i (SIP {sip.short_id})",
            **about(sip),
        )
    return participant


@transaction.atomic
def remove_participant(
    actor, sip: Sip, participant: SipParticipant, *, version=None, now=None
) -> SipParticipant:
    sip = step(actor, sip, version)
    if participant.sip_id != sip.pk or not participant.active:
        raise invalid("participant", "state", "Deltagaren är redan borttagen.")
    if participant.kind == P.PERSON or participant.unit_id == sip.initiating_unit_id:
        raise invalid(
            "participant", "required", "Personen och enheten som startade planen deltar alltid."
        )
    participant.active, participant.removed_at = False, now or timezone.now()
    participant.save(update_fields=["active", "removed_at"])
    save(actor, sip, "sip.participant_remove", detail={"participant": participant.label})
    return participant


# --- meetings -------------------------------------------------------------------------------


def _require_reachable(sip: Sip, day: date) -> list[SipParticipant]:
    """Everyone invited must be covered by consent (or a harm assessment)."""
    active = list(sip.participants.filter(active=True).select_related("unit__principal"))
    outside = [p.label for p in active if not reachable(sip, p, day)]
    if outside:
        raise invalid(
            None,
            "consent",
            "Samtycket omfattar inte: "
            + ", ".join(outside)
            + ". Registrera samtycke (eller menprövning) eller ta bort dem ur planen.",
        )
    return active


@transaction.atomic
def schedule_meeting(
    actor,
    sip: Sip,
    *,
    starts_at,
    minutes: int = 60,
    place: str = "",
    link: str = "",
    note: str = "",
    version=None,
    now=None,
) -> Meeting:
    """Call the SIP meeting: an invitation to every participant (the units are notified, those
    with an e-mail address get a calendar file); a linked LOS case records its SIP call."""
    sip = step(actor, sip, version)
    now = now or timezone.now()
    if starts_at is None or starts_at <= now:
        raise invalid("starts_at", "past", "Mötet måste ligga framåt i tiden.")
    if not (15 <= (minutes or 0) <= 480):
        raise invalid("minutes", "range", "Mötet ska vara 15–480 minuter.")
    link = clean_web_link(link, "link")
    if not place.strip() and not link:
        raise invalid("place", "required", "Ange plats eller länk till det digitala mötet.")
    participants = _require_reachable(sip, _today(now))
    meeting = Meeting.objects.create(
        sip=sip,
        starts_at=starts_at,
        minutes=minutes,
        place=place.strip(),
        link=link,
        note=note.strip(),
        called_by=actor.user,
        unit=actor.unit,
        called_at=now,
    )
    Invitation.objects.bulk_create(
        [
            Invitation(meeting=meeting, participant=p, sent_at=now, email=_mailbox(p))
            for p in participants
        ]
    )
    when = timezone.localtime(starts_at).strftime("%Y-%m-%d %H:%M")
    _notify(sip, actor, "sip_invitation", f"Kallelse till SIP-möte {when}", now)
    _los_sip_called(actor, sip, now)
    save(actor, sip, "sip.meeting", detail={"starts_at": starts_at.isoformat()})
    return meeting


def _mailbox(participant: SipParticipant) -> str:
    if participant.kind == P.UNIT:
        return participant.email or participant.unit.mailbox
    return participant.email


def _los_sip_called(actor, sip: Sip, now) -> None:
    """The first meeting of a SIP from a LOS case is the case's SIP call (the 3-day clock)."""
    from samverkan.cases.services import record_sip_called

    case = sip.case
    if case is None or case.sip_called_at or not case.is_open:
        return
    try:
        with transaction.atomic():
            record_sip_called(actor, case, occurred_at=now, now=now)
    except (ValidationError, PermissionDenied, Http404):
        pass  # e.g. the caller's unit does not take part in the case: the case keeps its clock


def part_of(related, public_id, field: str, message: str):
    """A consent, participant or meeting of the plan by its public id."""
    found = related.filter(public_id=public_id).first() if public_id else None
    if found is None:
        raise invalid(field, "unknown", message)
    return found


def meeting_of(sip: Sip, meeting_id) -> Meeting:
    return part_of(sip.meetings, meeting_id, "meeting", "Mötet finns inte i planen.")


def consent_of(sip: Sip, consent_id):
    return part_of(sip.consents, consent_id, "consent", "Samtycket finns inte.")


def participant_of(sip: Sip, participant_id) -> SipParticipant:
    return part_of(sip.participants, participant_id, "participant", "Deltagaren finns inte.")


@transaction.atomic
def record_attendance(
    actor, sip: Sip, *, meeting, attended, person_attended: bool, version=None, now=None
) -> Meeting:
    """Who came to the meeting, and whether the person took part."""
    sip = step(actor, sip, version)
    now = now or timezone.now()
    if meeting.starts_at > now:
        raise invalid("meeting", "future", "Närvaro registreras när mötet har börjat.")
    present = {str(p) for p in attended or []}
    invitations = list(meeting.invitations.select_related("participant"))
    unknown = present - {str(i.participant.public_id) for i in invitations}
    if unknown:
        raise invalid("attended", "unknown", "Välj bland de kallade deltagarna.")
    for invitation in invitations:
        invitation.attended = str(invitation.participant.public_id) in present
    Invitation.objects.bulk_update(invitations, ["attended"])
    meeting.held_at, meeting.person_attended = meeting.held_at or now, bool(person_attended)
    meeting.save(update_fields=["held_at", "person_attended"])
    save(actor, sip, "sip.attendance", detail={"present": len(present)})
    return meeting


# --- the plan -------------------------------------------------------------------------------


def current_plan(sip: Sip) -> PlanVersion | None:
    return sip.plans.order_by("-number").first()


def _actions(sip: Sip, actions) -> list[dict]:
    by_id = {str(p.public_id): p for p in sip.participants.filter(active=True)}
    clean = []
    for i, action in enumerate(actions or []):
        text = (action.get("text") or "").strip()
        if not text:
            continue
        owner = by_id.get(str(action.get("participant") or ""))
        if owner is None:
            raise invalid(
                f"actions.{i}.participant", "required", f"Välj vem som ansvarar för: {text}."
            )
        clean.append(
            {
                "text": text,
                "participant": str(owner.public_id),
                "organisation": owner.organisation_name,
                "owner": owner.label,
                "person": (action.get("person") or "").strip(),
            }
        )
    if not clean:
        raise invalid("actions", "required", "Planen behöver minst en insats med en ansvarig.")
    return clean


def _lead(sip: Sip, principal):
    taking_part = set(
        sip.participants.filter(active=True, kind=P.UNIT).values_list("unit__principal", flat=True)
    )
    if principal is None or principal.pk not in taking_part:
        raise invalid(
            "lead_principal",
            "required",
            "Välj vilken huvudman som har det övergripande ansvaret (en av deltagarnas).",
        )
    return principal


def _write_plan(actor, sip: Sip, content: dict, note: str, now) -> PlanVersion:
    """Store a new version; every reachable unit acknowledges it (the writer's at once)."""
    plan = PlanVersion.objects.create(
        sip=sip,
        number=sip.plan_number + 1,
        content=content,
        note=note,
        created_by=actor.user,
        unit=actor.unit,
        created_at=now,
    )
    units = reachable_units(sip, _today(now))
    PlanAcknowledgement.objects.bulk_create(
        [
            PlanAcknowledgement(
                plan=plan,
                unit=u,
                acknowledged_at=now if u.pk == actor.unit.pk else None,
                acknowledged_by=actor.user if u.pk == actor.unit.pk else None,
            )
            for u in units
        ]
    )
    owners = {a["participant"] for a in content["actions"]}
    everyone = list(sip.participants.all())
    for participant in everyone:
        participant.responsible = str(participant.public_id) in owners
    SipParticipant.objects.bulk_update(everyone, ["responsible"])
    sip.plan_number = plan.number
    sip.follow_up_date = date.fromisoformat(content["follow_up_date"])
    sip.lead_principal_id = content["lead_principal"]
    sip.state = Sip.State.PLANNED
    _notify(sip, actor, "sip_plan", f"SIP version {plan.number} att kvittera", now)
    save(
        actor,
        sip,
        "sip.plan",
        ["plan_number", "follow_up_date", "lead_principal", "state"],
        {"number": plan.number},
    )
    return plan


@transaction.atomic
def save_plan(
    actor,
    sip: Sip,
    *,
    needs: str,
    goals: str,
    others: str,
    lead_principal,
    follow_up_date: date,
    actions,
    note: str = "",
    version=None,
    now=None,
) -> PlanVersion:
    """A new version of the plan with the content SoL and HSL require."""
    sip = step(actor, sip, version)
    now = now or timezone.now()
    if not (needs or "").strip():
        raise invalid("needs", "required", "Beskriv vilka behov personen har.")
    if follow_up_date is None or follow_up_date < _today(now):
        raise invalid(
            "follow_up_date", "past", "Välj ett datum för uppföljning, i dag eller senare."
        )
    content = {
        "needs": needs.strip(),
        "goals": (goals or "").strip(),
        "others": (others or "").strip(),
        "lead_principal": _lead(sip, lead_principal).pk,
        "lead_principal_name": lead_principal.name,
        "follow_up_date": follow_up_date.isoformat(),
        "actions": _actions(sip, actions),
    }
    return _write_plan(actor, sip, content, (note or "").strip(), now)


@transaction.atomic
def acknowledge_plan(actor, sip: Sip, *, number: int | None = None, now=None):
    """The unit acknowledges the current version; `number` is the version it read, and a
    newer one written since is a conflict (the unit has not read what it would acknowledge)."""
    actor.require("write_personal")
    if number is not None and number != sip.plan_number:
        raise conflict()
    ack = PlanAcknowledgement.objects.filter(
        plan__sip=sip, plan__number=sip.plan_number, unit=actor.unit, acknowledged_at=None
    ).first()
    if ack is None:
        raise invalid(None, "state", "Det finns ingen ny version för din enhet att kvittera.")
    ack.acknowledged_at, ack.acknowledged_by = now or timezone.now(), actor.user
    ack.save(update_fields=["acknowledged_at", "acknowledged_by"])
    record(actor, "sip.plan_ack", patient=sip.patient, obj=sip, detail={"number": sip.plan_number})
    return ack


# --- follow-up and closing ------------------------------------------------------------------


@transaction.atomic
def record_follow_up(
    actor, sip: Sip, *, held_on: date, notes: str, next_follow_up_date=None, version=None, now=None
) -> FollowUp:
    """The plan is followed up; a next date makes a new version with that date."""
    sip = step(actor, sip, version)
    now = now or timezone.now()
    if sip.state != Sip.State.PLANNED:
        raise invalid(None, "state", "Det finns ingen plan att följa upp ännu.")
    if held_on is None or held_on > _today(now):
        raise invalid("held_on", "future", "Uppföljningen kan inte ligga i framtiden.")
    if not (notes or "").strip():
        raise invalid("notes", "required", "Skriv vad uppföljningen kom fram till.")
    if next_follow_up_date and next_follow_up_date <= _today(now):
        raise invalid("next_follow_up_date", "past", "Nästa uppföljning ska ligga framåt i tiden.")
    follow_up = FollowUp.objects.create(
        sip=sip, held_on=held_on, notes=notes.strip(), recorded_by=actor.user, unit=actor.unit
    )
    if next_follow_up_date:  # audited here, the new version by _write_plan
        record(actor, "sip.follow_up", patient=sip.patient, obj=sip)
        content = {**current_plan(sip).content, "follow_up_date": next_follow_up_date.isoformat()}
        _write_plan(actor, sip, content, f"Uppföljning {held_on}: ny uppföljning", now)
    else:  # no next date: off the worklists; audited by save
        sip.follow_up_date = None
        save(actor, sip, "sip.follow_up", ["follow_up_date"])
    return follow_up


def quality(sip: Sip, plan: PlanVersion | None = None) -> dict[str, bool]:
    """The quality checklist for a SIP: each point true or false."""
    plan = plan or current_plan(sip)
    content = plan.content if plan else {}
    actions = content.get("actions", [])
    return {
        "person_took_part": sip.meetings.filter(person_attended=True).exists(),
        "own_goals": bool(content.get("goals")),
        "actions_owned": bool(actions) and all(a.get("person") for a in actions),
        "lead_named": bool(content.get("lead_principal")),
        "follow_up_set": bool(content.get("follow_up_date")),
    }


@transaction.atomic
def close_sip(actor, sip: Sip, *, reason: str, version=None, now=None) -> Sip:
    """Closed by the unit that started it or the lead principal; the quality score is kept."""
    sip = step(actor, sip, version)
    require_initiator_or_lead(actor, sip)
    if not (reason or "").strip():
        raise invalid("reason", "required", "Ange varför planen avslutas.")
    now = now or timezone.now()
    checks = quality(sip)
    sip.state, sip.closed_at, sip.closed_by = Sip.State.CLOSED, now, actor.user
    sip.close_reason, sip.quality, sip.quality_score = (
        reason.strip()[:200],
        checks,
        sum(checks.values()),
    )
    _notify(sip, actor, "sip_closed", "SIP avslutad", now)
    return save(
        actor,
        sip,
        "sip.close",
        ["state", "closed_at", "closed_by", "close_reason", "quality", "quality_score"],
    )
