"""Turn cases into API output; one place decides what a case looks like outside."""

from django.db.models import Prefetch
from django.utils import timezone

from samverkan.cases.models import Case, Delivery, Message


def unit_ref(unit):
    return {"hsa_id": unit.hsa_id, "name": unit.name} if unit else None


def patient_out(patient):
    return {
        "identity": patient.identity_display,
        "name": patient.full_name,
        "protected_identity": patient.protected_identity,
        "birth_date": patient.birth_date,
    }


def clocks(case: Case, now):
    return {
        "hours_since_admission": case.hours_since_admission(now),
        "notice_due_at": case.notice_due_at(),
        "notice_overdue": case.notice_overdue(now),
        "days_ready": case.days_ready(now),
        "sip_call_due_at": case.sip_call_due_at(),
        "sip_call_overdue": case.sip_call_overdue(now),
    }


def summary(case: Case, now=None):
    now = now or timezone.now()
    return {
        "id": case.public_id,
        "state": case.state,
        "patient": patient_out(case.patient),
        "ward": unit_ref(case.ward),
        "admitted_at": case.admitted_at,
        "expected_discharge_date": case.expected_discharge_date,
        "ready_at": case.ready_at,
        "version": case.version,
        "clocks": clocks(case, now),
    }


def _delivery(d: Delivery, now):
    return {
        "id": d.public_id,
        "unit": unit_ref(d.unit),
        "state": d.state,
        "sent_at": d.sent_at,
        "ack_due_at": d.ack_due_at,
        "read_at": d.read_at,
        "acknowledged_at": d.acknowledged_at,
        "rejected_at": d.rejected_at,
        "reject_reason": d.reject_reason,
        "forwarded_to": unit_ref(d.forwarded_to),
        "overdue": d.is_overdue(now),
    }


def _message(m: Message, now):
    return {
        "id": m.public_id,
        "kind": m.kind,
        "kind_label": m.get_kind_display(),
        "sender_unit": unit_ref(m.sender_unit),
        "sender": m.sender.get_full_name(),
        "occurred_at": m.occurred_at,
        "recorded_at": m.recorded_at,
        "text": m.text,
        "data": m.data,
        "reply_to": m.reply_to.public_id if m.reply_to else None,
        "answered_at": m.answered_at,
        "deliveries": [_delivery(d, now) for d in m.deliveries.all()],
    }


def full_case(public_id, now=None):
    """The whole case with participants, send history and ADL history, in a fixed few queries."""
    now = now or timezone.now()
    deliveries = Delivery.objects.select_related("unit", "forwarded_to")
    case = (
        Case.objects.select_related("patient", "ward", "care_contact_unit")
        .prefetch_related(
            "participants__unit",
            "adl_statuses",
            "attachments__unit",
            Prefetch(
                "messages",
                Message.objects.select_related(
                    "sender_unit", "sender", "reply_to"
                ).prefetch_related(Prefetch("deliveries", deliveries)),
            ),
        )
        .get(public_id=public_id)
    )
    return {
        **summary(case, now),
        **{
            f: getattr(case, f)
            for f in (
                "support_judged_at",
                "notice_sent_at",
                "sip_needed",
                "sip_consent",
                "sip_called_at",
                "care_contact_name",
                "care_contact_phone",
                "discharged_at",
                "destination",
                "checklist",
                "closed_at",
                "close_reason",
            )
        },
        "care_contact_unit": unit_ref(case.care_contact_unit),
        "participants": [
            {
                "unit": unit_ref(p.unit),
                "role": p.role,
                "active": p.active,
                "removed_reason": p.removed_reason,
            }
            for p in case.participants.all()
        ],
        "messages": [_message(m, now) for m in case.messages.all()],
        "attachments": [
            {
                "id": a.public_id,
                "name": a.name,
                "content_type": a.content_type,
                "size": a.size,
                "uploaded_at": a.uploaded_at,
                "unit": unit_ref(a.unit),
            }
            for a in case.attachments.all()
        ],
        "adl_history": [
            {"items": a.items, "occurred_at": a.occurred_at, "recorded_at": a.recorded_at}
            for a in case.adl_statuses.all()
        ],
    }


def care_request_receipt(message, takes_part: bool, chosen) -> dict:
    """What the sender of a care request learns: its request arrived at the hospital; the case
    (and so the ward) only when the unit takes part in it (see cases.intake)."""
    return {
        "id": message.public_id,
        "hospital_unit": unit_ref(chosen),
        "sent_at": message.occurred_at,
        "takes_part": takes_part,
        "case": message.case.public_id if takes_part else None,
    }


def back_entry(entry) -> dict:
    return {
        "id": entry.public_id,
        "kind": entry.kind,
        "occurred_at": entry.occurred_at,
        "entered_at": entry.entered_at,
        "source": entry.source,
        "form_number": entry.form_number,
        "applied": entry.applied,
        "waiting": entry.waiting,
        "message": entry.message.public_id if entry.message else None,
    }
