"""API input and output schemas; our names inside, Swedish messages in errors."""

import math
from datetime import date, datetime
from types import NoneType, UnionType
from typing import Annotated, Literal, Union, get_args, get_origin
from uuid import UUID

from django.utils import timezone
from ninja import Schema
from pydantic import AfterValidator, ConfigDict, Field, create_model, field_validator
from pydantic_core import PydanticCustomError

from samverkan.cases.clock import EXPECTED_CONFIRM_DAYS
from samverkan.cases.models import AdlStatus
from samverkan.cases.services import CHECKLIST, CHECKLIST_FLAGS
from samverkan.lib import limits
from samverkan.lib.phone import MAX_LENGTH as PHONE_MAX
from samverkan.lib.phone import MESSAGE as PHONE_MESSAGE
from samverkan.lib.phone import PATTERN as PHONE_PATTERN
from samverkan.lib.phone import is_phone
from samverkan.lib.weblinks import MESSAGE as WEB_LINK_MESSAGE
from samverkan.lib.weblinks import is_web_link

from .errors import SCHEMA_MESSAGES


def _web_link(value: str) -> str:
    value = value.strip()
    if value and not is_web_link(value):
        raise PydanticCustomError("url", WEB_LINK_MESSAGE)
    return value


WebLink = Annotated[str, AfterValidator(_web_link)]  # https/http only (samverkan.lib.weblinks)


def _phone(value: str) -> str:
    value = value.strip()
    if value and not is_phone(value):
        raise PydanticCustomError("phone", PHONE_MESSAGE)
    return value


Phone = Annotated[  # samverkan.lib.phone: 6–15 digits, spaces, hyphens, parentheses, leading +
    str,
    Field(
        max_length=PHONE_MAX,
        json_schema_extra={"pattern": PHONE_PATTERN, "description": PHONE_MESSAGE},
    ),
    AfterValidator(_phone),
]


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
    care_contact_phone: str
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


class TaskOut(Schema):
    kind: str = Field(
        description="notice_due, rejected, to_acknowledge, care_requests, "
        "questions, sip_call_due, ready_waiting or discharge_today"
    )
    text: str
    due_at: datetime | None
    overdue: bool
    href: str = Field(description="where the task is done, when not the case page")
    when: str = Field(description="the deadline in words, e.g. 'försenat sedan 29/11 10:00'")


class WorkRowOut(Schema):
    """One patient: the unit's tasks for the stay, most urgent first, and what is new."""

    case: UUID
    patient: PatientOut
    overdue: bool
    due_at: datetime | None
    tasks: list[TaskOut]
    news: list[str] = Field(description="updates since the unit last opened the case")
    senders: list[str]
    to_acknowledge: int = Field(description="notices that POST .../acknowledge-all settles")


class WorklistOut(Schema):
    unit: UnitRef
    counts: dict[str, int]
    rows: list[WorkRowOut]


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

TEXT_MAX = 10_000  # characters in any text field unless a shorter limit is stated
INT_MAX = 2**31 - 1  # the database's integer
FIRST_YEAR, LAST_YEAR = 1800, 9000  # far from datetime's limits, where deadlines overflow
Line = Annotated[str, Field(max_length=limits.LINE_MAX)]  # a code, an HSA-id, a place
Name = Annotated[str, Field(max_length=limits.NAME_MAX)]  # a person's given or family name
ShortText = Annotated[str, Field(max_length=limits.SHORT_TEXT_MAX)]  # a reason, a comment
MessageText = Annotated[str, Field(max_length=limits.MESSAGE_MAX)]  # a question, an answer
AccountText = Annotated[str, Field(max_length=limits.ACCOUNT_MAX)]  # a need, a plan, a report


def _refuse(rule: str):
    raise PydanticCustomError(rule, SCHEMA_MESSAGES[rule], {"first": FIRST_YEAR, "last": LAST_YEAR})


def check_value(value) -> None:
    """The rules every input value follows, however deep in lists and objects it sits."""
    if isinstance(value, str):
        if "\x00" in value:
            _refuse("nul_character")
        if not value.isascii():
            try:
                value.encode()
            except UnicodeEncodeError:
                _refuse("surrogate")
    elif isinstance(value, datetime | date):
        if not FIRST_YEAR <= value.year <= LAST_YEAR:
            _refuse("date_range")
    elif isinstance(value, bool):
        return
    elif isinstance(value, int | float):
        if not math.isfinite(value) or abs(value) > INT_MAX:
            _refuse("number_range")
    elif isinstance(value, dict):
        for key, item in value.items():
            check_value(key)
            check_value(item)
    elif isinstance(value, list | tuple | set):
        for item in value:
            check_value(item)


def _distinct(values: list) -> list:
    if len(set(values)) != len(values):
        _refuse("duplicate")
    return values


def distinct(item) -> type:
    """A list whose values differ (the same recipient twice is refused, rule "duplicate")."""
    return Annotated[
        list[item], AfterValidator(_distinct), Field(json_schema_extra={"uniqueItems": True})
    ]


def _is_flag(annotation) -> bool:
    """bool or bool | None."""
    return annotation is bool or (
        get_origin(annotation) in (Union, UnionType)
        and bool in get_args(annotation)
        and set(get_args(annotation)) <= {bool, NoneType}
    )


class In(Schema):
    """The base of every API input: only its own fields (another is refused, rule "unknown"),
    yes/no only as true or false, text at most TEXT_MAX characters (shorter where stated), never
    NUL or lone surrogates, dates and numbers within range; a time without a time zone is
    Swedish time (Europe/Stockholm), as in the browser's forms."""

    model_config = ConfigDict(str_max_length=TEXT_MAX, extra="forbid")

    @field_validator("*", mode="before")
    @classmethod
    def _true_or_false(cls, value, info):
        """A yes/no field takes JSON true or false (null where allowed), never "nej" or 1."""
        flag = _is_flag(cls.model_fields[info.field_name].annotation)
        if flag and value is not None and not isinstance(value, bool):
            _refuse("bool_type")
        return value

    @field_validator("*", mode="after")
    @classmethod
    def _within_rules(cls, value):
        if isinstance(value, datetime) and value.utcoffset() is None:
            value = timezone.make_aware(value)
        check_value(value)
        return value


CONFIRM = (
    f"Confirms an expected discharge date more than {EXPECTED_CONFIRM_DAYS} days ahead "
    '(refused with rule "confirm" until true)'
)
FROM_RECORD_REASON = (
    'Why the value is changed by hand; required (rule "required") when it came from the '
    'record system ("från journalen"). Audited and shown in the case\'s history.'
)


class Paging(In):
    page: int = Field(1, ge=1, le=100_000)
    page_size: int = Field(50, ge=1, le=200)


class Listing(Paging):
    state: Line | None = None


class Versioned(In):
    version: int = Field(
        ge=0, le=INT_MAX, description="The case version you read; a newer one is a conflict (409)"
    )


class OpenCaseIn(In):
    identity: Line
    admitted_at: datetime | None = None
    support_judged_at: datetime | None = None
    expected_discharge_date: date | None = None
    given_name: Name = ""
    family_name: Name = ""
    confirm_date: bool = Field(False, description=CONFIRM)
    send_notice: bool = Field(
        False,
        description="Send the admission notice in the same call (needs expected_discharge_date)",
    )
    recipients: distinct(Line) | None = Field(
        None, description="With send_notice: HSA-ids; default: the routing"
    )


class CareRequestIn(In):
    identity: Line
    hospital_unit: Line = Field(description="HSA-id of the emergency department or ward")
    consent: bool
    health_status: AccountText
    contact: AccountText
    adl: AccountText = ""
    medications: AccountText = ""
    assistive_devices: AccountText = ""
    ongoing_support: AccountText = ""
    given_name: Name = ""
    family_name: Name = ""
    occurred_at: datetime | None = None


class AnswerRequestIn(Versioned):
    care_request: UUID
    text: MessageText


class AdmitIn(Versioned):
    ward: Line | None = Field(None, description="HSA-id of the ward; default: your own unit")
    admitted_at: datetime | None = None


class NoticeIn(Versioned):
    expected_discharge_date: date
    confirm_date: bool = Field(False, description=CONFIRM)
    recipients: distinct(Line) | None = Field(None, description="HSA-ids; default: the routing")
    occurred_at: datetime | None = None


class UnitIn(Versioned):
    unit: Line


class ExpectedDateIn(Versioned):
    expected_discharge_date: date
    confirm_date: bool = Field(False, description=CONFIRM)
    reason: ShortText = Field("", description=FROM_RECORD_REASON)
    occurred_at: datetime | None = None


class CareContactIn(Versioned):
    name: str = Field(max_length=120, description="The care contact's name and title")
    phone: Phone = Field("", description="The care contact's direct number (optional)")


class AdlItemIn(In):
    level: Literal[tuple(AdlStatus.LEVELS)]
    note: str = Field("", max_length=limits.ADL_NOTE_MAX)


AdlItemsIn = create_model(  # the items recorded; one left out stays as it was
    "AdlItemsIn",
    __base__=In,
    **{k: (AdlItemIn | None, Field(None, description=v)) for k, v in AdlStatus.ITEMS.items()},
)


class AdlIn(Versioned):
    items: AdlItemsIn
    occurred_at: datetime | None = None


class TextIn(Versioned):
    text: MessageText


class AnswerIn(Versioned):
    question: UUID
    text: MessageText


class ReadyIn(Versioned):
    sip_needed: bool
    sip_consent: bool | None = None
    occurred_at: datetime | None = None


class RetractIn(Versioned):
    reason: ShortText = Field("", description=FROM_RECORD_REASON)
    occurred_at: datetime | None = None


class LeaveIn(Versioned):
    text: ShortText = Field("", description="A note, e.g. the planned return")
    occurred_at: datetime | None = None


class WhenIn(Versioned):
    occurred_at: datetime | None = None


def _checklist_item(key: str) -> tuple:
    if key in CHECKLIST_FLAGS:
        return bool, Field(False, description=CHECKLIST[key])
    return str, Field("", max_length=limits.CHECKLIST_TEXT_MAX, description=CHECKLIST[key])


ChecklistIn = create_model(  # from the one table in cases.services (CHECKLIST)
    "ChecklistIn", __base__=In, **{key: _checklist_item(key) for key in CHECKLIST}
)


class DischargeIn(Versioned):
    destination: Line
    checklist: ChecklistIn
    occurred_at: datetime | None = None


class InterruptIn(Versioned):
    reason: Line
    unit: Line | None = None
    text: ShortText = ""
    occurred_at: datetime | None = None


class RejectIn(In):
    reason: Line


class ForwardIn(In):
    to: Line


class CareRequestOut(Schema):
    """The receipt of a care request. `case` is set only when the sending unit takes part in the
    stay; otherwise the ward adds the unit (or answers the request, which adds it)."""

    id: UUID
    hospital_unit: UnitRef
    sent_at: datetime
    takes_part: bool
    case: UUID | None


# --- back-entry after a downtime (samverkan.downtime): the form's fields, names and labels --


def _label(name: str) -> str:
    from samverkan.downtime.backentry_forms import BackEntryForm

    return str(BackEntryForm(questions=None).fields[name].label)


class BackEntryIn(In):
    """One event that happened on paper or by phone during a downtime, with its true time;
    only the fields of its kind are read (the others are ignored)."""

    kind: Literal[
        "admission_notice", "acknowledgement", "ready", "ready_retracted", "discharge", "answer"
    ] = Field(description="Händelse")
    occurred_at: datetime = Field(description=_label("occurred_at"))
    source: Literal["telefon", "pappersblankett", "annat"] = Field(description=_label("source"))
    form_number: str = Field("", max_length=40, description=_label("form_number"))
    caller_name: str = Field("", max_length=120, description=_label("caller_name"))
    caller_unit: str = Field("", max_length=120, description=_label("caller_unit"))
    callee_name: str = Field("", max_length=120, description=_label("callee_name"))
    callee_unit: str = Field("", max_length=120, description=_label("callee_unit"))
    expected_discharge_date: date | None = Field(None, description="Beräknat utskrivningsdatum")
    sip_needed: bool | None = Field(None, description=_label("sip_needed"))
    sip_consent: bool | None = Field(None, description=_label("sip_consent"))
    reason: ShortText = Field("", description=_label("reason"))
    destination: Line | None = Field(None, description=_label("destination"))
    checklist: ChecklistIn | None = None
    acknowledges: Literal["admission_notice", "ready", "ready_retracted", "discharge"] | None = (
        Field(None, description=_label("acknowledges"))
    )
    question: UUID | None = Field(None, description=_label("question"))
    text: MessageText | None = Field(None, description=_label("text"))


class BackEntryOut(Schema):
    id: UUID
    kind: str
    occurred_at: datetime
    entered_at: datetime
    source: str
    form_number: str
    applied: bool = Field(description="false: it waits for another event (see waiting)")
    waiting: str
    message: UUID | None = Field(description="the message it made or was merged with")
