"""The coordinated individual plan (SIP): the plan's people, consent and harm assessments,
meetings with invitations, plan versions with acknowledgements, follow-ups."""

import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q

from samverkan.audit.models import ACTIONS
from samverkan.core.mailing import Outgoing
from samverkan.lib.weblinks import is_web_link

USER = settings.AUTH_USER_MODEL
UNIT = "directory.Unit"


class Sip(models.Model):
    class State(models.TextChoices):
        STARTED = "started", "Påbörjad"
        PLANNED = "planned", "Plan upprättad"
        CLOSED = "closed", "Avslutad"

    class Kind(models.TextChoices):
        IN_HOSPITAL = "in_hospital", "Under sjukhusvistelse"
        AFTER_DISCHARGE = "after_discharge", "Efter utskrivning"
        PREVENTIVE = "preventive", "Förebyggande"

    class TargetGroup(models.TextChoices):
        ELDERLY = "elderly", "Äldre"
        ADULT_PSYCHIATRY = "adult_psychiatry", "Vuxna med psykisk ohälsa"
        ADDICTION = "addiction", "Missbruk och beroende"
        CHILDREN = "children", "Barn och unga"
        OTHER = "other", "Annan"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    patient = models.ForeignKey("patients.Patient", on_delete=models.PROTECT, related_name="sips")
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="sips"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    target_group = models.CharField(max_length=20, choices=TargetGroup.choices)
    state = models.CharField(max_length=10, choices=State.choices, default=State.STARTED)
    initiating_unit = models.ForeignKey(UNIT, on_delete=models.PROTECT, related_name="+")
    started_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField()
    need_seen_by = models.CharField(max_length=200)
    need = models.TextField()
    preventive_signs = models.JSONField(default=list, blank=True)
    # the current plan version, copied for lists and worklists
    plan_number = models.PositiveIntegerField(default=0)
    lead_principal = models.ForeignKey(
        "directory.Principal", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    follow_up_date = models.DateField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    close_reason = models.CharField(max_length=200, blank=True)
    quality = models.JSONField(default=dict, blank=True)  # the checklist when closed
    quality_score = models.PositiveSmallIntegerField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-started_at"]
        indexes = [
            models.Index(
                fields=["follow_up_date"], name="sip_follow_up", condition=~Q(state="closed")
            ),
            models.Index(fields=["initiating_unit", "state"], name="sip_initiator_state"),
            models.Index(fields=["created_at"], name="sip_created"),  # the indicators' rollup
        ]

    def __str__(self):
        return f"SIP {self.short_id} ({self.get_state_display()})"

    @property
    def short_id(self) -> str:
        return str(self.public_id)[:8].upper()

    @property
    def is_open(self) -> bool:
        return self.state != self.State.CLOSED


class SipParticipant(models.Model):
    """A unit, an outside party (school, Försäkringskassan, …), the person or next of kin."""

    class Kind(models.TextChoices):
        UNIT = "unit", "Enhet"
        OUTSIDE = "outside", "Extern part"
        PERSON = "person", "Personen själv"
        NEXT_OF_KIN = "next_of_kin", "Närstående"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sip = models.ForeignKey(Sip, on_delete=models.CASCADE, related_name="participants")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    unit = models.ForeignKey(
        UNIT, null=True, blank=True, on_delete=models.PROTECT, related_name="sip_participations"
    )
    organisation = models.CharField(max_length=120, blank=True)  # outside parties
    name = models.CharField(max_length=120, blank=True)  # contact person or the person's name
    role = models.CharField(max_length=120, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    active = models.BooleanField(default=True)
    responsible = models.BooleanField(default=False)  # owns an action in the current plan
    added_at = models.DateTimeField(auto_now_add=True)
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["added_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["sip", "unit"], condition=Q(unit__isnull=False), name="one_sip_unit"
            )
        ]
        indexes = [
            models.Index(fields=["unit", "sip"], name="sip_part_unit", condition=Q(active=True))
        ]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        if self.kind == self.Kind.UNIT:
            return self.unit.name
        if self.kind == self.Kind.OUTSIDE:
            return f"{self.organisation} ({self.name})" if self.name else self.organisation
        return (
            f"{self.name} ({self.get_kind_display().lower()})"
            if self.name
            else self.get_kind_display()
        )

    @property
    def organisation_name(self) -> str:
        """The organisation an action's owner belongs to."""
        if self.kind == self.Kind.UNIT:
            return self.unit.principal.name
        return self.organisation or self.get_kind_display()


class Consent(models.Model):
    """Consent to share between named organisations: specific, time-limited, revocable."""

    class GivenBy(models.TextChoices):
        PERSON = "person", "Personen själv"
        GUARDIAN = "guardian", "Vårdnadshavare"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sip = models.ForeignKey(Sip, on_delete=models.CASCADE, related_name="consents")
    given_by = models.CharField(max_length=10, choices=GivenBy.choices)
    guardian_name = models.CharField(max_length=200, blank=True)
    principals = models.ManyToManyField("directory.Principal", related_name="+")
    outside_parties = models.JSONField(default=list, blank=True)  # organisation names
    given_at = models.DateTimeField()
    valid_until = models.DateField()
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(UNIT, on_delete=models.PROTECT, related_name="+")
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["given_at", "id"]

    def __str__(self):
        return f"Samtycke {self.given_at:%Y-%m-%d}"

    def valid_on(self, day) -> bool:
        return self.revoked_at is None and self.given_at.date() <= day <= self.valid_until


class HarmAssessment(models.Model):
    """Menprövning: may information go to this principal without consent, and why."""

    sip = models.ForeignKey(Sip, on_delete=models.CASCADE, related_name="harm_assessments")
    principal = models.ForeignKey("directory.Principal", on_delete=models.PROTECT, related_name="+")
    may_share = models.BooleanField()
    reason = models.TextField()
    decided_at = models.DateTimeField()
    decided_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(UNIT, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["decided_at", "id"]

    def __str__(self):
        return f"Menprövning {self.decided_at:%Y-%m-%d}"


class Meeting(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sip = models.ForeignKey(Sip, on_delete=models.CASCADE, related_name="meetings")
    starts_at = models.DateTimeField()
    minutes = models.PositiveSmallIntegerField(default=60)
    place = models.CharField(max_length=200, blank=True)
    link = models.URLField(blank=True)
    note = models.TextField(blank=True)
    called_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(UNIT, on_delete=models.PROTECT, related_name="+")
    called_at = models.DateTimeField()
    held_at = models.DateTimeField(null=True, blank=True)
    person_attended = models.BooleanField(null=True)

    class Meta:
        ordering = ["starts_at", "id"]

    def __str__(self):
        return f"SIP-möte {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def ends_at(self):
        return self.starts_at + timedelta(minutes=self.minutes)

    @property
    def web_link(self) -> str:
        """The link if it is a web link; a value stored before the rule is never shown as one."""
        return self.link if is_web_link(self.link) else ""


class Invitation(Outgoing):
    """A meeting's invitation to one participant; e-mailed with a calendar file by the worker,
    each on its own (core.mailing)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="invitations")
    participant = models.ForeignKey(SipParticipant, on_delete=models.CASCADE, related_name="+")
    email = models.EmailField(blank=True)
    sent_at = models.DateTimeField()
    attended = models.BooleanField(null=True)

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(fields=["id"], name="invitation_unmailed", condition=Q(emailed_at=None))
        ]

    def __str__(self):
        return f"Kallelse till {self.participant}"


class PlanVersion(models.Model):
    """One saved version of the plan; never changed once written."""

    sip = models.ForeignKey(Sip, on_delete=models.CASCADE, related_name="plans")
    number = models.PositiveIntegerField()
    content = models.JSONField()
    note = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(UNIT, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["sip", "number"], name="one_plan_number"),
        ]

    def __str__(self):
        return f"Plan version {self.number}"


class PlanAcknowledgement(models.Model):
    """A participating unit's acknowledgement of a plan version."""

    plan = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="acks")
    unit = models.ForeignKey(UNIT, on_delete=models.PROTECT, related_name="+")
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["plan", "unit"], name="one_plan_ack")]
        indexes = [
            models.Index(fields=["unit"], name="plan_ack_open", condition=Q(acknowledged_at=None))
        ]

    def __str__(self):
        return f"{self.plan} – {self.unit}"


class FollowUp(models.Model):
    sip = models.ForeignKey(Sip, on_delete=models.CASCADE, related_name="follow_ups")
    held_on = models.DateField()
    notes = models.TextField()
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(UNIT, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["held_on", "id"]

    def __str__(self):
        return f"Uppföljning {self.held_on}"


NOTIFICATION_KINDS = {  # what a SIP notifies (SipConfig.notification_kinds)
    "sip_started": "SIP påbörjad",
    "sip_invitation": "Kallelse till SIP-möte",
    "sip_invitation_failed": "Kallelse kunde inte skickas",
    "sip_plan": "Ny version av SIP att kvittera",
    "sip_consent_revoked": "Samtycke till SIP återkallat",
    "sip_closed": "SIP avslutad",
}

ACTIONS.update(
    {
        "sip.read": "Läsning av SIP",
        "sip.list": "Person visad i SIP-lista",
        "sip.start": "SIP påbörjad",
        "sip.consent": "Samtycke registrerat",
        "sip.consent_revoke": "Samtycke återkallat",
        "sip.harm_assessment": "Menprövning registrerad",
        "sip.participant_add": "Deltagare tillagd i SIP",
        "sip.participant_remove": "Deltagare borttagen ur SIP",
        "sip.meeting": "Kallelse till SIP-möte",
        "sip.attendance": "Närvaro vid SIP-möte",
        "sip.plan": "Ny version av SIP",
        "sip.plan_ack": "SIP kvitterad",
        "sip.follow_up": "Uppföljning av SIP",
        "sip.close": "SIP avslutad",
        "sip.pdf": "SIP som PDF",
    }
)
