"""The SIP API: the same conventions as the LOS case (tokens, Idempotency-Key, version check,
structured errors); every write returns the whole plan as the unit may see it."""

from datetime import date, datetime
from functools import partial
from typing import Literal
from uuid import UUID

from django.utils import timezone
from ninja import Query, Router, Status
from pydantic import Field

from samverkan.audit.log import record, record_reads
from samverkan.cases.access import get_case_for_actor
from samverkan.core.errors import invalid
from samverkan.directory.models import Principal
from samverkan.lib.pdf import pdf_response
from samverkan.sip import services
from samverkan.sip.access import get_sip_for_actor, visible_sips
from samverkan.sip.models import Sip
from samverkan.sip.page import sip_context

from .cases import ERRORS, after_access, page_of, unit_by_hsa
from .idempotency import locate
from .schemas import (
    AccountText,
    In,
    Line,
    Listing,
    MessageText,
    Name,
    ShortText,
    Versioned,
    WebLink,
    distinct,
)

router = Router(tags=["SIP"])


class SipStartIn(In):
    kind: Line = Field(description="in_hospital | after_discharge | preventive")
    target_group: Line = Field(
        description="elderly | adult_psychiatry | addiction | children | other"
    )
    need_seen_by: Line
    need: AccountText
    case: UUID | None = Field(None, description="The LOS case the SIP starts from")
    identity: Line = ""
    given_name: Name = ""
    family_name: Name = ""
    preventive_signs: distinct(Line) = []
    occurred_at: datetime | None = None


class ConsentIn(Versioned):
    given_by: Line = Field(description="person | guardian")
    guardian_name: Line = ""
    principals: distinct(Line) = Field(description="Principal codes (e.g. 10 for the region)")
    outside_parties: distinct(Line) = []
    valid_until: date
    given_at: datetime | None = None


class HarmIn(Versioned):
    principal: Line
    may_share: bool
    reason: MessageText


class ParticipantIn(Versioned):
    kind: Literal["unit", "outside", "next_of_kin"]
    hsa_id: Line = ""
    organisation: str = Field("", max_length=120)
    name: str = Field("", max_length=120)
    role: str = Field("", max_length=120)
    email: Line = ""
    phone: str = Field("", max_length=40)


class MeetingIn(Versioned):
    starts_at: datetime
    minutes: int = Field(60, ge=1, le=24 * 60)
    place: Line = ""
    link: WebLink = Field("", max_length=200)
    note: MessageText = ""


class AttendanceIn(Versioned):
    attended: distinct(UUID) = Field(description="Participant ids present")
    person_attended: bool


class ActionIn(In):
    text: ShortText
    participant: UUID
    person: Line = ""


class PlanIn(Versioned):
    needs: AccountText
    goals: AccountText = ""
    others: AccountText = ""
    lead_principal: Line = Field(description="Principal code")
    follow_up_date: date
    actions: list[ActionIn]
    note: str = Field("", max_length=300)


class AckIn(In):
    number: int | None = Field(
        None, ge=1, description="The plan version you read; a newer one is a conflict (409)"
    )


class FollowUpIn(Versioned):
    held_on: date
    notes: AccountText
    next_follow_up_date: date | None = None


class CloseIn(Versioned):
    reason: Line


def principal(code: str, field: str) -> Principal:
    found = Principal.objects.filter(code=code).first()
    if found is None:
        raise invalid(field, "unknown", f"Okänd huvudman: {code}.")
    return found


def principals_by_code(codes) -> list[Principal]:
    return [principal(code, "principals") for code in codes]


def full_sip(actor, sip: Sip) -> dict:
    """The plan as its page shows it."""
    c = sip_context(actor, sip)
    sip = c["sip"]
    return {
        "id": sip.public_id,
        "version": sip.version,
        "state": sip.state,
        "kind": sip.kind,
        "target_group": sip.target_group,
        "case": sip.case.public_id if sip.case else None,
        "patient": {"identity": c["patient"].identity, "name": c["patient"].full_name},
        "initiating_unit": sip.initiating_unit.hsa_id,
        "started_at": sip.started_at,
        "need_seen_by": sip.need_seen_by,
        "need": sip.need,
        "preventive_signs": sip.preventive_signs,
        "participants": [
            {"id": p.public_id, "kind": p.kind, "label": p.label, "covered_by_consent": ok}
            for p, ok in c["participants"]
        ],
        "consents": [
            {
                "id": x.public_id,
                "given_by": x.given_by,
                "principals": [p.code for p in x.principals.all()],
                "outside_parties": x.outside_parties,
                "given_at": x.given_at,
                "valid_until": x.valid_until,
                "revoked_at": x.revoked_at,
            }
            for x in c["consents"]
        ],
        "meetings": [
            {
                "id": m.public_id,
                "starts_at": m.starts_at,
                "minutes": m.minutes,
                "place": m.place,
                "link": m.web_link,
                "held_at": m.held_at,
                "person_attended": m.person_attended,
            }
            for m in c["meetings"]
        ],
        "plan": c["plan"]
        and {
            "number": c["plan"].number,
            "content": c["plan"].content,
            "created_at": c["plan"].created_at,
        },
        "follow_up_date": sip.follow_up_date,
        "quality": dict(services.quality(sip, c["plan"])),
        "quality_score": sip.quality_score,
        "closed_at": sip.closed_at,
    }


def act(request, sip_id: UUID, service, body=None, **replace) -> dict:
    sip = get_sip_for_actor(request.auth, sip_id, write=True)
    service(request.auth, sip, **{**(body.dict() if body else {}), **after_access(replace)})
    return shown_sip(request, sip)


def _fresh(actor, sip: Sip) -> dict:
    """After a write the unit may have lost sight of the plan (a revoked consent)."""
    if not visible_sips(actor).filter(pk=sip.pk).exists():
        return {"id": sip.public_id, "visible": False}
    return full_sip(actor, sip)


def shown_sip(request, sip: Sip) -> dict:
    """The plan after a write, as the unit now sees it; a replay reads it again from here."""
    found = _fresh(request.auth, sip)
    if found.get("visible", True):
        locate(request, f"/api/v1/sips/{sip.public_id}")
    return found


@router.get("/sips", response={200: dict, **ERRORS})
def list_sips(request, q: Query[Listing]):
    request.auth.require("read_personal")
    sips = visible_sips(request.auth).select_related("patient").order_by("-started_at")
    if q.state:
        sips = sips.filter(state=q.state)
    result = page_of(
        sips,
        q,
        lambda s: {
            "id": s.public_id,
            "state": s.state,
            "kind": s.kind,
            "patient": s.patient.full_name,
            "follow_up_date": s.follow_up_date,
        },
    )
    shown = sips.filter(public_id__in=[i["id"] for i in result["items"]])
    record_reads(request.auth, "sip.list", [s.patient for s in shown])
    return result


@router.post("/sips", response={201: dict, **ERRORS})
def start(request, body: SipStartIn):
    data = body.dict()
    case_id = data.pop("case")
    case = get_case_for_actor(request.auth, case_id, write=True) if case_id else None
    sip = services.start_sip(request.auth, case=case, **data)
    return Status(201, shown_sip(request, sip))


@router.get("/sips/{sip_id}", response={200: dict, **ERRORS})
def read(request, sip_id: UUID):
    return full_sip(request.auth, get_sip_for_actor(request.auth, sip_id))


@router.post("/sips/{sip_id}/consents", response={200: dict, **ERRORS})
def consent(request, sip_id: UUID, body: ConsentIn):
    principals = partial(principals_by_code, body.principals)
    return act(request, sip_id, services.record_consent, body, principals=principals)


@router.post("/sips/{sip_id}/consents/{consent_id}/revoke", response={200: dict, **ERRORS})
def revoke(request, sip_id: UUID, consent_id: UUID, body: Versioned):
    sip = get_sip_for_actor(request.auth, sip_id, write=True)
    found = services.consent_of(sip, consent_id)
    return act(request, sip_id, services.revoke_consent, body, consent=found)


@router.post("/sips/{sip_id}/harm-assessments", response={200: dict, **ERRORS})
def harm(request, sip_id: UUID, body: HarmIn):
    found = partial(principal, body.principal, "principal")
    return act(request, sip_id, services.record_harm_assessment, body, principal=found)


@router.post("/sips/{sip_id}/participants", response={200: dict, **ERRORS})
def add_participant(request, sip_id: UUID, body: ParticipantIn):
    data = body.dict()
    hsa_id = data.pop("hsa_id")
    sip = get_sip_for_actor(request.auth, sip_id, write=True)
    unit = unit_by_hsa(hsa_id, "hsa_id") if body.kind == "unit" else None
    services.add_participant(request.auth, sip, unit=unit, **data)
    return shown_sip(request, sip)


@router.post("/sips/{sip_id}/participants/{participant_id}/remove", response={200: dict, **ERRORS})
def remove_participant(request, sip_id: UUID, participant_id: UUID, body: Versioned):
    sip = get_sip_for_actor(request.auth, sip_id, write=True)
    found = services.participant_of(sip, participant_id)
    return act(request, sip_id, services.remove_participant, body, participant=found)


@router.post("/sips/{sip_id}/meetings", response={200: dict, **ERRORS})
def meeting(request, sip_id: UUID, body: MeetingIn):
    sip = get_sip_for_actor(request.auth, sip_id, write=True)
    services.schedule_meeting(request.auth, sip, **body.dict())
    return shown_sip(request, sip)


@router.post("/sips/{sip_id}/meetings/{meeting_id}/attendance", response={200: dict, **ERRORS})
def attendance(request, sip_id: UUID, meeting_id: UUID, body: AttendanceIn):
    sip = get_sip_for_actor(request.auth, sip_id, write=True)
    found = services.meeting_of(sip, meeting_id)
    return act(request, sip_id, services.record_attendance, body, meeting=found)


@router.post("/sips/{sip_id}/plan", response={200: dict, **ERRORS})
def plan(request, sip_id: UUID, body: PlanIn):
    lead = partial(principal, body.lead_principal, "lead_principal")
    return act(request, sip_id, services.save_plan, body, lead_principal=lead)


@router.post("/sips/{sip_id}/plan/acknowledge", response={200: dict, **ERRORS})
def acknowledge(request, sip_id: UUID, body: AckIn):
    return act(request, sip_id, services.acknowledge_plan, body)


@router.post("/sips/{sip_id}/follow-ups", response={200: dict, **ERRORS})
def follow_up(request, sip_id: UUID, body: FollowUpIn):
    return act(request, sip_id, services.record_follow_up, body)


@router.post("/sips/{sip_id}/close", response={200: dict, **ERRORS})
def close(request, sip_id: UUID, body: CloseIn):
    return act(request, sip_id, services.close_sip, body)


@router.get("/sips/{sip_id}/pdf", response={200: None, **ERRORS})
def pdf(request, sip_id: UUID):
    """The plan for the person as a PDF (plain Swedish, who to call, next step)."""
    sip = get_sip_for_actor(request.auth, sip_id)
    record(request.auth, "sip.pdf", patient=sip.patient, obj=sip)
    context = {**sip_context(request.auth, sip), "now": timezone.now()}
    return pdf_response("sip/pdf.html", context, f"sip-{sip.short_id}.pdf")
