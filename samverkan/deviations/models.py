"""The shared register of deviations between principals: one row per deviation, its managed
categories and its state history. Both sides read the same row, so they see one truth."""

import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

USER = settings.AUTH_USER_MODEL
UNIT = "directory.Unit"


class Category(models.Model):
    """A managed deviation category; a sub-reason has a parent (e.g. the joint routines)."""

    code = models.SlugField("kod", max_length=40, unique=True)
    name = models.CharField("namn", max_length=120)
    parent = models.ForeignKey(
        "self",
        verbose_name="huvudkategori",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    position = models.PositiveSmallIntegerField("ordning", default=0)
    active = models.BooleanField("aktiv", default=True)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = "avvikelsekategori"
        verbose_name_plural = "avvikelsekategorier"

    def __str__(self):
        return f"{self.parent.name}: {self.name}" if self.parent_id else self.name

    @property
    def main(self) -> "Category":
        """The top-level category the analysis counts this one under."""
        return self.parent if self.parent_id else self


class Deviation(models.Model):
    """One deviation reported by a unit of one principal to another principal."""

    class State(models.TextChoices):
        RECEIVED = "received", "Mottagen, ska fördelas"
        ASSIGNED = "assigned", "Under utredning"
        ANSWERED = "answered", "Återkopplad"
        CLOSED = "closed", "Avslutad"
        RETURNED = "returned", "Returnerad som felskickad"

    class Direction(models.TextChoices):
        MUNICIPALITY_TO_REGION = "municipality_region", "Kommun → region"
        REGION_TO_MUNICIPALITY = "region_municipality", "Region → kommun"
        MUNICIPALITY_TO_MUNICIPALITY = "municipality_municipality", "Kommun → kommun"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    reporter_unit = models.ForeignKey(UNIT, on_delete=models.PROTECT, related_name="+")
    reported_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    from_principal = models.ForeignKey(
        "directory.Principal", on_delete=models.PROTECT, related_name="+"
    )
    to_principal = models.ForeignKey(
        "directory.Principal", on_delete=models.PROTECT, related_name="+"
    )
    direction = models.CharField(max_length=30, choices=Direction.choices)
    responsible_unit = models.ForeignKey(
        UNIT, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # At most one link, a LOS case or a SIP; it gives the patient and decides who sees them.
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="deviations"
    )
    sip = models.ForeignKey(
        "sip.Sip", null=True, blank=True, on_delete=models.PROTECT, related_name="deviations"
    )
    patient = models.ForeignKey(
        "patients.Patient", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reported_category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="+")
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="+")
    occurred_at = models.DateTimeField()
    description = models.TextField()
    suggested_action = models.TextField(blank=True)
    state = models.CharField(max_length=20, choices=State.choices, default=State.RECEIVED)
    reported_at = models.DateTimeField()  # received: the register is shared, so the same moment
    feedback_due_at = models.DateTimeField()  # the first feedback's deadline; never moves
    due_at = models.DateTimeField()  # what the responsible unit works to now
    assigned_at = models.DateTimeField(null=True, blank=True)
    feedback_at = models.DateTimeField(null=True, blank=True)  # the first feedback
    closed_at = models.DateTimeField(null=True, blank=True)
    returned_at = models.DateTimeField(null=True, blank=True)
    return_reason = models.CharField(max_length=300, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-reported_at", "-id"]
        indexes = [
            models.Index(fields=["reported_at", "direction"], name="deviation_period"),
            models.Index(fields=["reporter_unit", "state"], name="deviation_reporter"),
            models.Index(fields=["responsible_unit", "state"], name="deviation_responsible"),
            models.Index(fields=["to_principal", "state"], name="deviation_receiver"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(from_principal=models.F("to_principal")),
                name="deviation_between_principals",
            ),
            models.CheckConstraint(condition=Q(case=None) | Q(sip=None), name="deviation_one_link"),
        ]

    def __str__(self):
        return f"Avvikelse {self.short_id}"

    @property
    def short_id(self) -> str:
        return str(self.public_id)[:8].upper()

    @property
    def is_open(self) -> bool:
        return self.state in (self.State.RECEIVED, self.State.ASSIGNED)

    def is_overdue(self, now) -> bool:
        """Awaiting feedback after the deadline."""
        return self.is_open and now > self.due_at

    def days_to_feedback(self) -> int | None:
        """Calendar days (Swedish time) from received to the first feedback."""
        if not self.feedback_at:
            return None
        return (timezone.localdate(self.feedback_at) - timezone.localdate(self.reported_at)).days


def ensure_categories() -> None:
    """The initial list (migration 0002) again, where a flushed database lost it (tests)."""
    from importlib import import_module

    from django.apps import apps

    import_module("samverkan.deviations.migrations.0002_categories").seed(apps, None)


def feedback_deadline(start):
    return start + timedelta(days=settings.DEVIATION_FEEDBACK_DAYS)


class Event(models.Model):
    """One step in a deviation's history: who did what, when, with its text."""

    class Kind(models.TextChoices):
        REPORTED = "reported", "Rapporterad"
        ASSIGNED = "assigned", "Fördelad"
        RECATEGORISED = "recategorised", "Omkategoriserad"
        RETURNED = "returned", "Returnerad som felskickad"
        FEEDBACK = "feedback", "Återkoppling"
        MORE_REQUESTED = "more_requested", "Begäran om mer återkoppling"
        ACKNOWLEDGED = "acknowledged", "Återkopplingen godtagen"

    deviation = models.ForeignKey(Deviation, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    at = models.DateTimeField()
    unit = models.ForeignKey(UNIT, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    state = models.CharField(max_length=20, choices=Deviation.State.choices)  # after the step
    text = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d %H:%M}"


NOTIFICATION_KINDS = {  # what a deviation notifies (DeviationsConfig.notification_kinds)
    "deviation_received": "Ny avvikelse att fördela",
    "deviation_assigned": "Avvikelse att återkoppla",
    "deviation_feedback": "Återkoppling på avvikelse",
    "deviation_more": "Avvikelse: mer återkoppling begärd",
    "deviation_returned": "Avvikelse returnerad",
    "deviation_closed": "Avvikelse avslutad",
}
