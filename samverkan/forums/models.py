"""The collaboration's own bodies: forums and their members, working groups, meetings with
agendas and minutes (§ numbered per forum and year), decisions ("att …" lines) and what they
create: assignments, working groups and referrals to other forums."""

import uuid
from calendar import monthrange
from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q

from samverkan.core.mailing import Outgoing

USER = settings.AUTH_USER_MODEL
PRINCIPAL = "directory.Principal"

NOTIFICATION_KINDS = {
    "forum_invitation": "Kallelse till möte i samverkansforum",
    "forum_minutes": "Protokoll från samverkansforum publicerat",
    "forum_adjusting": "Protokoll att justera",
}

AUDIT_ACTIONS = {
    "forum.meeting.read": "Läsning av möte i samverkansforum",
    "forum.document.read": "Läsning av handling till möte",
    "forum.meeting.plan": "Möte planerat",
    "forum.meeting.change": "Möte ändrat",
    "forum.agenda": "Dagordning ändrad",
    "forum.invite": "Kallelse skickad",
    "forum.minutes": "Protokoll ändrat",
    "forum.attendance": "Närvaro registrerad",
    "forum.adjusting": "Protokoll skickat för justering",
    "forum.adjust": "Protokoll justerat",
    "forum.publish": "Protokoll publicerat",
    "forum.assignment": "Uppdrag ändrat",
    "forum.referral": "Remiss besvarad",
    "forum.group": "Arbetsgrupp ändrad",
}


class Forum(models.Model):
    """A body of the collaboration (ledningsgrupp, samverkansgrupp) with its members."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField("namn", max_length=120, unique=True)
    short_name = models.CharField("kortnamn", max_length=30, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name="forum ovanför",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="children",
        help_text="Dagordningen får en stående punkt med protokoll från detta forum.",
    )
    distribution = models.TextField(
        "protokollet ska skickas till",
        blank=True,
        help_text="En e-postadress per rad; protokollet skickas dit när det publiceras.",
    )
    adjust_days = models.PositiveSmallIntegerField(
        "dagar för justering",
        default=14,
        help_text="Justering senast så här många dagar efter mötet.",
    )
    letterhead = models.CharField(
        "sidhuvud i protokollet",
        max_length=200,
        blank=True,
        help_text="T.ex. samverkansavtalets namn.",
    )

    class Meta:
        ordering = ["name"]
        verbose_name = "samverkansforum"
        verbose_name_plural = "samverkansforum"

    def __str__(self):
        return self.name

    def recipients(self) -> list[str]:
        return [line.strip() for line in self.distribution.splitlines() if line.strip()]


class Role(models.TextChoices):
    CHAIR = "chair", "Ordförande"
    SECRETARY = "secretary", "Sekreterare"
    MEMBER = "member", "Ledamot"
    ADJUNCT = "adjunct", "Adjungerad"


class Person(models.Model):
    """What a member, convenor or owner has in common: a user or a named person, and the
    principal (organisation) they come from."""

    user = models.ForeignKey(
        USER,
        verbose_name="användare",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    name = models.CharField("namn", max_length=120, blank=True)
    principal = models.ForeignKey(
        PRINCIPAL, verbose_name="organisation", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self.person_name}, {self.principal}"

    @property
    def person_name(self) -> str:
        return self.name or (
            self.user.get_full_name() or self.user.username if self.user_id else ""
        )


class Member(Person):
    """A member of a forum, from one of the principals, with a role."""

    forum = models.ForeignKey(Forum, on_delete=models.CASCADE, related_name="members")
    role = models.CharField("roll", max_length=20, choices=Role.choices, default=Role.MEMBER)
    email = models.EmailField("e-post", blank=True)
    active = models.BooleanField("aktiv", default=True)

    class Meta:
        ordering = ["principal__kind", "principal__name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["forum", "user"], condition=Q(user__isnull=False), name="forum_member_once"
            ),
            models.CheckConstraint(
                condition=Q(user__isnull=False) | ~Q(name=""), name="forum_member_named"
            ),
        ]
        verbose_name = "ledamot"
        verbose_name_plural = "ledamöter"

    @property
    def address(self) -> str:
        return self.email or (self.user.email if self.user_id else "")


class WorkingGroup(models.Model):
    """An arbetsgrupp with a mandate, reporting to a forum."""

    class Status(models.TextChoices):
        ACTIVE = "active", "Aktiv"
        PAUSED = "paused", "Pausad"
        CLOSED = "closed", "Avslutad"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    forum = models.ForeignKey(
        Forum, verbose_name="rapporterar till", on_delete=models.PROTECT, related_name="groups"
    )
    name = models.CharField("namn", max_length=120)
    mandate = models.TextField("uppdrag", max_length=4000, blank=True)
    convenor_user = models.ForeignKey(
        USER,
        verbose_name="sammankallande (användare)",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    convenor_name = models.CharField("sammankallande", max_length=120, blank=True)
    convenor_principal = models.ForeignKey(
        PRINCIPAL,
        verbose_name="sammankallandes organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        "status", max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    decision = models.ForeignKey(
        "Decision", null=True, blank=True, on_delete=models.SET_NULL, related_name="groups"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["forum__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["forum", "name"], name="working_group_name_once")
        ]
        verbose_name = "arbetsgrupp"
        verbose_name_plural = "arbetsgrupper"

    def __str__(self):
        return self.name

    @property
    def convenor(self) -> str:
        if self.convenor_name:
            return self.convenor_name
        return self.convenor_user.get_full_name() if self.convenor_user_id else ""


class GroupMember(Person):
    """A member of a working group."""

    group = models.ForeignKey(WorkingGroup, on_delete=models.CASCADE, related_name="members")

    class Meta:
        ordering = ["id"]
        verbose_name = "medlem i arbetsgrupp"
        verbose_name_plural = "medlemmar i arbetsgrupp"


class Meeting(models.Model):
    """A meeting of a forum: planned in the year plan, then agenda, invitation, minutes,
    justering and publication. Published minutes never change."""

    class Status(models.TextChoices):
        PLANNED = "planned", "Planerat"
        INVITED = "invited", "Kallat"
        ADJUSTING = "adjusting", "Protokoll för justering"
        ADJUSTED = "adjusted", "Protokoll justerat"
        PUBLISHED = "published", "Protokoll publicerat"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    forum = models.ForeignKey(Forum, on_delete=models.PROTECT, related_name="meetings")
    starts_at = models.DateTimeField("börjar")
    ends_at = models.DateTimeField("slutar")
    place = models.CharField("plats", max_length=200, blank=True)
    web_link = models.URLField("länk till digitalt möte", max_length=500, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PLANNED)
    invited_at = models.DateTimeField(null=True, blank=True)
    adjust_by = models.DateField("justeras senast", null=True, blank=True)
    adjust_at_next = models.BooleanField("justeras vid nästa möte", default=False)
    adjusted_at = models.DateTimeField(null=True, blank=True)
    adjusted_in = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="adjusted_here"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    pdf = models.BinaryField(null=True, blank=True, editable=False)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["starts_at"]
        indexes = [models.Index(fields=["forum", "starts_at"], name="forum_meeting_at")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="meeting_ends_after"
            )
        ]
        verbose_name = "möte"
        verbose_name_plural = "möten"

    def __str__(self):
        return f"{self.forum} {self.starts_at:%Y-%m-%d}"

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    def adjust_overdue(self, today: date) -> bool:
        """Justering is late: the deadline has passed and the minutes are still waiting."""
        waiting = self.status == self.Status.ADJUSTING
        return waiting and self.adjust_by is not None and self.adjust_by < today


class Standing(models.TextChoices):
    """The agenda's standing items, filled in by themselves."""

    APPROVE_AGENDA = "approve_agenda", "Godkännande av dagordningen"
    PREVIOUS = "previous", "Föregående protokoll"
    PARENT = "parent", "Protokoll från"
    FOLLOWUP = "followup", "Uppföljning"
    OTHER = "other", "Övrigt"


ITEM_KINDS = {"B": "beslut", "I": "information", "D": "diskussion"}


class AgendaItem(models.Model):
    """A point on the agenda and, after the meeting, its § in the minutes."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    forum = models.ForeignKey(Forum, on_delete=models.PROTECT, related_name="+")  # for the § rule
    position = models.PositiveSmallIntegerField(default=0)
    title = models.CharField("rubrik", max_length=200)
    kinds = models.CharField("typ", max_length=3, default="I", help_text="B, I och/eller D")
    standing = models.CharField(max_length=20, choices=Standing.choices, blank=True)
    presenter_name = models.CharField("föredragande", max_length=120, blank=True)
    presenter_principal = models.ForeignKey(
        PRINCIPAL,
        verbose_name="föredragandes organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    description = models.TextField("underlag", max_length=4000, blank=True)
    notes = models.TextField("anteckningar", max_length=10000, blank=True)
    secret = models.BooleanField(
        "sekretess", default=False, help_text="Hålls utanför det publicerade protokollet."
    )
    paragraph_year = models.PositiveSmallIntegerField(null=True, blank=True)
    paragraph = models.PositiveIntegerField("§", null=True, blank=True)
    referral = models.ForeignKey(
        "Referral",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="answer_items",
        help_text="The referral from another forum this item answers.",
    )
    figures = models.JSONField(default=list, blank=True)  # tables embedded as they stood that day

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["forum", "paragraph_year", "paragraph"],
                condition=Q(paragraph__isnull=False),
                name="paragraph_once_per_forum_year",
            )
        ]
        verbose_name = "punkt"
        verbose_name_plural = "punkter"

    def __str__(self):
        return f"§ {self.paragraph} {self.title}" if self.paragraph else self.title

    @property
    def kind_labels(self) -> str:
        return ", ".join(f"({k}) {ITEM_KINDS[k]}" for k in self.kinds if k in ITEM_KINDS)


class Document(models.Model):
    """A document attached to an agenda item; its type is what its bytes show."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="documents")
    file = models.FileField(upload_to="forums/%Y/%m/")
    name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]

    def __str__(self):
        return self.name


class Decision(models.Model):
    """One "att …" line of an item's decision."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="decisions")
    position = models.PositiveSmallIntegerField(default=0)
    text = models.CharField("beslut", max_length=1000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = "beslut"
        verbose_name_plural = "beslut"

    def __str__(self):
        return self.text


class Assignment(Person):
    """An uppdrag given by a decision to a person of an organisation, due by a date or in a
    month."""

    class Status(models.TextChoices):
        OPEN = "open", "Öppet"
        DONE = "done", "Klart"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    forum = models.ForeignKey(Forum, on_delete=models.PROTECT, related_name="assignments")
    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="assignments")
    text = models.CharField("uppdrag", max_length=500)
    due_date = models.DateField("klart senast", null=True, blank=True)
    due_month = models.DateField("klart under månad", null=True, blank=True)  # the 1st of it
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    done_at = models.DateTimeField(null=True, blank=True)
    done_note = models.CharField("återkoppling", max_length=1000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_date", "due_month", "id"]
        indexes = [models.Index(fields=["forum", "status"], name="assignment_forum_status")]
        constraints = [
            models.CheckConstraint(
                condition=Q(due_date__isnull=True) | Q(due_month__isnull=True),
                name="assignment_one_due",
            ),
            models.CheckConstraint(
                condition=Q(user__isnull=False) | ~Q(name=""), name="assignment_owner"
            ),
        ]
        verbose_name = "uppdrag"
        verbose_name_plural = "uppdrag"

    @property
    def due_on(self) -> date | None:
        """The last day: the date, or the month's last day."""
        if self.due_date:
            return self.due_date
        if self.due_month:
            last = monthrange(self.due_month.year, self.due_month.month)[1]
            return self.due_month.replace(day=last)
        return None

    def is_overdue(self, today: date) -> bool:
        return self.status == self.Status.OPEN and self.due_on is not None and self.due_on < today


class Referral(models.Model):
    """A question one forum's decision sends to another forum; the answer links back."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="referrals")
    from_forum = models.ForeignKey(Forum, on_delete=models.PROTECT, related_name="referrals_sent")
    to_forum = models.ForeignKey(Forum, on_delete=models.PROTECT, related_name="referrals_received")
    question = models.CharField("frågan", max_length=1000)
    answer = models.TextField("svar", max_length=4000, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_in = models.ForeignKey(
        AgendaItem,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="answered_referrals",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(from_forum=models.F("to_forum")), name="referral_elsewhere"
            )
        ]
        verbose_name = "remiss"
        verbose_name_plural = "remisser"

    def __str__(self):
        return self.question

    @property
    def is_open(self) -> bool:
        return self.answered_at is None


class Attendance(models.Model):
    """Who attended, for which organisation: present, absent, or a substitute for a member."""

    class Status(models.TextChoices):
        PRESENT = "present", "Närvarande"
        ABSENT = "absent", "Frånvarande"
        SUBSTITUTE = "substitute", "Ersättare"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    member = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField("namn", max_length=120)
    principal = models.ForeignKey(
        PRINCIPAL, verbose_name="organisation", on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(max_length=12, choices=Status.choices)

    class Meta:
        ordering = ["principal__kind", "principal__name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "member"],
                condition=Q(member__isnull=False),
                name="attendance_once",
            )
        ]

    def __str__(self):
        return f"{self.name} ({self.get_status_display()})"


class Adjuster(models.Model):
    """A member named to adjust (justera) the minutes of a meeting."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="adjusters")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    adjusted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["meeting", "member"], name="adjuster_once")]

    def __str__(self):
        return str(self.member)


class Mail(Outgoing):
    """One e-mail of a meeting to one address: the invitation (with .ics) or the minutes (PDF).
    Sent by the worker, each on its own (core.mailing)."""

    class Kind(models.TextChoices):
        INVITATION = "invitation", "Kallelse"
        MINUTES = "minutes", "Protokoll"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="mails")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    email = models.EmailField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "kind", "email"], name="forum_mail_once")
        ]
        indexes = [
            models.Index(fields=["id"], name="forum_mail_unsent", condition=Q(emailed_at=None))
        ]
