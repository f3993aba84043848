"""The worker's jobs: deliver the outbox (in-app notifications, e-mail digests) and close
discharged cases after the configured days. Several workers may run: rows are claimed with a
conditional UPDATE, so each is delivered once."""

import logging
import os
import socket
from collections import Counter
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from samverkan.api.idempotency import expire
from samverkan.core.notify import label
from samverkan.directory.models import Unit
from samverkan.followup.rollup import refresh_due
from samverkan.sip.invitations import send_invitations

from .models import Notification, OutboxItem
from .services import auto_close

BATCH = 500


def worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:64]


def claim(me: str, now) -> list[OutboxItem]:
    ids = list(
        OutboxItem.objects.filter(done_at__isnull=True, claimed_at__isnull=True)
        .order_by("id")
        .values_list("id", flat=True)[:BATCH]
    )
    OutboxItem.objects.filter(id__in=ids, claimed_at__isnull=True).update(
        claimed_by=me, claimed_at=now
    )
    return list(
        OutboxItem.objects.filter(id__in=ids, claimed_by=me, done_at__isnull=True).select_related(
            "unit"
        )
    )


def digest_text(kinds: Counter) -> str:
    """No personal data: only what kinds of events wait, by count."""
    lines = [f"- {count} × {label(kind)}" for kind, count in sorted(kinds.items())]
    return (
        "Nya händelser väntar i Samverkan:\n"
        + "\n".join(lines)
        + "\n\nLogga in för att se och kvittera dem."
    )


def deliver_outbox(now=None) -> int:
    """One pass: claimed outbox rows become in-app notifications; returns how many."""
    now = now or timezone.now()
    items = claim(worker_id(), now)
    with transaction.atomic():
        Notification.objects.bulk_create(
            [
                Notification(
                    unit=i.unit,
                    case_id=i.case_id,
                    link=i.link,
                    kind=i.kind,
                    text=i.text,
                    patient_id=i.patient_id,
                    subject_type=i.subject_type,
                    subject_id=i.subject_id,
                )
                for i in items
            ]
        )
        OutboxItem.objects.filter(id__in=[i.id for i in items]).update(done_at=now)
    return len(items)


def send_digests(now=None) -> int:
    """E-mail each unit's function mailbox once its oldest un-mailed notification is
    DIGEST_MINUTES old; returns how many e-mails were sent."""
    now = now or timezone.now()
    cutoff = now - timedelta(minutes=settings.DIGEST_MINUTES)
    pending = Notification.objects.filter(emailed_at__isnull=True)
    units = set(pending.filter(created_at__lte=cutoff).values_list("unit", flat=True))
    sent = 0
    for unit in Unit.objects.filter(pk__in=units):
        with transaction.atomic():
            mine = pending.select_for_update(skip_locked=True).filter(unit=unit)
            kinds = Counter(mine.values_list("kind", flat=True))
            if kinds and unit.mailbox:
                send_mail(
                    "Samverkan: nya händelser",
                    digest_text(kinds),
                    settings.DEFAULT_FROM_EMAIL,
                    [unit.mailbox],
                )
                sent += 1
            mine.update(emailed_at=now)
    return sent


log = logging.getLogger(__name__)
ROLLUP_MONTHS_PER_PASS = 6  # a first build of years of months must not hold up the notices


def run_once(now=None) -> dict[str, int]:
    """One pass of every job; a job that fails is logged and the others still run (its work
    stays due and is taken up by the next pass)."""
    jobs = {
        "notifications": deliver_outbox,
        "e-mails": send_digests,
        "closed": auto_close,
        "invitations": send_invitations,
        "idempotency keys expired": expire,
        "indicator months": lambda now: refresh_due(now, limit=ROLLUP_MONTHS_PER_PASS),
    }
    return {name: _safely(name, job, now) for name, job in jobs.items()}


def _safely(name: str, job, now) -> int:
    try:
        return job(now)
    except Exception:  # noqa: BLE001 - one failing job must not stop the notices
        log.exception("worker job %s failed", name)
        return 0
