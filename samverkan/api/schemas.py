"""API input and output schemas; our names inside, Swedish messages in errors."""

from datetime import date, datetime
from typing import Annotated
from uuid import UUID

from ninja import Schema
from pydantic import AfterValidator, Field
from pydantic_core import PydanticCustomError

from samverkan.lib.weblinks import MESSAGE as WEB_LINK_MESSAGE
from samverkan.lib.weblinks import is_web_link


def _web_link(value: str) -> str:
    value = value.strip()
    if value and not is_web_link(value):
        raise PydanticCustomError("url", WEB_LINK_MESSAGE)
    return value


WebLink = Annotated[str, AfterValidator(_web_link)]  # https/http only (samverkan.lib.weblinks)


class Error(Schema):
    field: str | None
    rule: str
    message: str


class Errors(Schema):
    errors: list[Error]


class UnitRef(Schema):
    hsa_id: str
    name: str


class PatientOut(Schema):
    identity: str
    name: str
    protected_identity: bool
    birth_date: date | None


class DeliveryOut(Schema):
    id: UUID
    unit: UnitRef
    state: str
    sent_at: datetime
    ack_due_at: datetime
    read_at: datetime | None
    acknowledged_at: datetime | None
    rejected_at: datetime | None
    reject_reason: str
    forwarded_to: UnitRef | None
    overdue: bool


class MessageOut(Schema):
    id: UUID
    kind: str
    kind_label: str
    sender_unit: UnitRef
    sender: str
    occurred_at: datetime
    recorded_at: datetime
    text: str
    data: dict
    reply_to: UUID | None
    answered_at: datetime | None
    deliveries: list[DeliveryOut]


class ParticipantOut(Schema):
    unit: UnitRef
    role: str
    active: bool
    removed_reason: str


class Clocks(Schema):
    hours_since_admission: int | None
    notice_due_at: datetime | None
    notice_overdue: bool
    days_ready: int | None
    sip_call_due_at: datetime | None
    sip_call_overdue: bool


class CaseSummary(Schema):
    id: UUID
    state: str
    patient: PatientOut
    ward: UnitRef
    admitted_at: datetime | None
    expected_discharge_date: date | None
    ready_at: datetime | None
    version: int
    clocks: Clocks


class AdlOut(Schema):
    items: dict
    occurred_at: datetime
    recorded_at: datetime


class AttachmentOut(Schema):
    id: UUID
    name: str
    content_type: str
    size: int
    uploaded_at: datetime
    unit: UnitRef


class CaseOut(CaseSummary):
    support_judged_at: datetime | None
    notice_sent_at: datetime | None
    sip_needed: bool | None
    sip_consent: bool | None
    sip_called_at: datetime | None
    care_contact_name: str
    care_contact_unit: UnitRef | None
    discharged_at: datetime | None
    destination: str
    checklist: dict
    closed_at: datetime | None
    close_reason: str
    participants: list[ParticipantOut]
    messages: list[MessageOut]
    adl_history: list[AdlOut]
    attachments: list[AttachmentOut]


class WorkItemOut(Schema):
    section: str
    case: UUID
    patient: PatientOut
    text: str
    due_at: datetime | None
    overdue: bool
    delivery: UUID | None


class WorklistOut(Schema):
    unit: UnitRef
    counts: dict[str, int]
    items: list[WorkItemOut]


class NotificationOut(Schema):
    id: int
    case: UUID | None
    link: str = Field(description="empty when the unit may no longer see what it is about")
    text: str = Field(description="never names the person")
    person: str = Field(description="the person's name, while the unit may see them")
    created_at: datetime
    read_at: datetime | None


class CasePage(Schema):
    count: int
    page: int
    page_size: int
    items: list[CaseSummary]


class NotificationPage(Schema):
    count: int
    page: int
    page_size: int
    items: list[NotificationOut]


# --- input -----------------------------------------------------------------------------------


class Versioned(Schema):
    version: int = Field(description="The case version you read; a newer one is a conflict (409)")


class OpenCaseIn(Schema):
    identity: str
    admitted_at: datetime | None = None
    support_judged_at: datetime | None = None
    expected_discharge_date: date | None = None
    given_name: str = ""
    family_name: str = ""
    send_notice: bool = Field(
        False,
        description="Send the admission notice in the same call (needs expected_discharge_date)",
    )
    recipients: list[str] | None = Field(
        None, description="With send_notice: HSA-ids; default: the routing"
    )


class CareRequestIn(Schema):
    identity: str
    hospital_unit: str = Field(description="HSA-id of the emergency department or ward")
    consent: bool
    health_status: str
    contact: str
    adl: str = ""
    medications: str = ""
    assistive_devices: str = ""
    ongoing_support: str = ""
    given_name: str = ""
    family_name: str = ""
    occurred_at: datetime | None = None


class AnswerRequestIn(Versioned):
    care_request: UUID
    text: str


class AdmitIn(Versioned):
    ward: str | None = Field(None, description="HSA-id of the ward; default: your own unit")
    admitted_at: datetime | None = None


class NoticeIn(Versioned):
    expected_discharge_date: date
    recipients: list[str] | None = Field(None, description="HSA-ids; default: the routing")
    occurred_at: datetime | None = None


class UnitIn(Versioned):
    unit: str


class ExpectedDateIn(Versioned):
    expected_discharge_date: date
    occurred_at: datetime | None = None


class NameIn(Versioned):
    name: str


class AdlItemIn(Schema):
    level: str
    note: str = ""


class AdlIn(Versioned):
    items: dict[str, AdlItemIn]
    occurred_at: datetime | None = None


class TextIn(Versioned):
    text: str


class AnswerIn(Versioned):
    question: UUID
    text: str


class ReadyIn(Versioned):
    sip_needed: bool
    sip_consent: bool | None = None
    occurred_at: datetime | None = None


class RetractIn(Versioned):
    reason: str = ""
    occurred_at: datetime | None = None


class WhenIn(Versioned):
    occurred_at: datetime | None = None


class DischargeIn(Versioned):
    destination: str
    checklist: dict
    occurred_at: datetime | None = None


class InterruptIn(Versioned):
    reason: str
    unit: str | None = None
    text: str = ""
    occurred_at: datetime | None = None


class RejectIn(Schema):
    reason: str


class ForwardIn(Schema):
    to: str


class CareRequestOut(Schema):
    """The receipt of a care request. `case` is set only when the sending unit takes part in the
    stay; otherwise the ward adds the unit (or answers the request, which adds it)."""

    id: UUID
    hospital_unit: UnitRef
    sent_at: datetime
    takes_part: bool
    case: UUID | None
