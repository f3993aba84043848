"""E-mail as background work: each message (a digest, an invitation) is its own unit of work,
prepared and recorded with a Message-ID before it is sent, sent under a lease, retried with
backoff, and marked failed after MAIL_MAX_ATTEMPTS. Delivery is at-least-once: a worker that
dies after the server accepted a message sends it again with the same Message-ID, so the
receiving side can tell. One failure never holds up another message; the SMTP connection has
a timeout (EMAIL_TIMEOUT)."""

import logging
from datetime import timedelta
from email.utils import make_msgid

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import models, transaction
from django.db.models import Q

from . import faults
from .leases import claim, release

log = logging.getLogger(__name__)


def new_message_id() -> str:
    return make_msgid(domain="samverkan")


class Outgoing(models.Model):
    """What every queued e-mail keeps: its Message-ID, attempts, backoff and lease."""

    message_id = models.CharField(max_length=200, default=new_message_id)
    emailed_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    failed_at = models.DateTimeField(null=True, blank=True)
    claimed_by = models.CharField(max_length=64, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True


def due(queryset, now):
    """Unsent, not given up, and past its backoff."""
    waiting = Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    return queryset.filter(waiting, emailed_at__isnull=True, failed_at__isnull=True)


def backoff(attempts: int) -> timedelta:
    """1, 2, 4, 8 … minutes, at most a day."""
    return timedelta(minutes=min(2 ** (attempts - 1), 24 * 60))


def send_each(queryset, build, me: str, now, limit: int, *, on_sent=None, on_failed=None) -> int:
    """Send every due message of `queryset`, each on its own; returns how many went out.
    `build(row)` makes the EmailMessage; `on_sent(row)` runs in the transaction that marks it
    sent, `on_failed(row)` in the one that gives it up."""
    sent = 0
    connection = get_connection(timeout=settings.EMAIL_TIMEOUT)
    for row in claim(due(queryset, now), me, now, limit):
        try:
            message = build(row)
            message.extra_headers["Message-ID"] = row.message_id
            message.connection = connection
            message.send()
        except Exception as error:  # noqa: BLE001 - any failure is this message's alone
            connection.close()  # a refused or timed-out session starts afresh for the next
            _failed(row, error, now, on_failed)
            continue
        faults.point("mail.sent")
        with transaction.atomic():
            type(row).objects.filter(pk=row.pk).update(
                emailed_at=now, claimed_by="", claimed_at=None, last_error=""
            )
            if on_sent:
                on_sent(row)
        sent += 1
    return sent


def _failed(row, error, now, on_failed) -> None:
    log.warning("e-mail %s failed: %s", row.message_id, error)
    attempts = row.attempts + 1
    given_up = attempts >= settings.MAIL_MAX_ATTEMPTS
    with transaction.atomic():
        type(row).objects.filter(pk=row.pk).update(
            attempts=attempts,
            next_attempt_at=now + backoff(attempts),
            last_error=str(error)[:300],
            failed_at=now if given_up else None,
        )
        if given_up and on_failed:
            on_failed(row)
    release(row)


__all__ = ["EmailMessage", "Outgoing", "due", "new_message_id", "send_each"]
