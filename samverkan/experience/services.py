"""Writes of the follow-up call: drawing the list (the worker's job), each attempt, the answers
and their pseudonymised statistics row; an answer that needs action notifies its unit."""

from datetime import date, datetime, time

from django.db import transaction
from django.utils import timezone

from samverkan.audit.log import record
from samverkan.cases.models import Case, Message
from samverkan.core.errors import invalid
from samverkan.core.leases import claim, release, worker_id
from samverkan.notifications.notify import notify

from . import rules
from .models import CallAttempt, CallRecord, CallRule, FollowUpCall

Attempt = CallAttempt.Outcome
State = FollowUpCall.State


# --- drawing the call list ------------------------------------------------------------------


def candidates(rule: CallRule, today):
    """Discharged cases of the rule's municipality whose call window is open today."""
    first, last = today.toordinal() - rule.last_day, today.toordinal() - rule.first_day
    start, end = (timezone.make_aware(_midnight(d)) for d in (first, last + 1))
    return (
        Case.objects.filter(
            patient__registered_municipality=rule.municipality_id,
            discharged_at__gte=start,
            discharged_at__lt=end,
            followup_call__isnull=True,
        )
        .select_related("patient")
        .order_by("discharged_at", "id")
    )


def _midnight(ordinal: int) -> datetime:
    return datetime.combine(date.fromordinal(ordinal), time())


def _has_support(case: Case) -> bool:
    return case.messages.filter(kind=Message.Kind.PLANNED_SUPPORT).exists()


def drawn(rule: CallRule, case: Case) -> bool:
    """The rule, then the sample: whether this discharged case is called."""
    discharged_on = timezone.localdate(case.discharged_at)
    qualifies = rules.qualifies(
        rule,
        age=rules.age_at(case.patient, discharged_on),
        destination=case.destination,
        has_support=_has_support(case),
    )
    month = rules.month_of(discharged_on)
    return qualifies and rules.in_sample(rule, month, case.public_id)


def draw_for_rule(rule: CallRule, now) -> int:
    """Add the rule's newly drawn cases to the call list, within the monthly cap."""
    made = 0
    for case in candidates(rule, timezone.localdate(now)):
        if drawn(rule, case) and _under_cap(rule, case):
            _add_call(rule, case, now)
            made += 1
    return made


def _under_cap(rule: CallRule, case: Case) -> bool:
    if not rule.monthly_cap:
        return True
    month = rules.month_of(timezone.localdate(case.discharged_at))
    return rule.calls.filter(month=month).count() < rule.monthly_cap


@transaction.atomic
def _add_call(rule: CallRule, case: Case, now) -> FollowUpCall:
    discharged_on = timezone.localdate(case.discharged_at)
    due_from, due_to = rules.window(rule, discharged_on)
    call = FollowUpCall.objects.create(
        case=case,
        rule=rule,
        month=rules.month_of(discharged_on),
        due_from=due_from,
        due_to=due_to,
        drawn_at=now,
    )
    record(None, "followup_call.draw", patient=case.patient, obj=call)
    return call


def draw_calls(now=None) -> int:
    """The worker's job: each active rule, leased so two workers never draw beside each other
    (a cap would be passed); a drawn case has one call (unique), so a repeat draws nothing."""
    now = now or timezone.now()
    me, made = worker_id(), 0
    for rule in claim(CallRule.objects.filter(active=True), me, now, limit=100):
        try:
            made += draw_for_rule(rule, now) + close_expired(rule, now)
        finally:
            release(rule)
    return made


def close_expired(rule: CallRule, now) -> int:
    """Open calls whose window has passed end as not reached (with the attempts made, none
    or more): every drawn person counts in the response rate."""
    expired = rule.calls.filter(state=State.OPEN, due_to__lt=timezone.localdate(now))
    expired = list(expired.select_related("case__patient", "rule"))
    for call in expired:
        with transaction.atomic():
            call.state = State.NOT_REACHED
            _finish(None, call, now)
            call.save()
    return len(expired)


# --- the call ---------------------------------------------------------------------------------


def _check_open(call: FollowUpCall) -> None:
    if not call.is_open:
        raise invalid(None, "closed", "Samtalet är redan avslutat.")


@transaction.atomic
def record_attempt(actor, call: FollowUpCall, *, outcome: str, answers=None, now=None):
    """One attempt; reached, it carries the answers; the last unanswered one, or a refusal,
    ends the call. A finished call leaves a statistics row without the person."""
    now = now or timezone.now()
    call = FollowUpCall.objects.select_for_update().get(pk=call.pk)
    _check_open(call)
    if outcome == Attempt.REACHED and answers is None:
        raise invalid(None, "required", "Fyll i svaren när personen nåtts.")
    CallAttempt.objects.create(call=call, at=now, outcome=outcome, by=actor.user, unit=actor.unit)
    if outcome == Attempt.REACHED:
        _answer(actor, call, answers)
    elif outcome == Attempt.DECLINED:
        call.state = State.DECLINED
    elif call.attempts.count() >= call.rule.max_attempts:
        call.state = State.NOT_REACHED
    if not call.is_open:
        _finish(actor, call, now)
    call.save()
    record(
        actor,
        "followup_call.attempt",
        patient=call.case.patient,
        obj=call,
        detail={"outcome": outcome},
    )
    return call


def _answer(actor, call: FollowUpCall, answers: dict) -> None:
    if answers.get("needs_action") and not answers.get("action_text"):
        raise invalid("action_text", "required", "Skriv vad som behöver göras.")
    unit = answers.get("action_unit")
    if answers.get("needs_action") and unit not in action_units(call.case):
        raise invalid("action_unit", "not_participant", "Välj en enhet som deltar i ärendet.")
    for name in ANSWER_FIELDS:
        setattr(call, name, answers.get(name) if name != "action_unit" else unit)
    call.state = State.ANSWERED
    if call.needs_action:
        _notify_action(call)


ANSWER_FIELDS = [
    "answered_by",
    "ctm_1",
    "ctm_2",
    "ctm_3",
    "ctm_4",
    "knows_contact",
    "comment",
    "needs_action",
    "action_text",
    "action_unit",
]


def action_units(case: Case) -> list:
    """The units an answer that needs action may go to: those taking part in the case, the
    care contact's unit first."""
    units = [
        p.unit for p in case.participants.filter(removed_at__isnull=True).select_related("unit")
    ]
    return sorted(units, key=lambda u: (u.pk != case.care_contact_unit_id, u.name))


def _notify_action(call: FollowUpCall) -> None:
    text = f"Uppföljningssamtal efter utskrivning ({call.case.short_id}): {call.action_text}"
    notify([call.action_unit], "followup_call_action", text, case=call.case)


def _finish(actor, call: FollowUpCall, now) -> None:
    call.completed_at, call.completed_by = now, actor.user if actor else None
    CallRecord.objects.create(**statistics_row(call))
    record(
        actor,
        "followup_call.complete",
        patient=call.case.patient,
        obj=call,
        detail={"state": call.state},
    )


def statistics_row(call: FollowUpCall) -> dict:
    """What the statistics keep of a finished call: no person, no case, no action text, and
    no comment of an answer that needed action."""
    patient = call.case.patient
    discharged_on = timezone.localdate(call.case.discharged_at)
    answered = call.state == State.ANSWERED
    return {
        "pseudonym": rules.pseudonym(patient.identity),
        "municipality_id": call.rule.municipality_id,
        "age_band": rules.age_band(rules.age_at(patient, discharged_on)),
        "sex": rules.sex_of(patient.identity, patient.identity_kind),
        "month": call.month,
        "outcome": call.state,
        "attempts": call.attempts.count(),
        "answered_by": call.answered_by,
        "ctm_score": rules.ctm_score(ctm_items(call)) if answered else None,
        "knows_contact": call.knows_contact,
        "comment": "" if call.needs_action else call.comment,
    }


def ctm_items(call) -> list:
    return [call.ctm_1, call.ctm_2, call.ctm_3, call.ctm_4]
