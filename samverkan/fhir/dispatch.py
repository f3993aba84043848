"""Which function runs each event, and how a service's refusal becomes OperationOutcome issues
(or a wait, when the stay is not yet in the state the event needs)."""

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction

from samverkan.cases import record
from samverkan.cases.models import Case

from . import events, revisions
from . import profile as p
from .message import Message
from .outcome import MessageError, Waiting, refuse

HANDLERS = {
    "admission": events.admission,
    "support-judgement": events.support_judgement,
    "expected-date-change": events.expected_date_change,
    "leave": events.leave,
    "return": events.leave_return,
    "ready-for-discharge": events.ready_for_discharge,
    "ready-retracted": events.ready_retracted,
    "discharge": events.discharge,
    "death": events.interruption,
    "transfer": events.interruption,
    "cancellation": revisions.cancellation,
    "correction": revisions.correction,
}
FROM_RECORD = {  # the case's fields each event sets, marked "från journalen" (cases.record)
    "admission": ["admitted_at", "expected_discharge_date"],
    "support-judgement": ["notice_sent_at", "expected_discharge_date"],
    "expected-date-change": ["expected_discharge_date"],
    "correction": ["expected_discharge_date"],
    "leave": ["on_leave_since"],
    "ready-for-discharge": ["ready_at", "sip_needed"],
    "discharge": ["discharged_at", "destination", "checklist"],
}


def apply(actor, msg: Message) -> Case:
    """Run the message's event in a savepoint. A refusal for the case's state ("state") means
    an earlier event has not arrived: Waiting. Any other refusal becomes issues at the
    message's elements."""
    handler = HANDLERS.get(msg.event)
    if handler is None:
        raise refuse(
            f"{msg.header.path}.eventCoding.code", "not-supported", f"Okänd händelse: {msg.event}."
        )
    try:
        with transaction.atomic():
            case = handler(actor, msg)
            record.mark(case, FROM_RECORD.get(msg.event), msg.sent_at)
            return case
    except ValidationError as error:
        if "state" in rules(error):
            raise Waiting(" ".join(error.messages)) from None
        raise MessageError(issues(msg, error)) from None
    except PermissionDenied as error:
        raise refuse(f"{msg.header.path}.author", "forbidden", str(error), 403) from None


def rules(error: ValidationError) -> set[str]:
    lists = error.error_dict.values() if hasattr(error, "error_dict") else [error.error_list]
    return {e.code for errors in lists for e in errors}


def issues(msg: Message, error: ValidationError) -> list:
    by_field = (
        error.error_dict if hasattr(error, "error_dict") else {NON_FIELD_ERRORS: error.error_list}
    )
    return [
        (element_of(msg, field), "business-rule", text)
        for field, errors in by_field.items()
        for text in ValidationError(errors).messages
    ]


def element_of(msg: Message, field: str) -> str:
    """Where a service's field lives in the message."""
    encounter = msg.one("Encounter", required=False)
    where = encounter.path if encounter else msg.header.path
    root = field.split(".")[0]
    paths = {
        "expected_discharge_date": f"{where}.extension('{p.EXPECTED_DATE}')",
        "sip_consent": f"{where}.extension('{p.SIP_CONSENT}')",
        "destination": f"{where}.hospitalization.dischargeDisposition",
        "checklist": f"{where}.extension('{p.CHECKLIST}')",
        "identity": "Bundle.entry.resource.ofType(Patient).identifier",
    }
    default = f"{msg.header.path}.extension('{p.EVENT_TIME}')"
    if root in ("occurred_at", "admitted_at", "support_judged_at"):
        return default
    return paths.get(root, f"{msg.header.path}.eventCoding")
