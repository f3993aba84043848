"""Reading a request message: structure with fhir.resources (R4B models, structurally R4 for
the resources used here), then our rules, each refusal naming its element by FHIRPath."""

import json
from dataclasses import dataclass
from datetime import date, datetime

import pydantic
from fhir.resources.R4B.bundle import Bundle

from samverkan.lib.identity import IdentityError, parse_identity

from . import profile as p
from .outcome import MessageError, refuse


@dataclass
class Resource:
    """One entry's resource and its FHIRPath (Bundle.entry[i].resource)."""

    data: dict
    path: str

    def extension(self, url: str, kind: str, *, required: bool = False):
        """The value[kind] of the extension with this url, or None."""
        for i, ext in enumerate(self.data.get("extension") or []):
            if ext.get("url") == url:
                path = f"{self.path}.extension[{i}]"
                if required and ext.get(kind) is None:
                    raise refuse(f"{path}.{kind}", "required", f"Tillägget {url} kräver {kind}.")
                return ext.get(kind), path
        if required:
            raise refuse(f"{self.path}.extension('{url}')", "required", f"Tillägget {url} saknas.")
        return None, f"{self.path}.extension('{url}')"


@dataclass
class Message:
    body: dict
    bundle_id: str
    header: Resource
    event: str
    sender_hsa: str
    sent_at: datetime
    occurred_at: datetime

    def one(self, resource_type: str, *, required: bool = True) -> Resource | None:
        found = [
            Resource(e["resource"], f"Bundle.entry[{i}].resource")
            for i, e in enumerate(self.body.get("entry") or [])
            if (e.get("resource") or {}).get("resourceType") == resource_type
        ]
        if len(found) > 1:
            raise refuse(found[1].path, "structure", f"Meddelandet har mer än en {resource_type}.")
        if not found and required:
            raise refuse("Bundle.entry", "required", f"Meddelandet saknar {resource_type}.")
        return found[0] if found else None

    def fingerprint(self) -> str:
        import hashlib

        canonical = json.dumps(self.body, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(canonical.encode()).hexdigest()


def parse(raw: bytes) -> Message:
    try:
        body = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise refuse("Bundle", "structure", "Innehållet är inte giltig JSON.") from None
    if not isinstance(body, dict) or body.get("resourceType") != "Bundle":
        raise refuse("Bundle", "structure", "Ange en Bundle.")
    check_structure(body)
    return read_header(body)


def check_structure(body: dict) -> None:
    try:
        Bundle.model_validate(body)
    except pydantic.ValidationError as error:
        raise MessageError(
            [(fhirpath(e["loc"]), "structure", _swedish(e)) for e in error.errors()[:20]]
        ) from None


def fhirpath(loc) -> str:
    path = "Bundle"
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        elif not str(part).startswith(("function-", "union[")):
            path += f".{part}"
    return path


def _swedish(error: dict) -> str:
    return {
        "extra_forbidden": "Okänt element.",
        "missing": "Elementet krävs.",
    }.get(error["type"], f"Ogiltigt värde ({error['type']}).")


def read_header(body: dict) -> Message:
    if body.get("type") != "message":
        raise refuse("Bundle.type", "value", "Bundle.type ska vara message.")
    entries = body.get("entry") or []
    first = (entries[0].get("resource") or {}) if entries else {}
    if first.get("resourceType") != "MessageHeader":
        raise refuse("Bundle.entry[0]", "structure", "Första posten ska vara en MessageHeader.")
    header = Resource(first, "Bundle.entry[0].resource")
    for value, path in ((body.get("id"), "Bundle.id"), (first.get("id"), f"{header.path}.id")):
        if not value:
            raise refuse(path, "required", "Meddelandet måste ha ett id (reliable messaging).")
    coding = first.get("eventCoding") or {}
    if coding.get("system") != p.EVENT_SYSTEM:
        raise refuse(
            f"{header.path}.eventCoding.system",
            "code-invalid",
            f"Ange kodsystemet {p.EVENT_SYSTEM}.",
        )
    sent_at = instant(body.get("timestamp"), "Bundle.timestamp")
    when, path = header.extension(p.EVENT_TIME, "valueDateTime", required=True)
    occurred_at = instant(when, f"{path}.valueDateTime")
    if occurred_at > sent_at:
        raise refuse(
            f"{path}.valueDateTime",
            "value",
            "Händelsen kan inte ske efter att meddelandet skickades.",
        )
    return Message(
        body=body,
        bundle_id=body["id"],
        header=header,
        event=coding.get("code") or "",
        sender_hsa=hsa_id(first.get("sender") or {}, f"{header.path}.sender"),
        sent_at=sent_at,
        occurred_at=occurred_at,
    )


def instant(value, path: str) -> datetime:
    """A dateTime with a time and a zone (a clinical or sent time)."""
    try:
        parsed = datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        parsed = None
    if parsed is None or parsed.tzinfo is None or "T" not in value:
        raise refuse(path, "value", "Ange tidpunkt med klockslag och tidszon.")
    return parsed


def day(value, path: str) -> date:
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        raise refuse(path, "value", "Ange ett datum (ÅÅÅÅ-MM-DD).") from None


def hsa_id(reference: dict, path: str) -> str:
    """The HSA-id of a Reference (its identifier) in either system form."""
    identifier = reference.get("identifier") or {}
    if identifier.get("system") not in p.HSA_SYSTEMS:
        raise refuse(
            f"{path}.identifier.system",
            "code-invalid",
            "Ange ett HSA-id (urn:oid:1.2.752.29.4.19).",
        )
    return _hsa_value(identifier.get("value"), f"{path}.identifier.value")


def _hsa_value(value, path: str) -> str:
    from django.core.exceptions import ValidationError

    from samverkan.accounts.models import HSA_ID

    try:
        HSA_ID(value or "")
    except ValidationError:
        raise refuse(path, "value", "Ogiltigt HSA-id.") from None
    return value


def identifier_hsa(resource: Resource) -> str:
    """A resource's own HSA-id identifier (e.g. a Practitioner's employee HSA-id)."""
    for i, identifier in enumerate(resource.data.get("identifier") or []):
        if identifier.get("system") in p.HSA_SYSTEMS:
            return _hsa_value(identifier.get("value"), f"{resource.path}.identifier[{i}].value")
    raise refuse(f"{resource.path}.identifier", "required", "Ange HSA-id.")


def identity_number(patient: Resource) -> str:
    """The person's personnummer or samordningsnummer, checked by samverkan.lib.identity."""
    for i, identifier in enumerate(patient.data.get("identifier") or []):
        kind = p.IDENTITY_SYSTEMS.get(identifier.get("system"))
        if kind is None:
            continue
        path = f"{patient.path}.identifier[{i}].value"
        try:
            identity = parse_identity(identifier.get("value") or "")
        except IdentityError as error:
            raise refuse(path, "value", error.message) from None
        if identity.kind != kind:
            raise refuse(path, "value", "Numret hör inte till identifierarens system.")
        return identity.number
    raise refuse(
        f"{patient.path}.identifier", "required", "Ange personnummer eller samordningsnummer."
    )
