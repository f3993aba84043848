"""A declared downtime: a period, its scope and who declared it."""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

FORM_NUMBER_MAX = 40  # the number printed on a paper form
PERSON_MAX = 120  # a name or a unit as said on the phone


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


class BackEntry(models.Model):
    """Something that happened on paper or by phone during a downtime, registered afterwards:
    its true time, its source and who phoned whom. The service it ran made the event itself
    (the message, the receipt); the entry is its provenance and is kept so that the entries of
    a case can be (re)applied in the order they happened, whatever order they were entered in."""

    class Kind(models.TextChoices):
        ADMISSION_NOTICE = "admission_notice", "Inskrivningsmeddelande"
        ACKNOWLEDGEMENT = "acknowledgement", "Mottagningskvittens"
        READY = "ready", "Utskrivningsklar"
        READY_RETRACTED = "ready_retracted", "Inte längre utskrivningsklar"
        DISCHARGE = "discharge", "Utskrivning med information vid utskrivning"
        ANSWER = "answer", "Svar på fråga"

    class Source(models.TextChoices):
        PHONE = "telefon", "Telefon"
        PAPER = "pappersblankett", "Pappersblankett"
        OTHER = "annat", "Annat"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(
        "cases.Case", verbose_name="ärende", on_delete=models.CASCADE, related_name="back_entries"
    )
    kind = models.CharField("händelse", max_length=30, choices=Kind.choices)
    occurred_at = models.DateTimeField("inträffade")
    entered_at = models.DateTimeField("efterregistrerad")
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey("directory.Unit", on_delete=models.PROTECT, related_name="+")
    source = models.CharField("källa", max_length=20, choices=Source.choices)
    form_number = models.CharField("blankettnummer", max_length=FORM_NUMBER_MAX, blank=True)
    caller_name = models.CharField("vem ringde", max_length=PERSON_MAX, blank=True)
    caller_unit = models.CharField("från enhet", max_length=PERSON_MAX, blank=True)
    callee_name = models.CharField("till vem", max_length=PERSON_MAX, blank=True)
    callee_unit = models.CharField("på enhet", max_length=PERSON_MAX, blank=True)
    values = models.JSONField("uppgifter", default=dict, blank=True)  # the service's arguments
    message = models.ForeignKey(
        "cases.Message",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="back_entries",
    )
    delivery = models.ForeignKey(
        "cases.Delivery", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    applied = models.BooleanField("tillämpad", default=False)
    waiting = models.CharField("väntar på", max_length=300, blank=True)
    before = models.JSONField(null=True, blank=True, editable=False)  # rewind.image before it

    class Meta:
        ordering = ["occurred_at", "entered_at", "id"]
        verbose_name = "efterregistrering"
        verbose_name_plural = "efterregistreringar"
        indexes = [models.Index(fields=["case", "occurred_at"], name="backentry_case_time")]

    def __str__(self):
        return f"{self.get_kind_display()} {timezone.localtime(self.occurred_at):%Y-%m-%d %H:%M}"

    @property
    def source_text(self) -> str:
        """The source as the history shows it: "telefon", "pappersblankett nr 12"."""
        number = f" nr {self.form_number}" if self.form_number else ""
        return f"{self.get_source_display().lower()}{number}"

    @property
    def call_text(self) -> str:
        """Who phoned whom, as far as given."""
        caller = ", ".join(v for v in (self.caller_name, self.caller_unit) if v)
        callee = ", ".join(v for v in (self.callee_name, self.callee_unit) if v)
        return f"{caller} → {callee}" if caller and callee else caller or callee
