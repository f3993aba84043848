"""Min plan's own records: the person's consent that a next of kin reads the plan, and staff's
release (or holding back) of each item shown there."""

import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from samverkan.audit.models import ACTIONS
from samverkan.lib.identity import last_birth_date
from samverkan.lib.limits import NAME_MAX
from samverkan.sip.models import Consent

USER = settings.AUTH_USER_MODEL
RELATION_MAX = 60


class ShareQuerySet(models.QuerySet):
    def active(self, now):
        """Given, not revoked; a guardian's only while the child is under 18 (SIP's rule), to
        the Swedish day."""
        from samverkan.sip.services import MINOR_AGE  # services import models: here, not on top

        adult_born = last_birth_date(MINOR_AGE, timezone.localdate(now))
        guardian_ok = Q(given_by=Consent.GivenBy.PERSON) | Q(patient__birth_date__gt=adult_born)
        return self.filter(guardian_ok, revoked_at=None, valid_from__lte=now)


class Share(models.Model):
    """The person's recorded, dated, revocable consent that one named person (next of kin, or
    a child's guardian) reads Min plan with their own e-ID."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    patient = models.ForeignKey("patients.Patient", on_delete=models.CASCADE, related_name="+")
    reader_identity = models.CharField("personnummer", max_length=12)
    reader_name = models.CharField("namn", max_length=NAME_MAX)
    relation = models.CharField("relation", max_length=RELATION_MAX)
    given_by = models.CharField(max_length=10, choices=Consent.GivenBy.choices)
    valid_from = models.DateTimeField("från")
    recorded_by = models.ForeignKey(  # staff who recorded it; empty: the person in Min plan
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        "directory.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ShareQuerySet.as_manager()

    class Meta:
        ordering = ["valid_from", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["patient", "reader_identity"],
                condition=Q(revoked_at=None),
                name="one_active_share",
            )
        ]
        indexes = [models.Index(fields=["reader_identity"], name="share_reader")]

    def __str__(self):
        return f"{self.reader_name} ({self.relation})"


class Release(models.Model):
    """Staff's decision on one item of Min plan: released before the default delay, or held
    back after a harm assessment (menprövning, OSL 25 kap 6 §). No row: the delay applies."""

    class Kind(models.TextChoices):
        PLAN = "plan", "SIP-plan"
        MEETING = "meeting", "SIP-möte"
        CARE_CONTACT = "care_contact", "Fast vårdkontakt"
        DISCHARGE = "discharge", "Utskrivning"

    patient = models.ForeignKey("patients.Patient", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    key = models.CharField(max_length=80)  # the item's public id (a plan: SIP id and number)
    held_back = models.BooleanField(default=False)
    reason = models.CharField(max_length=500, blank=True)
    decided_at = models.DateTimeField()
    decided_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey("directory.Unit", on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "key"], name="one_release")]

    def __str__(self):
        return f"{self.get_kind_display()} {'innehållen' if self.held_back else 'släppt'}"


def release_due(written_at):
    """When an item no staff decided on reaches Min plan (MY_PLAN_RELEASE_DAYS)."""
    return written_at + timedelta(days=settings.MY_PLAN_RELEASE_DAYS)


ACTIONS.update(
    {
        "myplan.login": "Inloggning i Min plan (e-legitimation)",
        "myplan.login_refused": "Inloggning i Min plan nekad",
        "myplan.logout": "Utloggning ur Min plan",
        "myplan.read": "Läsning av Min plan",
        "myplan.receipt.read": "Trygghetskvitto (PDF)",
        "myplan.log.read": "Läsning av vem som läst Min plan",
        "myplan.list": "Person visad i Min plans lista över delade planer",
        "myplan.release": "Post i Min plan släppt",
        "myplan.hold_back": "Post i Min plan innehållen (menprövning)",
        "myplan.share": "Samtycke: närstående får läsa Min plan",
        "myplan.share_revoke": "Samtycke till Min plan återkallat",
    }
)
