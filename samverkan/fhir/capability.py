"""The CapabilityStatement: what this server takes (messaging, the LOS events)."""

from django.utils import timezone

from . import profile as p
from .dispatch import HANDLERS


def capability_statement() -> dict:
    return {
        "resourceType": "CapabilityStatement",
        "status": "active",
        "date": timezone.localdate().isoformat(),
        "kind": "instance",
        "software": {"name": "Samverkan"},
        "implementation": {"description": "Samverkan LOS-meddelanden (FHIR R4)"},
        "fhirVersion": "4.0.1",
        "format": [p.FHIR_JSON],
        "rest": [
            {
                "mode": "server",
                "security": {"description": "Bearer-token för ett integrationskonto (en enhet)."},
                "operation": [
                    {
                        "name": "process-message",
                        "definition": "http://hl7.org/fhir/OperationDefinition/MessageHeader-process-message",
                    }
                ],
            }
        ],
        "messaging": [
            {
                "reliableCache": 0,
                "documentation": f"Händelser i kodsystemet {p.EVENT_SYSTEM}.",
                "supportedMessage": [
                    {"mode": "receiver", "definition": f"{p.BASE}/MessageDefinition/{code}"}
                    for code in HANDLERS
                ],
            }
        ],
    }
