"""The follow-up call and survey API with the project's conventions (tokens, Idempotency-Key,
structured errors, bounded input): the call list, a call, its attempts, the statistics, the
trust survey's answers and results, and a SIP's experience."""

from datetime import date
from functools import partial
from typing import Annotated, Literal
from uuid import UUID

from django.utils import timezone
from ninja import Query, Router
from pydantic import Field

from samverkan.audit.log import record_reads
from samverkan.core.errors import invalid
from samverkan.experience import services, stats, surveys
from samverkan.experience.access import calls_of, get_call_for_actor
from samverkan.experience.forms import TEXT_MAX
from samverkan.experience.models import FollowUpCall
from samverkan.experience.rules import describe
from samverkan.sip.access import get_sip_for_actor

from .cases import ERRORS, after_access, page_of, unit_by_hsa
from .idempotency import locate
from .schemas import In, Line, Listing

router = Router(tags=["Uppföljningssamtal och enkäter"])
Scale = Annotated[int, Field(ge=0, le=4, description="1 instämmer inte alls … 4 helt; 0 vet ej")]
Free = Annotated[str, Field(max_length=TEXT_MAX)]


class AnswersIn(In):
    answered_by: Literal["person", "next_of_kin", "staff"]
    ctm_1: Scale
    ctm_2: Scale
    ctm_3: Scale
    ctm_4: Scale
    knows_contact: Literal["yes", "no", "unsure"] = Field(
        description="Vet du vem du ska kontakta om något händer?"
    )
    comment: Free = ""
    needs_action: bool = False
    action_text: Free = ""
    action_unit: Line = Field("", description="HSA-id of a unit taking part in the case")


class AttemptIn(In):
    outcome: Literal["reached", "not_reached", "declined"]
    answers: AnswersIn | None = Field(None, description="Required when reached")


class ScoreIn(In):
    principal: Line = Field(description="Principal code (e.g. 10 for the region)")
    score: int = Field(ge=1, le=5)


class TrustIn(In):
    scores: list[ScoreIn] = Field(min_length=1, max_length=50)


class PeriodIn(In):
    fran: str = Field("", pattern=r"^(\d{4}-\d{2})?$", description="First month, YYYY-MM")
    till: str = Field("", pattern=r"^(\d{4}-\d{2})?$", description="Last month, YYYY-MM")


class SipExperienceIn(In):
    meeting: UUID
    answered_by: Literal["person", "next_of_kin"]
    took_part: Scale
    what_matters: Scale
    knows_next: Scale


def call_out(call: FollowUpCall) -> dict:
    return {
        "id": call.public_id,
        "case": call.case.public_id,
        "patient": call.case.patient.full_name,
        "state": call.state,
        "due_from": call.due_from,
        "due_to": call.due_to,
        "rule": describe(call.rule),
        "attempts": [
            {"at": a.at, "outcome": a.outcome, "unit": a.unit.hsa_id}
            for a in call.attempts.select_related("unit")
        ],
        "answers": _answers(call) if call.state == FollowUpCall.State.ANSWERED else None,
    }


def _answers(call: FollowUpCall) -> dict:
    names = [n for n in services.ANSWER_FIELDS if n != "action_unit"]
    found = {n: getattr(call, n) for n in names}
    return {**found, "action_unit": call.action_unit.hsa_id if call.action_unit else ""}


@router.get("/followup-calls", response={200: dict, **ERRORS})
def list_calls(request, q: Query[Listing]):
    request.auth.require("read_personal")
    calls = calls_of(request.auth)
    if q.state:
        calls = calls.filter(state=q.state)
    result = page_of(calls, q, call_out)
    shown = calls.filter(public_id__in=[i["id"] for i in result["items"]])
    record_reads(request.auth, "followup_call.list", [c.case.patient for c in shown])
    return result


@router.get("/followup-calls/statistics", response={200: dict, **ERRORS})
def statistics(request, q: Query[PeriodIn]):
    """Aggregates only (municipality, age band, sex): small cells null, "dolt" where hidden."""
    report = stats.call_report(stats.period_from({"fran": q.fran, "till": q.till}))
    tables = {t.key: {"header": t.header, "rows": t.rows} for t in report.tables}
    p = report.period
    return {"from": p.date_from, "to": p.date_to, "tables": tables, "comments": report.comments}


@router.get("/followup-calls/{call_id}", response={200: dict, **ERRORS})
def read_call(request, call_id: UUID):
    return call_out(get_call_for_actor(request.auth, call_id))


def _answers_in(body: AttemptIn):
    if body.answers is None:
        return None
    data = body.answers.dict()
    hsa = data.pop("action_unit")
    return {
        **data,
        "action_unit": partial(unit_by_hsa, hsa, "answers.action_unit") if hsa else None,
    }


@router.post("/followup-calls/{call_id}/attempts", response={200: dict, **ERRORS})
def attempt(request, call_id: UUID, body: AttemptIn):
    call = get_call_for_actor(request.auth, call_id, write=True)
    answers = _answers_in(body)
    answers = after_access(answers) if answers else None
    services.record_attempt(request.auth, call, outcome=body.outcome, answers=answers)
    locate(request, f"/api/v1/followup-calls/{call.public_id}")
    return call_out(get_call_for_actor(request.auth, call_id, write=True))


@router.post("/trust-survey/answers", response={200: dict, **ERRORS})
def answer_trust(request, body: TrustIn):
    """The open period's survey: one answer per person and period, kept without the person."""
    from .sip import principal

    survey = surveys.open_survey(timezone.localdate())
    if survey is None:
        raise invalid(None, "closed", "Ingen förtroendeenkät är öppen.")
    scores = {principal(s.principal, "scores"): s.score for s in body.scores}
    surveys.answer_trust(request.auth, survey, scores)
    return {"survey": survey.title, "answered": True}


@router.get("/trust-survey/results", response={200: dict, **ERRORS})
def trust_results(request):
    """Mean trust by organisation pair of the last closed period; pairs with few answers null
    (results of an open period are never shown: before and after would tell an answer)."""
    survey = surveys.last_closed(timezone.localdate())
    if survey is None:
        raise invalid(None, "none", "Ingen enkätperiod har stängt än.")
    table = surveys.trust_results(survey)
    period = {"title": survey.title, "from": survey.opens_on, "to": survey.closes_on}
    return {"survey": period, "header": table.header, "rows": table.rows}


@router.post("/sips/{sip_id}/experiences", response={200: dict, **ERRORS})
def sip_experience(request, sip_id: UUID, body: SipExperienceIn):
    sip = get_sip_for_actor(request.auth, sip_id, write=True)
    data = body.dict()
    meeting = sip.meetings.filter(public_id=data.pop("meeting")).first()
    if meeting is None:
        raise invalid("meeting", "unknown", "Mötet hör inte till planen.")
    found = surveys.register_sip_experience(request.auth, sip, meeting=meeting, **data)
    return {"id": found.public_id, "sip": sip.public_id, "month": date.isoformat(found.month)}
