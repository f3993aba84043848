"""Declared downtime, the units' downtime snapshots, their passphrases and downtime PCs."""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

FORM_NUMBER_MAX = 40  # the number printed on a paper form
PERSON_MAX = 120  # a name or a unit as said on the phone


class DowntimeQuerySet(models.QuerySet):
    def active(self, now=None):
        now = now or timezone.now()
        return self.filter(starts_at__lte=now).filter(Q(ends_at__isnull=True) | Q(ends_at__gt=now))

    def of_identity_provider(self, now=None):
        """Active downtimes of the identity provider: when emergency accounts may log in."""
        return self.active(now).filter(scope=Downtime.Scope.IDP)

    def covering_unit(self, unit):
        """Downtimes that concern a unit: everything, the identity provider, its principal or
        the unit itself (any time; filter by time on top)."""
        return self.filter(
            Q(scope__in=[Downtime.Scope.ALL, Downtime.Scope.IDP])
            | Q(scope=Downtime.Scope.PRINCIPAL, principal_id=unit.principal_id)
            | Q(scope=Downtime.Scope.UNIT, unit_id=unit.pk)
        )


class Downtime(models.Model):
    """Samverkan, the network or the identity provider is (or will be) down; declared by a
    system admin on /driftstopp/ (or in /admin/)."""

    class Scope(models.TextChoices):
        ALL = "all", "Hela Samverkan"
        UNIT = "unit", "En enhet"
        PRINCIPAL = "principal", "En huvudman"
        IDP = "idp", "Inloggningstjänsten (identitetsleverantören)"

    starts_at = models.DateTimeField("från")
    ends_at = models.DateTimeField("till", null=True, blank=True, help_text="Tomt: pågår.")
    scope = models.CharField("gäller", max_length=10, choices=Scope.choices, default=Scope.ALL)
    principal = models.ForeignKey(
        "directory.Principal",
        verbose_name="gäller huvudman",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text="Bara när driftstoppet gäller en huvudman.",
    )
    unit = models.ForeignKey(
        "directory.Unit",
        verbose_name="gäller enhet",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Bara när driftstoppet gäller en enhet.",
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
                condition=Q(ends_at__isnull=True) | Q(ends_at__gt=models.F("starts_at")),
                name="downtime_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(scope="principal", principal__isnull=False, unit__isnull=True)
                | Q(scope="unit", unit__isnull=False, principal__isnull=True)
                | Q(scope__in=["all", "idp"], unit__isnull=True, principal__isnull=True),
                name="downtime_scope_target",
            ),
        ]

    def __str__(self):
        return f"{self.reason} ({timezone.localtime(self.starts_at):%Y-%m-%d %H:%M})"

    @property
    def scope_label(self) -> str:
        target = self.principal or self.unit
        return f"{self.get_scope_display()}: {target}" if target else self.get_scope_display()

    def clean(self):
        if self.ends_at and self.starts_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": "Slutet måste vara efter början."})
        if self.scope == self.Scope.PRINCIPAL and not self.principal_id:
            raise ValidationError({"principal": "Välj huvudman."})
        if self.scope == self.Scope.UNIT and not self.unit_id:
            raise ValidationError({"unit": "Välj enhet."})
        if self.scope != self.Scope.PRINCIPAL:
            self.principal = None
        if self.scope != self.Scope.UNIT:
            self.unit = None


class Snapshot(models.Model):
    """One unit's downtime snapshot as of `taken_at`: the items still pending then (for the
    reconciliation list afterwards) and the encrypted PDF (only the unit's newest keeps it)."""

    # Each item in `items` is a dict: {"case": case public_id, "kind": a PENDING_KINDS key,
    # "unit": public_id of the unit that owes it, "ref": public_id of the message or object it
    # concerns or "", "due_at": ISO time or null}. Items cover every open case the unit takes
    # part in, also what other units owe in them (filter on "unit" for the unit's own).
    PENDING_KINDS = {
        "admission_notice": "Inskrivningsmeddelande att skicka",
        "acknowledgement": "Mottagningskvittens som saknas",
        "sip_call": "SIP att kalla till",
        "discharge": "Utskrivning att registrera",
        "answer": "Svar att lämna",
    }

    class Reason(models.TextChoices):
        CHECK_TIME = "check_time", "Avstämningstid"
        ON_DEMAND = "on_demand", "På begäran"
        PLANNED_STOP = "planned_stop", "Före planerat driftstopp"

    unit = models.ForeignKey(
        "directory.Unit", verbose_name="enhet", on_delete=models.CASCADE, related_name="+"
    )
    taken_at = models.DateTimeField("uppgifter per")
    last_event_at = models.DateTimeField("senaste händelse", null=True, blank=True)
    items = models.JSONField("väntande", default=list)
    pdf = models.BinaryField("krypterad pdf", null=True, blank=True, editable=False)
    reason = models.CharField(
        "anledning", max_length=20, choices=Reason.choices, default=Reason.ON_DEMAND
    )
    people = models.JSONField("personer", default=list)  # patient ids in the PDF: the fetch audit
    cases = models.PositiveIntegerField("ärenden", default=0)

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


class SnapshotRun(models.Model):
    """One unit's snapshot due at one check time: leased by a worker, done once (unique)."""

    unit = models.ForeignKey("directory.Unit", on_delete=models.CASCADE, related_name="+")
    due_at = models.DateTimeField()
    reason = models.CharField(max_length=20, default="check_time")  # Snapshot.Reason
    claimed_by = models.CharField(max_length=64, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    snapshot = models.ForeignKey(Snapshot, null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["unit", "due_at"], name="one_snapshot_per_check_time")
        ]
        indexes = [
            models.Index(fields=["due_at"], name="snapshotrun_open", condition=Q(done_at=None))
        ]

    def __str__(self):
        return f"{self.unit_id} {self.due_at:%Y-%m-%d %H:%M}"


class Passphrase(models.Model):
    """A unit's downtime passphrase, encrypted with the server's key (downtime.secrets): the
    server can encrypt the PDF with it, a database dump alone cannot read it."""

    unit = models.OneToOneField(
        "directory.Unit", on_delete=models.CASCADE, related_name="downtime_passphrase"
    )
    sealed = models.BinaryField()
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField()

    def __str__(self):
        return f"Lösenfras för {self.unit_id}"


class DowntimePC(models.Model):
    """A registered downtime PC of a unit: fetches the unit's newest encrypted snapshot with
    its device token (only the token's hash is stored)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    unit = models.ForeignKey(
        "directory.Unit", on_delete=models.CASCADE, related_name="downtime_pcs"
    )
    name = models.CharField("namn", max_length=80)
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_fetch_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "reservdator"
        verbose_name_plural = "reservdatorer"

    def __str__(self):
        return self.name


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
