"""A declared downtime: a period, its scope and who declared it."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone


class DowntimeQuerySet(models.QuerySet):
    def active(self, now=None):
        now = now or timezone.now()
        return self.filter(starts_at__lte=now).filter(
            models.Q(ends_at__isnull=True) | models.Q(ends_at__gt=now)
        )

    def covering(self, principals, now=None):
        """Active and either system-wide or for one of these principals."""
        scope = models.Q(principal__isnull=True) | models.Q(principal__in=principals)
        return self.active(now).filter(scope)


class Downtime(models.Model):
    """Samverkan or the identity provider is down; declared by a system admin in /admin/."""

    starts_at = models.DateTimeField("från")
    ends_at = models.DateTimeField("till", null=True, blank=True, help_text="Tomt: pågår.")
    principal = models.ForeignKey(
        "directory.Principal",
        verbose_name="gäller huvudman",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text="Tomt: gäller alla.",
    )
    reason = models.CharField("orsak", max_length=200)
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="utlyst av",
        on_delete=models.PROTECT,
        related_name="+",
    )
    declared_at = models.DateTimeField("utlyst", auto_now_add=True)

    objects = DowntimeQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at"]
        verbose_name = "driftstopp"
        verbose_name_plural = "driftstopp"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__isnull=True)
                | models.Q(ends_at__gt=models.F("starts_at")),
                name="downtime_ends_after_start",
            )
        ]

    def __str__(self):
        return f"{self.reason} ({timezone.localtime(self.starts_at):%Y-%m-%d %H:%M})"

    def clean(self):
        if self.ends_at and self.starts_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": "Slutet måste vara efter början."})
