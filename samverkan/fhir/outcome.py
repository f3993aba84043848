"""Errors as OperationOutcome issues, and the acknowledgement message (MessageHeader.response)."""

import uuid

from django.utils import timezone


class MessageError(Exception):
    """A refused message: one or more issues (FHIRPath, code, Swedish text) and an HTTP status."""

    def __init__(self, issues: list[tuple[str, str, str]], status: int = 422):
        super().__init__(issues[0][2])
        self.issues = issues
        self.status = status


def refuse(expression: str, code: str, text: str, status: int = 422) -> MessageError:
    return MessageError([(expression, code, text)], status)


def operation_outcome(issues, severity: str = "error") -> dict:
    return {
        "resourceType": "OperationOutcome",
        "id": str(uuid.uuid4()),
        "issue": [
            {"severity": severity, "code": code, "diagnostics": text, "expression": [path]}
            for path, code, text in issues
        ],
    }


def acknowledgement(header_id: str, code: str, issues=()) -> dict:
    """The response message: MessageHeader.response naming the request's MessageHeader id,
    with an OperationOutcome (informational on ok)."""
    outcome = operation_outcome(
        issues or [("Bundle", "informational", "Meddelandet är mottaget.")],
        "information" if code == "ok" else "error",
    )
    outcome_url = f"urn:uuid:{outcome['id']}"
    header = {
        "resourceType": "MessageHeader",
        "id": str(uuid.uuid4()),
        "eventCoding": {"system": "http://hl7.org/fhir/message-events", "code": "acknowledgement"},
        "source": {"name": "Samverkan", "endpoint": "https://samverkan.example/fhir/R4"},
        "response": {
            "identifier": header_id or "okänd",
            "code": code,
            "details": {"reference": outcome_url},
        },
    }
    return {
        "resourceType": "Bundle",
        "id": str(uuid.uuid4()),
        "type": "message",
        "timestamp": timezone.now().isoformat(),
        "entry": [
            {"fullUrl": f"urn:uuid:{header['id']}", "resource": header},
            {"fullUrl": outcome_url, "resource": outcome},
        ],
    }


class Waiting(Exception):  # noqa: N818 - a state, not a failure
    """The message refers to a stay or message not yet received (or needs an earlier event
    first): it is held and applied once that has arrived. The text says what it waits for."""
