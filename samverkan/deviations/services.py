"""The deviation's steps as services: report, triage (assign, re-categorise, return),
feedback, and the reporter's answer. Each checks role, unit and state, locks the row, keeps
the history, notifies the next unit and audits itself."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from samverkan.audit.log import record
from samverkan.cases.access import get_case_for_actor
from samverkan.cases.clock import occurred
from samverkan.cases.models import Case
from samverkan.core.errors import conflict, invalid
from samverkan.directory.models import Principal, Unit
from samverkan.notifications.notify import notify
from samverkan.sip.access import get_sip_for_actor
from samverkan.sip.models import Sip

from .access import is_coordinator, is_reporter, is_responsible, shown_patient
from .models import Category, Deviation, Event, feedback_deadline

S = Deviation.State
E = Event.Kind
D = Deviation.Direction
DIRECTIONS = {
    ("municipality", "region"): D.MUNICIPALITY_TO_REGION,
    ("region", "municipality"): D.REGION_TO_MUNICIPALITY,
    ("municipality", "municipality"): D.MUNICIPALITY_TO_MUNICIPALITY,
}


def _now(now):
    return now or timezone.now()


def _text(value: str, field: str, message: str, *, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise invalid(field, "required", message)
    if len(value) > 4000:
        raise invalid(field, "too_long", "Texten får vara högst 4 000 tecken.")
    return value


def _category(category) -> Category:
    if not isinstance(category, Category) or not category.active:
        raise invalid("category", "unknown_category", "Välj en kategori ur listan.")
    return category


def _link(deviation: Deviation) -> str:
    return reverse("deviation_detail", args=[deviation.public_id])


def _notify(deviation: Deviation, unit, kind: str, text: str) -> None:
    """No personal data in the text: the notification names the deviation and category only."""
    if unit is not None:
        label = f"{text}: {deviation.category.main.name} ({deviation.short_id})"
        notify([unit], kind, label, subject=deviation, link=_link(deviation))


def _step(actor, deviation, kind, when, *, action, text="", data=None, fields=()) -> Event:
    """Save the changed fields with a new version, add the history row and audit it."""
    deviation.version += 1
    deviation.save(update_fields=[*fields, "state", "version"])
    event = Event.objects.create(
        deviation=deviation,
        kind=kind,
        at=when,
        unit=actor.unit,
        user=actor.user,
        state=deviation.state,
        text=text,
        data=data or {},
    )
    # the person, in the log, where the actor's unit may see them (never beside the access)
    record(actor, action, patient=shown_patient(actor, deviation), obj=deviation, detail=data)
    return event


def lock(actor, deviation: Deviation, version: int | None, *states) -> Deviation:
    """Role, locked row, version, state: the common start of every step after the report."""
    actor.require("write_personal")
    fresh = (
        Deviation.objects.select_for_update(of=("self",))
        .select_related("to_principal", "category__parent", "reporter_unit", "responsible_unit")
        .get(pk=deviation.pk)
    )
    if version is not None and version != fresh.version:
        raise conflict()
    if fresh.state not in states:
        allowed = ", ".join(S(s).label.lower() for s in states)
        raise invalid(
            None,
            "state",
            f"Det går inte när avvikelsen är {fresh.get_state_display().lower()} "
            f"(kräver: {allowed}).",
        )
    return fresh


# --- report ----------------------------------------------------------------------------------


def _receiver(actor, to_principal) -> tuple[Principal, str]:
    own = actor.unit.principal
    if not isinstance(to_principal, Principal) or to_principal.pk == own.pk:
        raise invalid("to_principal", "invalid", "Välj en annan huvudman än din egen.")
    direction = DIRECTIONS.get((own.kind, to_principal.kind))
    if direction is None:
        raise invalid("to_principal", "invalid", "Avvikelser går mellan region och kommun.")
    if to_principal.deviation_unit is None:
        raise invalid(
            "to_principal",
            "no_coordinator",
            f"{to_principal.name} har ingen avvikelsesamordnare i katalogen.",
        )
    return to_principal, direction


def _linked(actor, case_id, sip_id):
    """The case or SIP the deviation is about, reached through its own chokepoint."""
    if case_id is not None and sip_id is not None:
        raise invalid(
            "sip", "one_link", "Koppla avvikelsen till ett ärende eller en SIP, inte båda."
        )
    if case_id is not None:
        return get_case_for_actor(actor, case_id, write=True)  # 404 for a case it cannot see
    if sip_id is not None:
        return get_sip_for_actor(actor, sip_id, write=True)
    return None


@transaction.atomic
def report(
    actor,
    *,
    to_principal,
    category,
    description: str,
    occurred_at=None,
    suggested_action: str = "",
    case=None,
    sip=None,
    include_patient: bool = True,
    now=None,
) -> Deviation:
    """A unit reports a deviation to another principal; its coordinator receives it.
    `case` or `sip` is the public id of what it is about; the patient comes from there, or is
    left out."""
    actor.require("write_personal")
    now = _now(now)
    to_principal, direction = _receiver(actor, to_principal)
    linked = _linked(actor, case, sip)
    deviation = Deviation.objects.create(
        reporter_unit=actor.unit,
        reported_by=actor.user,
        from_principal=actor.unit.principal,
        to_principal=to_principal,
        direction=direction,
        case=linked if isinstance(linked, Case) else None,
        sip=linked if isinstance(linked, Sip) else None,
        patient=linked.patient if linked and include_patient else None,
        reported_category=_category(category),
        category=category,
        occurred_at=occurred(occurred_at, now),
        description=_text(description, "description", "Beskriv vad som hände."),
        suggested_action=_text(suggested_action, "suggested_action", "", required=False),
        reported_at=now,
        feedback_due_at=feedback_deadline(now),
        due_at=feedback_deadline(now),
        version=0,  # _step makes it 1
    )
    detail = {
        "to": to_principal.code,
        "category": category.code,
        "case": bool(deviation.case_id),
        "sip": bool(deviation.sip_id),
    }
    _step(actor, deviation, E.REPORTED, now, data=detail, action="deviation.report")
    _notify(deviation, to_principal.deviation_unit, "deviation_received", "Ny avvikelse")
    return deviation


# --- triage by the receiving principal's coordinator -----------------------------------------


def _coordinator_step(actor, deviation, version, *states) -> Deviation:
    _require(is_coordinator(actor, deviation), "Bara mottagande huvudmans samordnare gör detta.")
    return lock(actor, deviation, version, *states)


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


@transaction.atomic
def assign(actor, deviation: Deviation, *, unit: Unit, version=None, now=None) -> Deviation:
    """The coordinator gives the deviation to the unit responsible for answering it."""
    deviation = _coordinator_step(actor, deviation, version, S.RECEIVED, S.ASSIGNED)
    if not isinstance(unit, Unit) or unit.principal_id != deviation.to_principal_id:
        raise invalid("unit", "principal", "Välj en enhet hos den mottagande huvudmannen.")
    if not unit.active:
        raise invalid("unit", "inactive", "Enheten är inte aktiv.")
    now = _now(now)
    deviation.responsible_unit, deviation.state = unit, S.ASSIGNED
    deviation.assigned_at = deviation.assigned_at or now
    _step(
        actor,
        deviation,
        E.ASSIGNED,
        now,
        text=unit.name,
        data={"unit": unit.hsa_id},
        action="deviation.assign",
        fields=["responsible_unit", "assigned_at"],
    )
    _notify(deviation, unit, "deviation_assigned", "Avvikelse att återkoppla")
    return deviation


@transaction.atomic
def recategorise(actor, deviation: Deviation, *, category, version=None, now=None) -> Deviation:
    """The coordinator corrects the category; the reporter's category is kept beside it."""
    deviation = _coordinator_step(actor, deviation, version, S.RECEIVED, S.ASSIGNED)
    category = _category(category)
    if category.pk == deviation.category_id:
        raise invalid("category", "unchanged", "Avvikelsen har redan den kategorin.")
    old = deviation.category
    deviation.category = category
    _step(
        actor,
        deviation,
        E.RECATEGORISED,
        _now(now),
        text=f"{old} → {category}",
        data={"from": old.code, "to": category.code},
        action="deviation.recategorise",
        fields=["category"],
    )
    return deviation


@transaction.atomic
def return_misdirected(actor, deviation: Deviation, *, reason: str, version=None, now=None):
    """The coordinator returns a deviation that is not the principal's to answer."""
    deviation = _coordinator_step(actor, deviation, version, S.RECEIVED, S.ASSIGNED)
    reason = _text(reason, "reason", "Skriv varför avvikelsen är felskickad.")[:300]
    now = _now(now)
    deviation.state, deviation.returned_at, deviation.return_reason = S.RETURNED, now, reason
    _step(
        actor,
        deviation,
        E.RETURNED,
        now,
        text=reason,
        action="deviation.return",
        fields=["returned_at", "return_reason"],
    )
    _notify(deviation, deviation.reporter_unit, "deviation_returned", "Avvikelse returnerad")
    return deviation


# --- feedback and the reporter's answer ------------------------------------------------------


@transaction.atomic
def give_feedback(
    actor, deviation: Deviation, *, analysis: str, actions: str, version=None, now=None
) -> Deviation:
    """The responsible unit answers with its analysis and the actions it takes."""
    _require(is_responsible(actor, deviation), "Bara den ansvariga enheten återkopplar.")
    deviation = lock(actor, deviation, version, S.ASSIGNED)
    analysis = _text(analysis, "analysis", "Beskriv er analys av avvikelsen.")
    actions = _text(actions, "actions", "Beskriv vilka åtgärder ni vidtar.")
    now = _now(now)
    deviation.state, deviation.feedback_at = S.ANSWERED, deviation.feedback_at or now
    _step(
        actor,
        deviation,
        E.FEEDBACK,
        now,
        text=analysis,
        data={"analysis": analysis, "actions": actions},
        action="deviation.feedback",
        fields=["feedback_at"],
    )
    _notify(deviation, deviation.reporter_unit, "deviation_feedback", "Återkoppling på avvikelse")
    return deviation


def _reporter_step(actor, deviation, version) -> Deviation:
    _require(is_reporter(actor, deviation), "Bara den rapporterande enheten tar ställning.")
    return lock(actor, deviation, version, S.ANSWERED)


@transaction.atomic
def acknowledge(actor, deviation: Deviation, *, version=None, now=None) -> Deviation:
    """The reporter accepts the feedback; the deviation is closed."""
    deviation = _reporter_step(actor, deviation, version)
    now = _now(now)
    deviation.state, deviation.closed_at = S.CLOSED, now
    _step(
        actor, deviation, E.ACKNOWLEDGED, now, action="deviation.acknowledge", fields=["closed_at"]
    )
    _notify(deviation, deviation.responsible_unit, "deviation_closed", "Avvikelse avslutad")
    return deviation


@transaction.atomic
def ask_for_more(actor, deviation: Deviation, *, text: str, version=None, now=None):
    """The reporter asks for more; the responsible unit has a new deadline to answer."""
    deviation = _reporter_step(actor, deviation, version)
    text = _text(text, "text", "Skriv vad ni vill ha mer återkoppling om.")
    now = _now(now)
    deviation.state, deviation.due_at = S.ASSIGNED, feedback_deadline(now)
    _step(
        actor,
        deviation,
        E.MORE_REQUESTED,
        now,
        text=text,
        action="deviation.more",
        fields=["due_at"],
    )
    _notify(deviation, deviation.responsible_unit, "deviation_more", "Mer återkoppling begärd")
    return deviation
