"""The deviation API: report, triage, feedback, the reporter's answer, and the statistics,
with the LOS case's conventions (tokens, Idempotency-Key, version, structured errors)."""

from datetime import datetime
from functools import partial
from uuid import UUID

from django.utils import timezone
from ninja import Query, Router, Schema, Status
from pydantic import Field

from samverkan.audit.log import record_reads
from samverkan.core.errors import invalid
from samverkan.deviations import services
from samverkan.deviations.access import (
    get_deviation_for_actor,
    sees_case,
    sees_sip,
    shown_patient,
    visible_deviations,
)
from samverkan.deviations.models import Category, Deviation
from samverkan.deviations.stats import yearly_report
from samverkan.directory.models import Principal

from . import output
from .cases import ERRORS, after_access, later_unit, page_of
from .idempotency import locate
from .schemas import (
    FIRST_YEAR,
    LAST_YEAR,
    AccountText,
    In,
    Line,
    Listing,
    PatientOut,
    TextIn,
    UnitRef,
    Versioned,
)

router = Router(tags=["Avvikelser"])


class CategoryOut(Schema):
    code: str
    name: str
    parent: str | None


class EventOut(Schema):
    kind: str
    at: datetime
    unit: UnitRef
    state: str
    text: str
    data: dict


class DeviationOut(Schema):
    id: UUID
    state: str
    direction: str
    reporter_unit: UnitRef
    from_principal: str
    to_principal: str
    responsible_unit: UnitRef | None
    reported_category: str
    category: str
    case: UUID | None = Field(description="Only when your unit takes part in the case")
    sip: UUID | None = Field(description="Only when your unit has access to the SIP")
    patient: PatientOut | None = Field(
        description="Only when your unit takes part in the case or has access to the SIP"
    )
    occurred_at: datetime
    description: str
    suggested_action: str
    reported_at: datetime
    feedback_due_at: datetime
    due_at: datetime
    overdue: bool
    assigned_at: datetime | None
    feedback_at: datetime | None
    days_to_feedback: int | None
    closed_at: datetime | None
    returned_at: datetime | None
    return_reason: str
    version: int
    history: list[EventOut]


class DeviationPage(Schema):
    count: int
    page: int
    page_size: int
    items: list[DeviationOut]


class ReportIn(In):
    to_principal: Line = Field(description="The receiving principal's code (e.g. 10, 1080)")
    category: Line = Field(description="A category code from GET /deviations/categories")
    description: AccountText
    occurred_at: datetime | None = None
    suggested_action: AccountText = ""
    case: UUID | None = Field(None, description="A LOS case your unit takes part in")
    sip: UUID | None = Field(None, description="Or a SIP your unit has access to (not both)")
    include_patient: bool = Field(True, description="False leaves the person out")


class AssignIn(Versioned):
    unit: Line = Field(description="HSA-id of the responsible unit")


class CategoryIn(Versioned):
    category: Line


class ReasonIn(Versioned):
    reason: str = Field(max_length=300)


class FeedbackIn(Versioned):
    analysis: AccountText
    actions: AccountText


class TableOut(Schema):
    key: str
    title: str
    header: list[str]
    rows: list[list] = Field(description="null is a suppressed small cell (fewer than 5)")


class StatisticsOut(Schema):
    year: int
    tables: list[TableOut]
    notice: str = Field("", description="why the tables are empty: too few deviations to show")


DEVIATION = {200: DeviationOut, **ERRORS}


def category_by_code(code: str) -> Category:
    found = Category.objects.select_related("parent").filter(code=code, active=True).first()
    if found is None:
        raise invalid("category", "unknown_category", f"Okänd kategori: {code}.")
    return found


def deviation_out(actor, d: Deviation, now=None) -> dict:
    patient = shown_patient(actor, d)
    return {
        **{f: getattr(d, f) for f in _PLAIN},
        "id": d.public_id,
        "reporter_unit": output.unit_ref(d.reporter_unit),
        "from_principal": d.from_principal.code,
        "to_principal": d.to_principal.code,
        "responsible_unit": output.unit_ref(d.responsible_unit),
        "reported_category": d.reported_category.code,
        "category": d.category.code,
        "case": d.case.public_id if sees_case(actor, d) else None,
        "sip": d.sip.public_id if sees_sip(actor, d) else None,
        "patient": output.patient_out(patient) if patient else None,
        "overdue": d.is_overdue(now or timezone.now()),
        "days_to_feedback": d.days_to_feedback(),
        "history": [
            {
                **{f: getattr(e, f) for f in ("kind", "at", "state", "text", "data")},
                "unit": output.unit_ref(e.unit),
            }
            for e in d.events.select_related("unit")
        ],
    }


_PLAIN = (
    "state",
    "direction",
    "occurred_at",
    "description",
    "suggested_action",
    "reported_at",
    "feedback_due_at",
    "due_at",
    "assigned_at",
    "feedback_at",
    "closed_at",
    "returned_at",
    "return_reason",
    "version",
)


def fresh(actor, public_id) -> dict:
    return deviation_out(actor, get_deviation_for_actor(actor, public_id))


def act(request, deviation_id: UUID, service, body=None, **replace):
    deviation = get_deviation_for_actor(request.auth, deviation_id, write=True)
    service(request.auth, deviation, **{**(body.dict() if body else {}), **after_access(replace)})
    return shown_deviation(request, deviation_id)


def shown_deviation(request, deviation_id) -> dict:
    """The deviation after a write; a replay reads it again from here."""
    locate(request, f"/api/v1/deviations/{deviation_id}")
    return fresh(request.auth, deviation_id)


@router.get("/deviations/categories", response={200: list[CategoryOut], **ERRORS})
def categories(request):
    found = Category.objects.filter(active=True).select_related("parent").order_by("position")
    return [{"code": c.code, "name": c.name, "parent": c.parent and c.parent.code} for c in found]


@router.get("/deviations/statistics", response={200: StatisticsOut, **ERRORS})
def statistics(request, year: int | None = Query(None, ge=FIRST_YEAR, le=LAST_YEAR)):
    """The yearly report's tables: the same figures for everyone, small cells suppressed."""
    report = yearly_report(request.auth, year or timezone.localdate().year)
    tables = [t.__dict__ for t in report.tables]
    return {"year": report.year, "tables": tables, "notice": report.notice}


@router.get("/deviations", response={200: DeviationPage, **ERRORS})
def list_deviations(request, q: Query[Listing]):
    request.auth.require("read_personal")
    found = visible_deviations(request.auth).select_related(*_RELATED).order_by("-reported_at")
    if q.state:
        found = found.filter(state=q.state)
    now = timezone.now()
    shown = []

    def render(d):
        out = deviation_out(request.auth, d, now)
        shown.extend([d.patient] if out["patient"] else [])
        return out

    result = page_of(found, q, render)
    record_reads(request.auth, "deviation.list", shown)  # the persons shown are read
    return result


_RELATED = (
    "reporter_unit",
    "from_principal",
    "to_principal",
    "responsible_unit",
    "category",
    "reported_category",
    "case",
    "sip",
)


@router.post("/deviations", response={201: DeviationOut, **ERRORS})
def report(request, body: ReportIn):
    to = Principal.objects.filter(code=body.to_principal).select_related("deviation_unit").first()
    if to is None:
        raise invalid("to_principal", "unknown_principal", "Okänd huvudman.")
    deviation = services.report(
        request.auth,
        **{**body.dict(), "to_principal": to, "category": category_by_code(body.category)},
    )
    return Status(201, shown_deviation(request, deviation.public_id))


@router.get("/deviations/{deviation_id}", response=DEVIATION)
def get_deviation(request, deviation_id: UUID):
    return fresh(request.auth, deviation_id)


@router.post("/deviations/{deviation_id}/assign", response=DEVIATION)
def assign(request, deviation_id: UUID, body: AssignIn):
    unit = later_unit(body.unit, "unit")
    return act(request, deviation_id, services.assign, body, unit=unit)


@router.post("/deviations/{deviation_id}/category", response=DEVIATION)
def recategorise(request, deviation_id: UUID, body: CategoryIn):
    category = partial(category_by_code, body.category)
    return act(request, deviation_id, services.recategorise, body, category=category)


@router.post("/deviations/{deviation_id}/return", response=DEVIATION)
def return_misdirected(request, deviation_id: UUID, body: ReasonIn):
    return act(request, deviation_id, services.return_misdirected, body)


@router.post("/deviations/{deviation_id}/feedback", response=DEVIATION)
def feedback(request, deviation_id: UUID, body: FeedbackIn):
    return act(request, deviation_id, services.give_feedback, body)


@router.post("/deviations/{deviation_id}/acknowledge", response=DEVIATION)
def acknowledge(request, deviation_id: UUID, body: Versioned):
    return act(request, deviation_id, services.acknowledge, body)


@router.post("/deviations/{deviation_id}/more", response=DEVIATION)
def ask_for_more(request, deviation_id: UUID, body: TextIn):
    return act(request, deviation_id, services.ask_for_more, body)
