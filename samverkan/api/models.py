"""API tokens (per user or integration account, tied to one membership) and idempotency keys."""

import hashlib
import secrets

from django.db import models


def digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


class ApiToken(models.Model):
    """A bearer token acting as one membership (user + unit + role); only its hash is stored."""

    name = models.CharField("namn", max_length=100)
    membership = models.ForeignKey(
        "directory.Membership", on_delete=models.CASCADE, related_name="api_tokens"
    )
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "API-nyckel"
        verbose_name_plural = "API-nycklar"

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @classmethod
    def issue(cls, membership, name: str) -> tuple["ApiToken", str]:
        """Create a token; the plain key is returned once and never stored."""
        key = "sv_" + secrets.token_urlsafe(32)
        token = cls.objects.create(
            name=name, membership=membership, key_hash=digest(key), prefix=key[:8]
        )
        return token, key


class IdempotencyRecord(models.Model):
    """The first result of a write with a given Idempotency-Key: its status and the address of
    what it showed, never the body (no personal data is kept)."""

    scope = models.CharField(max_length=64)  # keyed hash of the credentials that sent it
    key = models.CharField(max_length=200)
    fingerprint = models.CharField(max_length=64)  # keyed hash of method, path and body
    status = models.PositiveSmallIntegerField(default=0)
    resource = models.CharField(max_length=200, blank=True)  # read again on a replay
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["scope", "key"], name="one_result_per_key")]
        indexes = [models.Index(fields=["created_at"], name="idempotency_created")]

    def __str__(self):
        return f"{self.key} → {self.status}"
