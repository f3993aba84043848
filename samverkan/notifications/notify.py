"""The one way to notify units: outbox rows in the caller's transaction; the worker turns them
into in-app notifications and e-mail digests (counts by kind, never personal data).

A notification's stored text never names the person. It keeps what it is about (`subject`: a
case, a SIP or a deviation) and whom; the name and the link are added when it is read, and only
while the reader's unit may see the subject through its access chokepoint (a unit removed from
the case, or whose SIP consent was revoked, sees the bare text). Reading is audited."""

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone
from django.utils.module_loading import import_string

from samverkan.audit.log import record_reads

from . import kinds
from .models import Notification, OutboxItem

VISIBLE = {  # subject type -> the chokepoint's queryset of what an actor sees
    "case": "samverkan.cases.access.visible_cases",
    "sip": "samverkan.sip.access.visible_sips",
    "deviation": "samverkan.deviations.access.visible_deviations",
    "forum": "samverkan.forums.access.visible_forums",
}


def notify(units, kind: str, text: str, *, case=None, subject=None, patient=None, link="") -> None:
    """`text` without the person's name; `patient` is named to readers who see `subject`
    (default: the case, and its patient). `kind` must be declared (notifications.kinds)."""
    kinds.check(kind)
    subject = subject or case
    patient = patient or (case.patient if case is not None else None)
    about = {
        "case": case,
        "link": link,
        "kind": kind,
        "text": text[:300],
        "patient": patient,
        "subject_type": subject._meta.model_name if subject is not None else "",
        "subject_id": subject.public_id if subject is not None else None,
    }
    OutboxItem.objects.bulk_create([OutboxItem(unit=u, **about) for u in units])


def _of_unit(actor):
    """The chokepoint: a unit reaches only its own notifications."""
    return Notification.objects.filter(unit=actor.unit)


def unit_notifications(actor):
    """The unit's notifications, newest first, with what `shown` needs."""
    return _of_unit(actor).select_related("case", "patient").order_by("-created_at", "-id")


def unread_count(actor) -> int:
    return _of_unit(actor).filter(read_at__isnull=True).count()


def mark_read(actor, ids, now=None) -> int:
    """The actor reads its unit's notifications `ids`; those already read keep their reader."""
    unread = _of_unit(actor).filter(pk__in=ids, read_at__isnull=True)
    return unread.update(read_at=now or timezone.now(), read_by=actor.user)


@dataclass
class Shown:
    """A notification as its reader may see it."""

    id: int
    text: str
    person: str
    href: str
    case: object
    created_at: datetime
    read_at: datetime | None


def _seen(actor, notes) -> set[tuple[str, object]]:
    """(type, public id) of the notifications' subjects the actor sees: one query per type."""
    seen = set()
    for kind, path in VISIBLE.items():
        ids = {n.subject_id for n in notes if n.subject_type == kind}
        if ids:
            found = import_string(path)(actor).filter(public_id__in=ids)
            seen |= {(kind, i) for i in found.values_list("public_id", flat=True)}
    return seen


def shown(actor, notes) -> list[Shown]:
    """The notifications as the actor may see them; the persons named are logged as read."""
    notes = list(notes)
    seen = _seen(actor, notes)
    rows, named = [], []
    for n in notes:
        sees = (n.subject_type, n.subject_id) in seen or not (n.subject_type or n.patient_id)
        person = n.patient.full_name if sees and n.patient_id else ""
        if person:
            named.append(n.patient)
        href = n.href if sees else ""
        rows.append(
            Shown(n.pk, n.text, person, href, n.case if sees else None, n.created_at, n.read_at)
        )
    record_reads(actor, "notification.list", named)
    return rows
