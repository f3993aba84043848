"""The outbox, the in-app notifications the worker makes from it, and the e-mail digests."""

from django.conf import settings
from django.db import models
from django.db.models import CASCADE, Q
from django.urls import reverse

from samverkan.core.mailing import Outgoing

USER = settings.AUTH_USER_MODEL
UNIT = "directory.Unit"
CASE = "cases.Case"
PATIENT = "patients.Patient"


class Notice(models.Model):
    """What a notification says and whom it is about; the outbox row and the notification made
    from it both keep it (the person is named only when it is read, see notify.shown)."""

    case = models.ForeignKey(CASE, null=True, blank=True, on_delete=CASCADE, related_name="+")
    link = models.CharField(max_length=200, blank=True)  # where it leads when not a case
    kind = models.CharField(max_length=30)  # notifications.kinds: the digest counts these
    text = models.CharField(max_length=300)  # never names the person
    patient = models.ForeignKey(PATIENT, null=True, blank=True, on_delete=CASCADE, related_name="+")
    subject_type = models.CharField(max_length=20, blank=True)  # case | sip | deviation
    subject_id = models.UUIDField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True

    def notice(self) -> dict:
        """The notice's values (ids for the foreign keys), to make another row say the same."""
        said = [f.attname for f in Notice._meta.local_fields if f.name != "created_at"]
        return {name: getattr(self, name) for name in said}


class OutboxItem(Notice):
    """Written in the same transaction as the change; the worker delivers and marks it done."""

    unit = models.ForeignKey(UNIT, on_delete=CASCADE, related_name="+")
    claimed_by = models.CharField(max_length=64, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["id"], name="outbox_pending", condition=Q(done_at__isnull=True))
        ]

    def __str__(self):
        return f"{self.unit}: {self.text}"


class Notification(Notice):
    """An in-app notification to a unit, made by the worker from the outbox."""

    unit = models.ForeignKey(UNIT, on_delete=CASCADE, related_name="notifications")
    outbox_id = models.BigIntegerField(null=True, blank=True, unique=True)  # made once per row
    digest = models.ForeignKey(
        "Digest", null=True, blank=True, on_delete=models.SET_NULL, related_name="notifications"
    )
    emailed_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)
    read_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["unit", "-created_at"], name="notification_unit"),
            models.Index(
                fields=["created_at"],
                name="notification_unmailed",
                condition=Q(emailed_at__isnull=True),
            ),
        ]

    def __str__(self):
        return self.text

    @property
    def href(self) -> str:
        return self.link or reverse("case_detail", args=[self.case.public_id])


class Digest(Outgoing):
    """One e-mail to a unit's function mailbox: counts by kind, never personal data. Recorded
    (with its notifications) before it is sent, so none is counted in two digests."""

    unit = models.ForeignKey(UNIT, on_delete=CASCADE, related_name="+")
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [
            models.Index(fields=["id"], name="digest_unsent", condition=Q(emailed_at__isnull=True))
        ]

    def __str__(self):
        return f"Sammanfattning till {self.unit}"
