"""What the case page shows: the case with its people, clocks, history and the offered actions,
read in a fixed number of queries."""

from django.db.models import Prefetch
from django.utils import timezone

from . import deadlines, merge, record, rejections
from .actions import ACTIONS, offered
from .forms import ForwardForm, RejectForm
from .models import AdlStatus, Case, Delivery, Message
from .services import CHECKLIST, default_recipients


def load(case: Case) -> Case:
    """The case with everything the page shows prefetched."""
    deliveries = Delivery.objects.select_related("unit", "forwarded_to", "acknowledged_by")
    messages = Message.objects.select_related("sender_unit", "sender", "reply_to").prefetch_related(
        Prefetch("deliveries", deliveries), "back_entries"
    )
    return (
        Case.objects.select_related(
            "patient__registered_municipality__notice_unit__principal",
            "patient__listed_primary_care__principal",
            "ward",
            "care_contact_unit",
            "closed_by",
        )
        .prefetch_related(
            "participants__unit__principal",
            "adl_statuses__recorded_by",
            "attachments",
            Prefetch("messages", messages),
        )
        .get(pk=case.pk)
    )


def offered_on(actor, case: Case):
    """The actions offered to the actor on the case now."""
    units = set(case.participants.filter(active=True).values_list("unit_id", flat=True))
    return offered(actor, case, units)


def case_context(actor, case: Case, failed=None) -> dict:
    """Template context; `failed` maps an action key to its bound form with errors."""
    case, now = load(case), timezone.now()
    units = {p.unit_id for p in case.participants.all() if p.active}
    actions = offered(actor, case, units)
    history = list(case.messages.all())
    adl = list(case.adl_statuses.all())
    sips = _sips(actor, case)
    return {
        "case": case,
        "patient": case.patient,
        "now": now,
        "clocks": clocks(case, now),
        "from_record": record.rows(case),
        "history": history,
        "my_open": [] if case.state == Case.State.CLOSED else my_open(actor, history),
        "rejections": rejections.open_rejections(actor, _deliveries(history))
        if case.state != Case.State.CLOSED
        else [],
        "next_steps": next_steps(case, history, sips),
        "to_answer": [
            m
            for m in history
            if m.kind in ("question", "care_request")
            and not m.answered_at
            and any(d.unit_id == actor.unit.pk for d in m.deliveries.all())
        ],
        "adl_current": adl[-1] if adl else None,
        "adl_history": adl,
        "adl_rows": adl_rows(adl[-1]) if adl else [],
        "checklist": [(label, case.checklist.get(key)) for key, label in CHECKLIST.items()],
        "actions": [
            (a, (failed or {}).get(a.key))
            for a in actions
            if a.key not in ("answer", "answer_request", "skicka-om")
        ],
        "resend": (ACTIONS["skicka-om"], failed["skicka-om"])
        if failed and "skicka-om" in failed
        else None,
        "can_answer": any(a.key == "answer" for a in actions),
        "can_answer_request": any(a.key == "answer_request" for a in actions),
        "failed": failed or {},
        "sips": sips,
        "can_start_sip": case.is_open
        and actor.can("write_personal")
        and not any(s.is_open for s in sips),
        "reject_form": RejectForm(),
        "forward_form": ForwardForm(actor=actor),
    }


def _sips(actor, case: Case) -> list:
    """The case's SIPs that the actor's unit may see."""
    from samverkan.sip.access import visible_sips

    return list(visible_sips(actor).filter(case=case))


def _deliveries(history) -> list[Delivery]:
    return [d for m in history for d in m.deliveries.all()]


def next_steps(case: Case, history, sips) -> list[tuple[str, str]]:
    """(who, what) after discharge, for the discharge document: each municipal unit's latest
    planned support, the SIP's next meeting, and the care contact's follow-up."""
    latest = {m.sender_unit.name: m.text for m in history if m.kind == Message.Kind.PLANNED_SUPPORT}
    steps = [(unit, f"Planerade insatser: {text}") for unit, text in latest.items()]
    for sip in sips:
        steps.append(("SIP", sip_status(sip)))
    if case.sip_needed and not sips:
        called = case.sip_called_at
        steps.append(("SIP", f"Kallad {_local(called)}" if called else "Ska kallas"))
    if case.care_contact_name:
        steps.append(("Fast vårdkontakt", f"{case.care_contact_name} följer upp efter hemgång"))
    return steps


def sip_status(sip) -> str:
    """The SIP's state and its next meeting, if one is planned."""
    meeting = sip.meetings.filter(starts_at__gte=timezone.now()).order_by("starts_at").first()
    place = f" ({meeting.place})" if meeting and meeting.place else ""
    when = f", möte {_local(meeting.starts_at)}{place}" if meeting else ""
    return f"{sip.get_state_display()}{when}"


def my_open(actor, history) -> list[Delivery]:
    """The actor's unit's notices still to acknowledge (updates are read by opening)."""
    return [
        d
        for m in history
        for d in m.deliveries.all()
        if d.unit_id == actor.unit.pk and d.needs_ack and d.state in Delivery.OPEN_STATES
    ]


def action_form(action, case: Case, params=None):
    """The action's empty form, prefilled from the case; `params` (a GET) may name the
    rejected delivery to send on and carry a directory search made without JavaScript."""
    initial = merge.initial(action.key, case)
    extra = _form_kwargs(action, case, params or {})
    rejected = extra.pop("delivery", None)
    if rejected:
        initial["delivery"] = rejected.public_id
    form = action.form(initial=initial, auto_id=f"id_{action.key}_%s", **extra)
    form.rejected = rejected
    return form


def bound_form(action, case: Case, data, files):
    """The action's form with what was posted (the same recipients offered as on the page)."""
    extra = _form_kwargs(action, case, data)
    rejected = extra.pop("delivery", None)
    form = action.form(data, files, auto_id=f"id_{action.key}_%s", **extra)
    form.rejected = rejected
    return form


def _form_kwargs(action, case: Case, params) -> dict:
    if action.key == "notice":
        return {"suggested": default_recipients(case), "search": params or None}
    if action.key == "skicka-om":
        delivery = rejections.rejection_in(case, params.get("delivery"))
        return {
            "suggested": rejections.suggested_units(case, delivery),
            "search": params or None,
            "delivery": delivery,
        }
    return {}


def adl_rows(status: AdlStatus) -> list[tuple[str, str, str]]:
    """(item, level, note) in Swedish, in the standard order."""
    return [
        (label, AdlStatus.LEVELS[status.items[key]["level"]], status.items[key]["note"])
        for key, label in AdlStatus.ITEMS.items()
        if key in status.items
    ]


def clocks(case: Case, now) -> list[tuple[str, str, bool]]:
    """(label, value, overdue) for the clocks that apply now."""
    rows = []
    if case.admitted_at:
        rows.append(("Timmar sedan inskrivning", str(case.hours_since_admission(now)), False))
    due = case.notice_due_at()
    if due and not case.notice_sent_at:
        rows.append(("Inskrivningsmeddelande senast", _local(due), case.notice_overdue(now)))
    if case.ready_at and case.state in (Case.State.READY, Case.State.DISCHARGED):
        days = case.days_ready(now)
        rows.append(("Dagar som utskrivningsklar", str(days), deadlines.ready_flagged(case, now)))
    sip_due = case.sip_call_due_at()
    if sip_due and not case.sip_called_at:
        rows.append(("Kallelse till SIP senast", _local(sip_due), case.sip_call_overdue(now)))
    return rows


def _local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")
