"""The worker's notification jobs: deliver the outbox as in-app notifications, and prepare and
send each unit's e-mail digest. Several workers may run and any may die: rows are leased
(core.leases), each step is idempotent, and one unit's failure never holds up another's."""

from collections import Counter
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from samverkan.core import faults
from samverkan.core.leases import claim, worker_id
from samverkan.core.mailing import EmailMessage, send_each

from .kinds import label
from .models import Digest, Notification, OutboxItem

BATCH = 500


def deliver_outbox(now=None) -> int:
    """One pass: leased outbox rows become in-app notifications, each exactly once (the
    notification's unique `outbox_id`); a dead worker's rows are retaken after the lease."""
    now = now or timezone.now()
    items = claim(OutboxItem.objects.filter(done_at__isnull=True), worker_id(), now, BATCH)
    faults.point("outbox.claimed")
    with transaction.atomic():
        Notification.objects.bulk_create(
            [Notification(unit_id=i.unit_id, outbox_id=i.id, **i.notice()) for i in items],
            ignore_conflicts=True,
        )
        faults.point("outbox.notified")
        OutboxItem.objects.filter(id__in=[i.id for i in items]).update(done_at=now)
    return len(items)


def digest_text(kinds: Counter) -> str:
    """No personal data: only what kinds of events wait, by count."""
    lines = [f"- {count} × {label(kind)}" for kind, count in sorted(kinds.items())]
    return (
        "Nya händelser väntar i Samverkan:\n"
        + "\n".join(lines)
        + "\n\nLogga in för att se och kvittera dem."
    )


def prepare_digests(now) -> int:
    """Record a digest for each unit with a mailbox whose oldest unmailed notification is
    DIGEST_MINUTES old; each unit in its own transaction, locked rows skipped (no deadlock
    between workers), so a notification is in one digest at most."""
    cutoff = now - timedelta(minutes=settings.DIGEST_MINUTES)
    waiting = Notification.objects.filter(digest__isnull=True, emailed_at__isnull=True)
    units = waiting.filter(created_at__lte=cutoff).exclude(unit__mailbox="")
    made = 0
    for unit_id in sorted(set(units.values_list("unit_id", flat=True))):
        with transaction.atomic():
            mine = list(
                waiting.select_for_update(skip_locked=True)
                .filter(unit_id=unit_id)
                .values_list("id", "kind")
            )
            if not mine:
                continue
            digest = Digest.objects.create(
                unit_id=unit_id, body=digest_text(Counter(k for _i, k in mine))
            )
            Notification.objects.filter(id__in=[i for i, _k in mine], digest=None).update(
                digest=digest
            )
            made += 1
    return made


def _digest_mail(digest: Digest) -> EmailMessage:
    return EmailMessage(
        "Samverkan: nya händelser", digest.body, settings.DEFAULT_FROM_EMAIL, [digest.unit.mailbox]
    )


def _mark_mailed(digest: Digest) -> None:
    Notification.objects.filter(digest=digest).update(emailed_at=timezone.now())


def send_digests(now=None) -> int:
    """Record the due digests, then send each on its own; returns how many were sent."""
    now = now or timezone.now()
    prepare_digests(now)
    digests = Digest.objects.select_related("unit")
    return send_each(digests, _digest_mail, worker_id(), now, BATCH, on_sent=_mark_mailed)
