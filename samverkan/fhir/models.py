"""Reliable messaging (as MedCom): every applied message's Bundle id and MessageHeader id,
with its acknowledgement, so a resend gets the same answer and changes nothing."""

from django.db import models


class ReceivedMessage(models.Model):
    """A FHIR message from a record system that was applied; no personal data is kept, only
    ids, the content's hash, the three times and the acknowledgement sent back."""

    sender = models.ForeignKey("directory.Unit", on_delete=models.PROTECT, related_name="+")
    bundle_id = models.CharField(max_length=64)
    header_id = models.CharField(max_length=64)
    fingerprint = models.CharField(max_length=64)  # sha256 of the canonical request body
    event = models.CharField(max_length=40)
    case = models.ForeignKey(
        "cases.Case", null=True, on_delete=models.SET_NULL, related_name="fhir_messages"
    )
    occurred_at = models.DateTimeField()  # clinical time: the event's own time
    sent_at = models.DateTimeField()  # Bundle.timestamp
    received_at = models.DateTimeField(auto_now_add=True)
    status = models.PositiveSmallIntegerField()
    response = models.JSONField()  # the acknowledgement Bundle, returned again on a resend

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["sender", "bundle_id"], name="fhir_one_bundle_id"),
            models.UniqueConstraint(fields=["sender", "header_id"], name="fhir_one_header_id"),
        ]

    def __str__(self):
        return f"{self.event} {self.header_id}"
