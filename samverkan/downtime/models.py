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


class Snapshot(models.Model):
    """One unit's downtime snapshot as of `taken_at`: the items still pending then (for the
    reconciliation list afterwards) and the encrypted PDF (only the unit's newest keeps it)."""

    # Each item in `items` is a dict: {"case": case public_id, "kind": a PENDING_KINDS key,
    # "unit": public_id of the unit that owes it, "ref": public_id of the message or object it
    # concerns or "", "due_at": ISO time or null}.
    PENDING_KINDS = {
        "admission_notice": "Inskrivningsmeddelande att skicka",
        "acknowledgement": "Mottagningskvittens som saknas",
        "sip_call": "SIP att kalla till",
        "discharge": "Utskrivning att registrera",
        "answer": "Svar att lämna",
    }

    unit = models.ForeignKey(
        "directory.Unit", verbose_name="enhet", on_delete=models.CASCADE, related_name="+"
    )
    taken_at = models.DateTimeField("uppgifter per")
    last_event_at = models.DateTimeField("senaste händelse", null=True, blank=True)
    items = models.JSONField("väntande", default=list)
    pdf = models.BinaryField("krypterad pdf", null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-taken_at"]
        verbose_name = "reservrutinsutdrag"
        verbose_name_plural = "reservrutinsutdrag"
        indexes = [models.Index(fields=["unit", "-taken_at"], name="snapshot_unit_taken")]

    def __str__(self):
        return f"{self.unit} {timezone.localtime(self.taken_at):%Y-%m-%d %H:%M}"

    @classmethod
    def latest_before(cls, unit, at):
        """The snapshot the unit had on the ward at `at` (the last taken before it), or None."""
        return cls.objects.filter(unit=unit, taken_at__lte=at).first()
