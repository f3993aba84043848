"""Reliable messaging (as MedCom): every received message's Bundle id and MessageHeader id,
with its acknowledgement, so a resend gets the same answer and changes nothing; and the
messages held until what they refer to has arrived."""

import uuid

from django.db import models
from django.db.models import Q


class ReceivedMessage(models.Model):
    """A FHIR message from a record system that was applied or is held. No personal data is
    kept once applied and FHIR_HOLD_HOURS old: ids, the content's hash, the stay's pseudonymous
    key, the three times and the acknowledgement sent back; a held message keeps its body until
    it is applied, an applied one its body and the case's image before it until then (to be
    applied again in clinical order when an older message arrives late)."""

    class State(models.TextChoices):
        APPLIED = "applied", "Tillämpat"
        HELD = "held", "Väntar på tidigare meddelande"
        FAILED = "failed", "Kunde inte tillämpas"
        CANCELLED = "cancelled", "Makulerat"
        CORRECTED = "corrected", "Rättat"

    sender = models.ForeignKey("directory.Unit", on_delete=models.PROTECT, related_name="+")
    bundle_id = models.CharField(max_length=64)
    header_id = models.CharField(max_length=64)
    fingerprint = models.CharField(max_length=64)  # sha256 of the canonical request body
    event = models.CharField(max_length=40)
    state = models.CharField(max_length=12, choices=State.choices, default=State.APPLIED)
    stay_key = models.CharField(max_length=64, blank=True)  # sha256(sender, identity number)
    body = models.JSONField(null=True, blank=True)  # while held, and FHIR_HOLD_HOURS once applied
    before = models.JSONField(null=True, blank=True)  # the case before it (ordering.rewind_later)
    note = models.CharField(max_length=300, blank=True)  # why it waits or failed
    case = models.ForeignKey(
        "cases.Case", null=True, on_delete=models.SET_NULL, related_name="fhir_messages"
    )
    occurred_at = models.DateTimeField()  # clinical time: the event's own time
    sent_at = models.DateTimeField()  # Bundle.timestamp
    received_at = models.DateTimeField(auto_now_add=True)
    applied_at = models.DateTimeField(null=True, blank=True)
    status = models.PositiveSmallIntegerField()
    response = models.JSONField()  # the acknowledgement Bundle, returned again on a resend

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["sender", "bundle_id"], name="fhir_one_bundle_id"),
            models.UniqueConstraint(fields=["sender", "header_id"], name="fhir_one_header_id"),
        ]
        indexes = [
            models.Index(
                fields=["sender", "stay_key", "occurred_at"],
                name="fhir_held_by_stay",
                condition=models.Q(state="held"),
            ),
        ]

    def __str__(self):
        return f"{self.event} {self.header_id}"


class OutboundMessage(models.Model):
    """A FHIR message to the record system (a unit's acknowledgement, an answer), queued in the
    transaction of the event it reports, once per source event, and sent by the worker with the
    same MessageHeader id on every attempt until the receiver takes it or it is given up."""

    class State(models.TextChoices):
        PENDING = "pending", "Väntar"
        SENT = "sent", "Skickat"
        FAILED = "failed", "Misslyckades"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    source = models.CharField(max_length=80, unique=True)  # e.g. delivery.acknowledged:<uuid>
    event = models.CharField(max_length=40)  # code in profile.EVENT_SYSTEM
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    ward = models.ForeignKey("directory.Unit", on_delete=models.PROTECT, related_name="+")
    header_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    bundle = models.JSONField()  # the message as sent, the same bytes on every attempt
    created_at = models.DateTimeField()
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)  # no personal data
    sent_at = models.DateTimeField(null=True, blank=True)
    failed_at = models.DateTimeField(null=True, blank=True)
    claimed_by = models.CharField(max_length=64, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["next_attempt_at"], name="fhir_outbound_due", condition=Q(state="pending")
            ),
            models.Index(
                fields=["ward", "failed_at"],
                name="fhir_outbound_failed",
                condition=Q(state="failed"),
            ),
        ]

    def __str__(self):
        return f"{self.event} {self.header_id}"


# what the FHIR app notifies (FhirConfig.notification_kinds)
NOTIFICATION_KINDS = {"fhir_outbound_failed": "Meddelande till journalsystemet misslyckades"}
