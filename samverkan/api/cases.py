"""The LOS case API: every step of the process as one call."""

from functools import partial
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import File, Form, Query, Router, Status
from ninja.files import UploadedFile

from samverkan.audit.log import record_reads
from samverkan.cases import intake, receipts, services
from samverkan.cases.access import attachment_response, get_case_for_actor, visible_cases
from samverkan.cases.models import Message
from samverkan.cases.worklist import counts, worklist
from samverkan.core.errors import invalid
from samverkan.directory.models import Unit
from samverkan.notifications.notify import mark_read, shown, unit_notifications
from samverkan.patients import services as patients

from . import output
from .idempotency import locate
from .schemas import (
    INT_MAX,
    AdlIn,
    AdmitIn,
    AnswerIn,
    AnswerRequestIn,
    BackEntryIn,
    BackEntryOut,
    CareContactIn,
    CareRequestIn,
    CareRequestOut,
    CaseOut,
    CasePage,
    DischargeIn,
    Errors,
    ExpectedDateIn,
    ForwardIn,
    InterruptIn,
    LeaveIn,
    Listing,
    NoticeIn,
    NotificationPage,
    OpenCaseIn,
    Paging,
    ReadyIn,
    RejectIn,
    RetractIn,
    TextIn,
    UnitIn,
    Versioned,
    WhenIn,
    WorklistOut,
)

router = Router(tags=["LOS"])
ERRORS = {400: Errors, 401: Errors, 403: Errors, 404: Errors, 409: Errors, 422: Errors}
CASE = {200: CaseOut, **ERRORS}


def unit_by_hsa(hsa_id: str, field: str) -> Unit:
    unit = Unit.objects.select_related("principal").filter(hsa_id=hsa_id, active=True).first()
    if unit is None:
        raise invalid(field, "unknown_unit", f"Okänd eller inaktiv enhet: {hsa_id}.")
    return unit


def later_unit(hsa_id: str | None, field: str, *, optional: bool = False):
    """The unit a body names, looked up after the access check (see after_access); an
    optional one left out is None, a required one is always looked up (and refused if empty)."""
    return None if optional and not hsa_id else partial(unit_by_hsa, hsa_id or "", field)


def units_by_hsa(hsa_ids, field: str):
    return hsa_ids and [unit_by_hsa(h, field) for h in hsa_ids]


def act(request, case_id: UUID, service, body=None, **replace):
    """Access (404/403), the service with the body's fields (some replaced, e.g. HSA-ids by
    units) in its transaction, then the fresh case."""
    case = get_case_for_actor(request.auth, case_id, write=True)
    service(request.auth, case, **{**(body.dict() if body else {}), **after_access(replace)})
    return shown_case(request, case.public_id)


def after_access(replace: dict) -> dict:
    """Values the body names (units, messages, principals) are looked up as callables once the
    access chokepoint has passed: an outsider gets 404, never an error about the body."""
    return {k: v() if callable(v) else v for k, v in replace.items()}


def shown_case(request, case_id) -> dict:
    """The fresh case after a write; a replay of the write reads it again from here."""
    locate(request, f"/api/v1/cases/{case_id}")
    return output.full_case(case_id)


def message_in(case_id: UUID, message_id: UUID) -> Message:
    return get_object_or_404(Message, public_id=message_id, case__public_id=case_id)


@router.get("/ping", response={200: dict, **ERRORS}, tags=["Drift"])
def ping(request):
    """A trivial authenticated call: the baseline for benchmarks and monitoring."""
    return {"ok": True, "unit": request.auth.unit.hsa_id}


def page_of(queryset, q: Paging, render) -> dict:
    """One page of a query (bounds checked by Paging): {"count", "page", "page_size", "items"}."""
    start = (q.page - 1) * q.page_size
    items = [render(x) for x in queryset[start : start + q.page_size]]
    return {"count": queryset.count(), "page": q.page, "page_size": q.page_size, "items": items}


@router.get("/cases", response={200: CasePage, **ERRORS})
def list_cases(request, q: Query[Listing]):
    request.auth.require("read_personal")
    cases = visible_cases(request.auth).select_related("patient", "ward").order_by("-created_at")
    if q.state:
        cases = cases.filter(state=q.state)
    now = timezone.now()
    result = page_of(cases, q, lambda c: output.summary(c, now))
    shown = cases.filter(public_id__in=[i["id"] for i in result["items"]])
    record_reads(request.auth, "case.list", [c.patient for c in shown])
    return result


@router.post("/cases", response={201: CaseOut, **ERRORS})
def open_case(request, body: OpenCaseIn):
    actor = request.auth
    _identity, patient = patients.look_up_patient(actor, body.identity)
    if patient is None:
        if not (body.given_name and body.family_name):
            raise invalid(
                "identity",
                "not_found",
                "Personen finns inte: ange namn för att registrera personen.",
            )
        patient = patients.register_patient(
            actor, body.identity, {"given_name": body.given_name, "family_name": body.family_name}
        )
    case = services.open_case(
        actor,
        patient,
        admitted_at=body.admitted_at,
        expected_discharge_date=body.expected_discharge_date,
        support_judged_at=body.support_judged_at,
        confirm_date=body.confirm_date,
    )
    if body.send_notice:  # the record system's admission event: case and notice at once
        if body.expected_discharge_date is None:
            raise invalid(
                "expected_discharge_date",
                "required",
                "Inskrivningsmeddelandet kräver beräknat utskrivningsdatum.",
            )
        units = body.recipients and [unit_by_hsa(h, "recipients") for h in body.recipients]
        services.send_admission_notice(
            actor,
            case,
            recipients=units,
            occurred_at=body.admitted_at,
            expected_discharge_date=body.expected_discharge_date,
            confirm_date=body.confirm_date,
        )
    return Status(201, shown_case(request, case.public_id))


@router.get("/cases/{case_id}", response=CASE)
def get_case(request, case_id: UUID):
    case = get_case_for_actor(request.auth, case_id)
    return output.full_case(case.public_id)


@router.post("/care-requests", response={201: CareRequestOut, **ERRORS})
def care_request(request, body: CareRequestIn):
    data = body.dict(
        include={
            "health_status",
            "contact",
            "adl",
            "medications",
            "assistive_devices",
            "ongoing_support",
        }
    )
    chosen = unit_by_hsa(body.hospital_unit, "hospital_unit")
    message, takes_part = intake.send_care_request(
        request.auth,
        identity=body.identity,
        data=data,
        consent=body.consent,
        hospital_unit=chosen,
        given_name=body.given_name,
        family_name=body.family_name,
        occurred_at=body.occurred_at,
    )
    if takes_part:
        locate(request, f"/api/v1/cases/{message.case.public_id}")
    return Status(201, output.care_request_receipt(message, takes_part, chosen))


@router.post("/cases/{case_id}/care-request-answer", response=CASE)
def answer_care_request(request, case_id: UUID, body: AnswerRequestIn):
    original = partial(message_in, case_id, body.care_request)
    return act(request, case_id, intake.answer_care_request, body, care_request=original)


@router.post("/cases/{case_id}/admit", response=CASE)
def admit(request, case_id: UUID, body: AdmitIn):
    ward = later_unit(body.ward, "ward", optional=True)
    return act(request, case_id, services.admit, body, ward=ward)


@router.post("/cases/{case_id}/admission-notice", response=CASE)
def admission_notice(request, case_id: UUID, body: NoticeIn):
    units = partial(units_by_hsa, body.recipients, "recipients")
    return act(request, case_id, services.send_admission_notice, body, recipients=units)


@router.post("/cases/{case_id}/participants", response=CASE)
def add_participant(request, case_id: UUID, body: UnitIn):
    unit = later_unit(body.unit, "unit")
    return act(request, case_id, services.add_participant, body, unit=unit)


@router.post("/cases/{case_id}/expected-discharge", response=CASE)
def expected_discharge(request, case_id: UUID, body: ExpectedDateIn):
    return act(request, case_id, services.update_expected_discharge, body)


@router.post("/cases/{case_id}/care-contact", response=CASE)
def care_contact(request, case_id: UUID, body: CareContactIn):
    return act(request, case_id, services.name_care_contact, body)


@router.post("/cases/{case_id}/adl", response=CASE)
def adl(request, case_id: UUID, body: AdlIn):
    return act(request, case_id, services.record_adl, body)  # items arrive as plain dicts


@router.post("/cases/{case_id}/planned-support", response=CASE)
def planned_support(request, case_id: UUID, body: TextIn):
    return act(request, case_id, services.add_planned_support, body)


@router.post("/cases/{case_id}/questions", response=CASE)
def question(request, case_id: UUID, body: TextIn):
    return act(request, case_id, services.ask, body)


@router.post("/cases/{case_id}/answers", response=CASE)
def answer(request, case_id: UUID, body: AnswerIn):
    original = partial(message_in, case_id, body.question)
    return act(request, case_id, services.answer, body, question=original)


@router.post("/cases/{case_id}/ready", response=CASE)
def ready(request, case_id: UUID, body: ReadyIn):
    return act(request, case_id, services.declare_ready, body)


@router.post("/cases/{case_id}/ready/retract", response=CASE)
def retract_ready(request, case_id: UUID, body: RetractIn):
    return act(request, case_id, services.retract_ready, body)


@router.post("/cases/{case_id}/leave", response=CASE)
def leave(request, case_id: UUID, body: LeaveIn):
    """Permission: the patient leaves the ward for a while; clocks and payment days go on."""
    return act(request, case_id, services.start_leave, body)


@router.post("/cases/{case_id}/leave/end", response=CASE)
def leave_end(request, case_id: UUID, body: WhenIn):
    return act(request, case_id, services.end_leave, body)


@router.post("/cases/{case_id}/sip-called", response=CASE)
def sip_called(request, case_id: UUID, body: WhenIn):
    return act(request, case_id, services.record_sip_called, body)


@router.post("/cases/{case_id}/discharge", response=CASE)
def discharge(request, case_id: UUID, body: DischargeIn):
    return act(request, case_id, services.discharge, body)


@router.post("/cases/{case_id}/interruption", response=CASE)
def interruption(request, case_id: UUID, body: InterruptIn):
    unit = later_unit(body.unit, "unit", optional=True)
    return act(request, case_id, services.interrupt, body, unit=unit)


@router.post("/cases/{case_id}/close", response=CASE)
def close(request, case_id: UUID, body: Versioned):
    return act(request, case_id, services.close_case, body)


@router.post("/cases/{case_id}/attachments", response=CASE)
def attach(
    request,
    case_id: UUID,
    file: File[UploadedFile],
    version: int = Form(..., ge=0, le=INT_MAX),
):
    """Multipart upload: fields `version` and `file` (PDF, PNG, JPEG or text, at most 10 MB)."""
    return act(request, case_id, services.attach, version=version, upload=file)


@router.get("/cases/{case_id}/attachments/{attachment_id}", response={200: None, **ERRORS})
def attachment(request, case_id: UUID, attachment_id: UUID):
    case = get_case_for_actor(request.auth, case_id)
    return attachment_response(request.auth, case, attachment_id)


def receipt(request, delivery_id: UUID, service, **kwargs):
    delivery = receipts.get_delivery_for_actor(request.auth, delivery_id)
    delivery = service(request.auth, delivery, **after_access(kwargs))
    return shown_case(request, delivery.message.case.public_id)


@router.post("/deliveries/{delivery_id}/read", response=CASE)
def read(request, delivery_id: UUID):
    return receipt(request, delivery_id, receipts.mark_read)


@router.post("/deliveries/{delivery_id}/acknowledge", response=CASE)
def acknowledge(request, delivery_id: UUID):
    return receipt(request, delivery_id, receipts.acknowledge)


@router.post("/cases/{case_id}/acknowledge-all", response=CASE)
def acknowledge_all(request, case_id: UUID):
    """Every open notice to the caller's unit in the case acknowledged, every update read."""
    return act(request, case_id, receipts.acknowledge_all)


@router.post("/deliveries/{delivery_id}/reject", response={200: dict, **ERRORS})
def reject(request, delivery_id: UUID, body: RejectIn):
    delivery = receipts.get_delivery_for_actor(request.auth, delivery_id)
    receipts.reject(request.auth, delivery, reason=body.reason)
    return {"delivery": delivery.public_id, "state": "rejected"}  # the unit has left the case


@router.post("/deliveries/{delivery_id}/forward", response=CASE)
def forward(request, delivery_id: UUID, body: ForwardIn):
    return receipt(request, delivery_id, receipts.forward, to=later_unit(body.to, "to"))


@router.get("/worklist", response={200: WorklistOut, **ERRORS})
def get_worklist(request):
    actor = request.auth
    if not actor.can("read_personal"):
        raise PermissionDenied("Rollen får inte se arbetslistan.")
    rows = worklist(actor)
    record_reads(actor, "case.list", [r.case.patient for r in rows])
    return {
        "unit": output.unit_ref(actor.unit),
        "counts": counts(rows),
        "rows": [
            {
                "case": r.case.public_id,
                "patient": output.patient_out(r.case.patient),
                "overdue": r.overdue,
                "due_at": r.due_at,
                "tasks": [vars(t) for t in r.tasks],
                "news": r.news,
                "senders": r.senders,
                "to_acknowledge": r.to_acknowledge,
            }
            for r in rows
        ],
    }


@router.get("/notifications", response={200: NotificationPage, **ERRORS})
def notifications(request, q: Query[Paging]):
    request.auth.require("read_personal")
    result = page_of(unit_notifications(request.auth), q, lambda n: n)
    result["items"] = [
        {
            "id": n.id,
            "case": n.case.public_id if n.case else None,
            "link": n.href,
            "text": n.text,
            "person": n.person,
            "created_at": n.created_at,
            "read_at": n.read_at,
        }
        for n in shown(request.auth, result["items"])
    ]
    return result


@router.post("/notifications/{notification_id}/read", response={200: dict, **ERRORS})
def read_notification(request, notification_id: int):
    found = get_object_or_404(unit_notifications(request.auth), pk=notification_id)
    request.auth.require("read_personal")  # an outsider got 404 above, before any role check
    mark_read(request.auth, [found.pk])
    found.refresh_from_db(fields=["read_at"])
    return {"id": found.pk, "read_at": found.read_at}


@router.post(
    "/cases/{case_id}/back-entries", response={201: BackEntryOut, **ERRORS}, tags=["Driftstopp"]
)
def back_entry(request, case_id: UUID, body: BackEntryIn):
    """Efterregistrering: an event of a downtime with its true time, applied in time order."""
    from samverkan.downtime.backentry import register_back_entry
    from samverkan.downtime.backentry_forms import COMMON, values_of

    case = get_case_for_actor(request.auth, case_id, write=True)
    data = body.dict()
    common = {k: data[k] for k in COMMON}
    entry = register_back_entry(request.auth, case, **common, values=values_of(body.kind, data))
    locate(request, f"/api/v1/cases/{case.public_id}")
    return Status(201, output.back_entry(entry))
