"""Leases for background work: a worker takes rows for WORKER_LEASE_SECONDS; a worker that dies
(kill -9, a lost connection) leaves its lease to expire, and the next pass takes the rows again.
The steps after a claim are idempotent (unique constraints), so a retaken row is done once."""

import os
import socket
import uuid
from datetime import timedelta

from django.conf import settings
from django.db.models import Q


def worker_id() -> str:
    """Unique per pass: a pid may be reused after a crash."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"[:64]


def _free(now) -> Q:
    expired = now - timedelta(seconds=settings.WORKER_LEASE_SECONDS)
    return Q(claimed_at__isnull=True) | Q(claimed_at__lt=expired)


def claim(queryset, me: str, now, limit: int) -> list:
    """Take up to `limit` rows of `queryset` whose lease is free or expired, oldest first."""
    ids = list(queryset.filter(_free(now)).order_by("id").values_list("id", flat=True)[:limit])
    model = queryset.model
    model.objects.filter(id__in=ids).filter(_free(now)).update(claimed_by=me, claimed_at=now)
    return list(queryset.filter(id__in=ids, claimed_by=me).order_by("id"))


def release(obj) -> None:
    type(obj).objects.filter(pk=obj.pk).update(claimed_by="", claimed_at=None)
