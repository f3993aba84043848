"""What the SIP page, its print view and the person's PDF show, read in a fixed number of
queries."""

from django.db.models import Prefetch
from django.utils import timezone

from samverkan.cases.page import clocks as case_clocks

from . import forms, services
from .actions import ACTIONS
from .models import Invitation, PlanVersion, Sip


def load(sip: Sip) -> Sip:
    invitations = Invitation.objects.select_related("participant__unit")
    return (
        Sip.objects.select_related(
            "patient", "case__ward", "initiating_unit__principal", "lead_principal", "started_by"
        )
        .prefetch_related(
            "participants__unit__principal",
            "consents__principals",
            "consents__recorded_by",
            "harm_assessments__principal",
            "harm_assessments__decided_by",
            Prefetch("meetings__invitations", invitations),
            "meetings__unit",
            Prefetch(
                "plans",
                PlanVersion.objects.select_related("created_by", "unit").prefetch_related(
                    "acks__unit"
                ),
            ),
            "follow_ups__recorded_by",
        )
        .get(pk=sip.pk)
    )


def _pending(actor, plan) -> bool:
    return bool(plan) and any(
        a.unit_id == actor.unit.pk and not a.acknowledged_at for a in plan.acks.all()
    )


def sip_context(actor, sip: Sip, failed=None) -> dict:
    """Template context; `failed` maps an action key to its bound form with errors."""
    sip, now = load(sip), timezone.now()
    day = timezone.localdate(now)
    plans = list(sip.plans.all())
    plan = plans[-1] if plans else None
    pending = _pending(actor, plan)
    offered = {k for k, a in ACTIONS.items() if a.offered(actor, sip, pending)}
    failed = failed or {}
    participants = [p for p in sip.participants.all() if p.active]
    reach = {p.pk: services.reachable(sip, p, day) for p in participants}
    quality = services.quality(sip, plan)
    return {
        "sip": sip,
        "patient": sip.patient,
        "now": now,
        "case_clocks": case_clocks(sip.case, now) if sip.case else [],
        "participants": [(p, reach[p.pk]) for p in participants],
        "consents": list(sip.consents.all()),
        "valid_consent": any(c.valid_on(day) for c in sip.consents.all()),
        "meetings": list(sip.meetings.all()),
        "plan": plan,
        "plans": plans,
        "pending_ack": pending,
        "follow_ups": list(sip.follow_ups.all()),
        "next_meeting": next((m for m in sip.meetings.all() if m.starts_at > now), None),
        "quality": [(services.QUALITY[k], v) for k, v in quality.items()],
        "quality_score": sum(quality.values()),
        "signs": [services.PREVENTIVE_SIGNS[s] for s in sip.preventive_signs],
        "contacts": contacts(sip, participants),
        "offered": offered,
        "forms": {k: failed.get(k) or blank_form(k, sip, plan) for k in offered},
        "attendance_forms": [
            (m, forms.AttendanceForm(sip=sip, meeting=m, initial={"version": sip.version}))
            for m in sip.meetings.all()
            if m.starts_at <= now
        ]
        if "attendance" in offered
        else [],
        "failed": failed,
    }


def blank_form(key: str, sip: Sip, plan):
    initial = {"version": sip.version}
    if key == "plan":
        initial |= forms.PlanForm.initial_from(plan)
    if key == "consent":
        initial["principals"] = list(
            {p.unit.principal_id for p in sip.participants.all() if p.active and p.unit_id}
        )
    return ACTIONS[key].form(sip=sip, initial=initial, auto_id=f"id_{key}_%s")


def contacts(sip: Sip, participants) -> list[tuple[str, str, str]]:
    """Who to call: (who, organisation, phone) for the units and named contacts."""
    rows = []
    for p in participants:
        if p.kind == "unit":
            rows.append((p.name or p.unit.name, p.unit.principal.name, p.phone or p.unit.phone))
        elif p.kind == "outside":
            rows.append((p.name or p.organisation, p.organisation, p.phone))
    return rows
