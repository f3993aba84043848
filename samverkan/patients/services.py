"""Writes about persons: look-up, registration, changes, next of kin. Each one audited."""

import re
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from samverkan.audit.log import record
from samverkan.core.errors import conflict, invalid
from samverkan.lib.identity import Identity, IdentityError, parse_identity
from samverkan.lib.limits import NAME_MAX

from .models import AccessGrant, NextOfKin, Patient

PERSON_FIELDS = (
    "given_name",
    "family_name",
    "registered_municipality",
    "street",
    "postcode",
    "city",
    "listed_primary_care",
    "protected_identity",
)
POSTCODE = re.compile(r"^\d{3} ?\d{2}$")


def parse_identity_field(value: str, field: str = "identity") -> Identity:
    try:
        return parse_identity(value, reserve_pattern=settings.RESERVNUMMER_PATTERN)
    except IdentityError as error:
        raise invalid(field, error.rule, error.message) from None


def _require_lookup_unit(actor) -> None:
    actor.require("write_personal")
    if not actor.unit.looks_up_patients:
        raise PermissionDenied(
            "Bara vårdavdelningar och akutmottagningar kan söka på identitetsnummer."
        )


def _grant(actor, patient, reason) -> None:
    hours = settings.LOOKUP_ACCESS_HOURS
    AccessGrant.objects.create(
        patient=patient,
        unit=actor.unit,
        reason=reason,
        granted_by=actor.user,
        expires_at=timezone.now() + timedelta(hours=hours),
    )


@transaction.atomic
def look_up_patient(actor, identity_text: str) -> tuple[Identity, Patient | None]:
    """A ward or ED looks up one identity number; the look-up is logged, found or not."""
    _require_lookup_unit(actor)
    identity = parse_identity_field(identity_text)
    patient = Patient.objects.filter(identity=identity.number).first()
    record(
        actor,
        "patient.lookup",
        patient=patient,
        detail={"identity": identity.number, "found": patient is not None},
    )
    if patient:
        _grant(actor, patient, AccessGrant.Reason.LOOKUP)
    return identity, patient


@transaction.atomic
def find_or_register(
    actor, identity_text: str, given_name: str = "", family_name: str = "", **fields
) -> tuple[Patient, bool]:
    """The one way an identity number becomes a person outside the ward's look-up: logged as a
    look-up, found or not. Returns (person, reachable): a known person the unit may not reach
    (patients.access.reachable_by_identity) is returned for linking only, and the caller must
    show nothing of them. A new person is registered with the names given, once, also when two
    requests register them at the same moment."""
    from .access import reachable_by_identity

    identity = parse_identity_field(identity_text)
    patient = Patient.objects.filter(identity=identity.number).first()
    reachable = patient is not None and reachable_by_identity(actor, patient)
    record(
        actor,
        "patient.lookup",
        patient=patient,
        detail={"identity": identity.number, "found": patient is not None, "shown": reachable},
    )
    if patient is not None and reachable:
        return patient, reachable
    names = checked_names(given_name, family_name, NAMES_REQUIRED)  # no oracle: known or not
    if patient is not None:
        return patient, reachable
    return _register(actor, identity, {**names, **fields}), True


NAMES_REQUIRED = (
    "Ange för- och efternamn: de krävs när din enhet inte redan har en vårdrelation till personen."
)


def checked_names(given_name, family_name, required: str = "Ange för- och efternamn.") -> dict:
    """A person's names stripped: neither blank, each at most NAME_MAX characters (SQLite
    would store longer ones)."""
    names = {"given_name": given_name, "family_name": family_name}
    for field, value in names.items():
        names[field] = value = (value or "").strip() if isinstance(value, str) else ""
        if not value:
            raise invalid(field, "required", required)
        if len(value) > NAME_MAX:
            raise invalid(field, "max_length", f"Högst {NAME_MAX} tecken.")
    return names


def _register(actor, identity: Identity, data: dict) -> Patient:
    try:
        with transaction.atomic():
            patient = Patient.objects.create(
                identity=identity.number,
                identity_kind=identity.kind,
                birth_date=identity.birth_date,
                **data,
            )
    except IntegrityError:  # registered by a parallel request: use theirs
        return Patient.objects.get(identity=identity.number)
    _grant(actor, patient, AccessGrant.Reason.REGISTERED)
    record(actor, "patient.create", patient=patient, obj=patient)
    return patient


def _check_person(data: dict) -> dict:
    """The person's details checked; returns them with the names stripped."""
    data = {**data, **checked_names(data.get("given_name"), data.get("family_name"))}
    if data.get("protected_identity") and any(data.get(f) for f in ("street", "postcode", "city")):
        raise invalid(
            "street",
            "protected_address",
            "Lämna adressen tom: personen har skyddad folkbokföring och adressen lagras inte.",
        )
    if data.get("postcode") and not POSTCODE.match(data["postcode"]):
        raise invalid("postcode", "format", "Postnumret ska ha fem siffror, t.ex. 371 85.")
    lpc = data.get("listed_primary_care")
    if lpc is not None and lpc.kind != "primary_care":
        raise invalid("listed_primary_care", "kind", "Välj en vårdcentral.")
    return data


@transaction.atomic
def register_patient(actor, identity_text: str, data: dict) -> Patient:
    """A ward or ED registers a person not yet known to the system."""
    _require_lookup_unit(actor)
    identity = parse_identity_field(identity_text)
    if Patient.objects.filter(identity=identity.number).exists():
        raise invalid("identity", "exists", "Personen finns redan: sök på numret i stället.")
    data = _check_person(data)
    return _register(actor, identity, {f: data.get(f) for f in PERSON_FIELDS if f in data})


@transaction.atomic
def update_patient(actor, patient: Patient, version: int, data: dict) -> Patient:
    """Change a person's details; a stale version is a conflict and changes nothing."""
    actor.require("write_personal")
    data = _check_person(data)
    changes = {f: data[f] for f in PERSON_FIELDS if f in data}
    changed = [f for f, v in changes.items() if getattr(patient, f) != v]
    updated = Patient.objects.filter(pk=patient.pk, version=version).update(
        **changes, version=F("version") + 1, updated_at=timezone.now()
    )
    if not updated:
        raise conflict()
    record(actor, "patient.update", patient=patient, obj=patient, detail={"fields": changed})
    patient.refresh_from_db()
    return patient


@transaction.atomic
def add_next_of_kin(actor, patient: Patient, data: dict) -> NextOfKin:
    actor.require("write_personal")
    if not (data.get("name") or "").strip():
        raise invalid("name", "required", "Ange namn.")
    kin = NextOfKin.objects.create(patient=patient, **data)
    record(actor, "next_of_kin.add", patient=patient, obj=kin)
    return kin


@transaction.atomic
def remove_next_of_kin(actor, patient: Patient, kin: NextOfKin) -> None:
    actor.require("write_personal")
    record(actor, "next_of_kin.remove", patient=patient, obj=kin, detail={"name": kin.name})
    kin.delete()
