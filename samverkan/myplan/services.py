"""Writes in Min plan, each in one transaction and audited: staff release or hold back an item;
the person (or staff, for a child's guardian) gives and revokes a next of kin's access."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from samverkan.audit.log import record
from samverkan.core.errors import invalid
from samverkan.lib.identity import IdentityError, parse_identity
from samverkan.lib.limits import NAME_MAX
from samverkan.sip.models import Consent
from samverkan.sip.services import check_consenter

from .models import RELATION_MAX, Release, Share
from .plan import Item

REASON_MAX = 500


@transaction.atomic
def release_item(actor, patient, item: Item, *, now=None) -> Release:
    """Show the item in Min plan now, before the default delay."""
    return _decide(actor, patient, item, held_back=False, reason="", now=now)


@transaction.atomic
def hold_back_item(actor, patient, item: Item, *, reason: str, now=None) -> Release:
    """Never show the item: a harm assessment (menprövning) found that it would harm."""
    reason = (reason or "").strip()
    if not reason:
        raise invalid("reason", "required", "Ange skälet från menprövningen.")
    if len(reason) > REASON_MAX:
        raise invalid("reason", "max_length", f"Högst {REASON_MAX} tecken.")
    return _decide(actor, patient, item, held_back=True, reason=reason, now=now)


def _decide(actor, patient, item: Item, *, held_back: bool, reason: str, now) -> Release:
    actor.require("write_personal")
    current = Release.objects.select_for_update().filter(kind=item.kind, key=item.key).first()
    if current is not None and current.held_back and not held_back:
        raise invalid(None, "held_back", "Posten är innehållen efter menprövning.")
    decision, _ = Release.objects.update_or_create(
        kind=item.kind,
        key=item.key,
        defaults={
            "patient": patient,
            "held_back": held_back,
            "reason": reason,
            "decided_at": now or timezone.now(),
            "decided_by": actor.user,
            "unit": actor.unit,
        },
    )
    action = "myplan.hold_back" if held_back else "myplan.release"
    record(actor, action, patient=patient, obj=decision, detail={"kind": item.kind})
    return decision


def _reader_identity(value: str, patient) -> str:
    try:
        found = parse_identity(value)
    except IdentityError as e:
        raise invalid("identity", e.rule, e.message) from None
    if found.kind != "personnummer":
        message = "Ange ett personnummer (den som loggar in med e-legitimation)."
        raise invalid("identity", "kind", message)
    if found.number == patient.identity:
        raise invalid("identity", "self", "Det är ditt eget personnummer.")
    return found.number


@transaction.atomic
def share_plan(
    actor,
    patient,
    *,
    identity: str,
    name: str,
    relation: str,
    given_by: str = Consent.GivenBy.PERSON,
    now=None,
) -> Share:
    """A named person may read Min plan from now until the consent is revoked. The person gives
    it in Min plan (actor: the Reader); staff record a guardian's for a child (SIP's rule)."""
    now = now or timezone.now()
    staff = actor.unit is not None
    if staff:
        actor.require("write_personal")
    number = _reader_identity(identity, patient)
    for field, value, most in (("name", name, NAME_MAX), ("relation", relation, RELATION_MAX)):
        if not (value or "").strip():
            raise invalid(field, "required", "Fyll i fältet.")
        if len(value.strip()) > most:
            raise invalid(field, "max_length", f"Högst {most} tecken.")
    day = timezone.localdate(now)
    check_consenter(patient, given_by, name if given_by == "guardian" else "", day)
    try:
        with transaction.atomic():
            share = Share.objects.create(
                patient=patient,
                reader_identity=number,
                reader_name=name.strip(),
                relation=relation.strip(),
                given_by=given_by,
                valid_from=now,
                recorded_by=actor.user if staff else None,
                unit=actor.unit,
            )
    except IntegrityError:
        raise invalid("identity", "unique", "Personen kan redan läsa planen.") from None
    record(actor, "myplan.share", patient=patient, obj=share, detail={"given_by": given_by})
    return share


@transaction.atomic
def revoke_share(actor, patient, share_id, *, now=None) -> Share:
    """From now on the named person sees nothing of the plan (the person in Min plan, or staff
    who may write, e.g. when a guardian's custody ends)."""
    if actor.unit is not None:
        actor.require("write_personal")
    share = Share.objects.filter(patient=patient, public_id=share_id, revoked_at=None).first()
    if share is None:
        raise invalid(None, "not_found", "Samtycket finns inte eller är redan återkallat.")
    share.revoked_at = now or timezone.now()
    share.save(update_fields=["revoked_at"])
    record(actor, "myplan.share_revoke", patient=patient, obj=share)
    return share
