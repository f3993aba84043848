"""The coordination case, its participants, messages with per-recipient deliveries, ADL status,
ready-for-discharge periods and attachments."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from . import deadlines
from .clock import expected_date_doubt

USER = settings.AUTH_USER_MODEL
UNIT = "directory.Unit"


class Case(models.Model):
    """A samordningsärende for one hospital stay (vårdtillfälle)."""

    class State(models.TextChoices):
        REQUESTED = "requested", "Vårdbegäran mottagen"
        ADMITTED = "admitted", "Inskriven"
        READY = "ready", "Utskrivningsklar"
        DISCHARGED = "discharged", "Utskriven"
        CLOSED = "closed", "Avslutad"

    class Destination(models.TextChoices):
        HOME = "home", "Hemmet"
        SHORT_TERM = "short_term_housing", "Korttidsboende"
        SPECIAL_HOUSING = "special_housing", "Särskilt boende"
        OTHER_HOSPITAL = "other_hospital", "Annat sjukhus"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    patient = models.ForeignKey("patients.Patient", on_delete=models.PROTECT, related_name="cases")
    ward = models.ForeignKey(UNIT, on_delete=models.PROTECT, related_name="responsible_cases")
    state = models.CharField(max_length=20, choices=State.choices)
    admitted_at = models.DateTimeField(null=True, blank=True)
    support_judged_at = models.DateTimeField(null=True, blank=True)
    expected_discharge_date = models.DateField(null=True, blank=True)
    notice_sent_at = models.DateTimeField(null=True, blank=True)
    ready_at = models.DateTimeField(null=True, blank=True)
    sip_needed = models.BooleanField(null=True)
    sip_consent = models.BooleanField(null=True)
    sip_called_at = models.DateTimeField(null=True, blank=True)
    care_contact_name = models.CharField(max_length=120, blank=True)
    care_contact_phone = models.CharField(max_length=40, blank=True)  # lib.phone: direct number
    care_contact_unit = models.ForeignKey(
        UNIT, null=True, blank=True, on_delete=models.PROTECT, related_name="care_contact_cases"
    )
    on_leave_since = models.DateTimeField(null=True, blank=True)  # permission: the stay goes on
    discharged_at = models.DateTimeField(null=True, blank=True)
    destination = models.CharField(max_length=30, choices=Destination.choices, blank=True)
    checklist = models.JSONField(default=dict, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    close_reason = models.CharField(max_length=200, blank=True)
    # "från journalen": field -> when the record system's message that set it was sent
    from_record = models.JSONField(default=dict, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["ward", "state"], name="case_ward_state"),
            models.Index(fields=["state", "expected_discharge_date"], name="case_state_expected"),
            models.Index(fields=["care_contact_unit", "state"], name="case_contact_state"),
            # follow-up: stays by discharge day, and a person's next admission (readmissions)
            models.Index(fields=["discharged_at"], name="case_discharged"),
            models.Index(fields=["patient", "admitted_at"], name="case_patient_admitted"),
            models.Index(fields=["updated_at"], name="case_updated"),  # the rollup's changes
        ]
        constraints = [
            # one stay in progress; the previous stay may still wait, discharged, to be closed
            models.UniqueConstraint(
                fields=["patient"],
                condition=Q(state__in=["requested", "admitted", "ready"]),
                name="one_stay_in_progress_per_patient",
            ),
        ]

    def __str__(self):
        return f"Ärende {self.short_id} ({self.get_state_display()})"

    @property
    def short_id(self) -> str:
        return str(self.public_id)[:8].upper()

    IN_PROGRESS = ("requested", "admitted", "ready")
    # what the clock methods below read: enough for a list that shows them (.only())
    CLOCK_FIELDS = (
        "public_id",
        "state",
        "admitted_at",
        "support_judged_at",
        "notice_sent_at",
        "ready_at",
        "sip_needed",
        "sip_called_at",
        "discharged_at",
        "expected_discharge_date",
    )

    @property
    def is_open(self) -> bool:
        return self.state != self.State.CLOSED

    # the deadlines live in cases.deadlines (Python and query together)
    def notice_due_at(self):
        return deadlines.notice_due_at(self)

    def notice_overdue(self, now) -> bool:
        return deadlines.notice_overdue(self, now)

    def sip_call_due_at(self):
        return deadlines.sip_call_due_at(self)

    def sip_call_overdue(self, now) -> bool:
        return deadlines.sip_call_overdue(self, now)

    def days_ready(self, now) -> int | None:
        return deadlines.days_ready(self, now)

    @property
    def expected_date_doubt(self) -> str:
        return expected_date_doubt(self.expected_discharge_date, self.admitted_at)

    def hours_since_admission(self, now) -> int | None:
        if not self.admitted_at:
            return None
        return int(((self.discharged_at or now) - self.admitted_at).total_seconds() // 3600)


class Participant(models.Model):
    """A unit taking part in a case; `active` while it takes part and the case is open."""

    class Role(models.TextChoices):
        RESPONSIBLE = "responsible", "Ansvarig vårdenhet"
        MUNICIPALITY = "municipality", "Kommun"
        PRIMARY_CARE = "primary_care", "Primärvård"
        REQUESTER = "requester", "Avsändare av vårdbegäran"
        OTHER = "other", "Övrig enhet"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="participants")
    unit = models.ForeignKey(UNIT, on_delete=models.PROTECT, related_name="participations")
    role = models.CharField(max_length=20, choices=Role.choices)
    active = models.BooleanField(default=True)
    added_at = models.DateTimeField(auto_now_add=True)
    removed_at = models.DateTimeField(null=True, blank=True)
    removed_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "unit"], name="one_participation")]
        indexes = [
            models.Index(
                fields=["unit", "case"], name="participant_active_unit", condition=Q(active=True)
            ),
        ]

    def __str__(self):
        return f"{self.unit} i {self.case}"


class Message(models.Model):
    """One message in a case (a notice, an update, a question); sent to its deliveries."""

    class Kind(models.TextChoices):
        CARE_REQUEST = "care_request", "Vårdbegäran"
        CARE_REQUEST_ANSWER = "care_request_answer", "Svar på vårdbegäran"
        ADMISSION_NOTICE = "admission_notice", "Inskrivningsmeddelande"
        EXPECTED_DATE = "expected_date", "Ändrat beräknat utskrivningsdatum"
        CARE_CONTACT = "care_contact", "Fast vårdkontakt utsedd"
        ADL = "adl", "ADL-status"
        PLANNED_SUPPORT = "planned_support", "Planerade insatser"
        QUESTION = "question", "Fråga"
        ANSWER = "answer", "Svar"
        READY = "ready", "Utskrivningsklar"
        READY_RETRACTED = "ready_retracted", "Inte längre utskrivningsklar"
        LEAVE = "leave", "Permission"
        LEAVE_ENDED = "leave_ended", "Åter från permission"
        SIP_CALLED = "sip_called", "Kallelse till SIP"
        DISCHARGE = "discharge", "Information vid utskrivning"
        INTERRUPTION = "interruption", "Avbrott i processen"
        PARTICIPANT_ADDED = "participant_added", "Enhet tillagd"
        ATTACHMENT = "attachment", "Bilaga"
        CLOSED = "closed", "Ärendet avslutat"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="messages")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    sender_unit = models.ForeignKey(UNIT, on_delete=models.PROTECT, related_name="+")
    sender = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    occurred_at = models.DateTimeField()
    recorded_at = models.DateTimeField(auto_now_add=True)
    text = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)
    reply_to = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="replies"
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["occurred_at", "id"]
        indexes = [
            models.Index(fields=["case", "occurred_at"], name="message_case_time"),
            models.Index(
                fields=["kind", "case"],
                name="message_unanswered",
                condition=Q(answered_at__isnull=True, kind__in=["question", "care_request"]),
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.occurred_at:%Y-%m-%d %H:%M}"

    @property
    def changed_labels(self) -> list[str]:
        """An ADL update's changed items, in Swedish."""
        return [AdlStatus.ITEMS.get(k, k) for k in self.data.get("changed", [])]

    # What LOS and the joint routines make binding is acknowledged (kvitteras); the rest are
    # updates, shown as new until the unit opens the case.
    ACKNOWLEDGED_KINDS = frozenset(
        {
            Kind.CARE_REQUEST,
            Kind.ADMISSION_NOTICE,
            Kind.READY,
            Kind.READY_RETRACTED,
            Kind.DISCHARGE,
            Kind.INTERRUPTION,
        }
    )


# what a case notifies (CasesConfig.notification_kinds): each message kind, and a rejection
NOTIFICATION_KINDS = {**dict(Message.Kind.choices), "rejected": "Avvisat meddelande"}


class Delivery(models.Model):
    """A message to one recipient unit: its send history (read, acknowledged, rejected,
    forwarded)."""

    class State(models.TextChoices):
        SENT = "sent", "Skickat"
        READ = "read", "Läst"
        ACKNOWLEDGED = "acknowledged", "Kvitterat"
        REJECTED = "rejected", "Avvisat"
        FORWARDED = "forwarded", "Vidarebefordrat"

    class RejectReason(models.TextChoices):
        NOT_REGISTERED = "not_registered", "Personen är inte folkbokförd här"
        NOT_KNOWN = "not_known", "Personen är inte känd hos oss"

    OPEN_STATES = (State.SENT, State.READ)

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="deliveries")
    unit = models.ForeignKey(UNIT, on_delete=models.PROTECT, related_name="deliveries")
    state = models.CharField(max_length=20, choices=State.choices, default=State.SENT)
    sent_at = models.DateTimeField()
    ack_due_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    rejected_at = models.DateTimeField(null=True, blank=True)
    reject_reason = models.CharField(max_length=20, choices=RejectReason.choices, blank=True)
    forwarded_to = models.ForeignKey(
        UNIT, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    forwarded_at = models.DateTimeField(null=True, blank=True)
    needs_ack = models.BooleanField(default=True)  # Message.ACKNOWLEDGED_KINDS; else an update
    settled_at = models.DateTimeField(null=True, blank=True)  # a rejection the sender dealt with

    class Meta:
        ordering = ["sent_at", "id"]
        indexes = [
            models.Index(fields=["sent_at"], name="delivery_sent"),  # follow-up: per period
            models.Index(
                fields=["unit", "ack_due_at"],
                name="delivery_open_unit",
                condition=Q(state__in=["sent", "read"], needs_ack=True),
            ),
            models.Index(
                fields=["unit", "sent_at"],
                name="delivery_unread_unit",
                condition=Q(state="sent", needs_ack=False),
            ),
            models.Index(
                fields=["message"],
                name="delivery_rejected_open",
                condition=Q(state="rejected", settled_at__isnull=True),
            ),
        ]

    def __str__(self):
        return f"{self.message} → {self.unit} ({self.get_state_display()})"

    def is_overdue(self, now) -> bool:
        return self.needs_ack and self.state in self.OPEN_STATES and now > self.ack_due_at


class AdlStatus(models.Model):
    """One recorded ADL status (Katz items, mobility, cognition); the rows form its history."""

    ITEMS = {
        "bathing": "Bad/dusch",
        "dressing": "Påklädning",
        "toileting": "Toalettbesök",
        "transfer": "Förflyttning",
        "continence": "Kontinens",
        "feeding": "Födointag",
        "mobility": "Rörlighet",
        "cognition": "Kognition",
    }
    LEVELS = {"independent": "Oberoende", "partly": "Delvis beroende", "dependent": "Beroende"}

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="adl_statuses")
    items = models.JSONField()
    occurred_at = models.DateTimeField()
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["occurred_at", "id"]

    def __str__(self):
        return f"ADL {self.occurred_at:%Y-%m-%d %H:%M}"


class ReadyPeriod(models.Model):
    """A ready-for-discharge notice and its end (retraction or discharge): the clock's history."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="ready_periods")
    declared_at = models.DateTimeField()
    declared_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    ended_at = models.DateTimeField(null=True, blank=True)
    end_reason = models.CharField(max_length=20, blank=True)  # retracted | discharged | closed

    class Meta:
        ordering = ["declared_at"]

    def __str__(self):
        return f"Utskrivningsklar {self.declared_at:%Y-%m-%d %H:%M}"


class Attachment(models.Model):
    """A file in a case (e.g. the discharge summary); served only through the access check.
    Its content_type is the one its bytes show (samverkan.lib.uploads), never the client's."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="attachments/%Y/%m/")
    name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(UNIT, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]

    def __str__(self):
        return self.name
