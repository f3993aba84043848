"""The follow-up call 3–7 days after discharge, its attempts and its pseudonymised statistics;
the anonymous trust survey between organisations; the person's experience of a SIP."""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

UNIT = "directory.Unit"
PRINCIPAL = "directory.Principal"
USER = settings.AUTH_USER_MODEL

NOTIFICATION_KINDS = {  # ExperienceConfig.notification_kinds
    "followup_call_action": "Uppföljningssamtal: svar som behöver åtgärdas",
}


class Answerer(models.TextChoices):
    PERSON = "person", "Personen själv"
    NEXT_OF_KIN = "next_of_kin", "Närstående"
    STAFF = "staff", "Personal"


class Agreement(models.IntegerChoices):
    """The CTM answer scale; DONT_KNOW is left out of the score."""

    DONT_KNOW = 0, "Vet ej / ej aktuellt"
    STRONGLY_DISAGREE = 1, "Instämmer inte alls"
    DISAGREE = 2, "Instämmer inte"
    AGREE = 3, "Instämmer"
    STRONGLY_AGREE = 4, "Instämmer helt"


class KnowsContact(models.TextChoices):
    YES = "yes", "Ja"
    NO = "no", "Nej"
    UNSURE = "unsure", "Osäker"


def _scale():
    return models.PositiveSmallIntegerField(
        choices=Agreement.choices, null=True, blank=True, validators=[MaxValueValidator(4)]
    )


class CallRule(models.Model):
    """Which discharged persons of one municipality are called, by which units, and how often
    a call is tried: the stated rule, kept by system admins in /admin/."""

    name = models.CharField("namn", max_length=100)
    municipality = models.OneToOneField(
        PRINCIPAL,
        on_delete=models.PROTECT,
        related_name="call_rule",
        limit_choices_to={"kind": "municipality"},
        verbose_name="kommun (folkbokföring)",
    )
    callers = models.ManyToManyField(
        UNIT, related_name="call_rules", verbose_name="enheter som ringer"
    )
    min_age = models.PositiveSmallIntegerField(
        "lägsta ålder", default=65, validators=[MaxValueValidator(120)]
    )
    destinations = models.JSONField("utskrivna till", default=list)  # Case.Destination values
    require_support = models.BooleanField("bara med planerade insatser", default=True)
    sample_percent = models.PositiveSmallIntegerField(
        "urval (%)", default=100, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    monthly_cap = models.PositiveSmallIntegerField(
        "högst per månad", null=True, blank=True, validators=[MinValueValidator(1)]
    )
    seed = models.CharField("frö för urvalet", max_length=40, default="1")
    first_day = models.PositiveSmallIntegerField(
        "ring tidigast dag", default=3, validators=[MaxValueValidator(30)]
    )
    last_day = models.PositiveSmallIntegerField(
        "ring senast dag", default=7, validators=[MaxValueValidator(30)]
    )
    max_attempts = models.PositiveSmallIntegerField(
        "högst antal försök", default=3, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    active = models.BooleanField("aktiv", default=True)
    claimed_by = models.CharField(max_length=64, blank=True)  # the drawing worker's lease
    claimed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "urvalsregel för uppföljningssamtal"
        verbose_name_plural = "urvalsregler för uppföljningssamtal"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(first_day__lte=models.F("last_day")), name="call_window_order"
            )
        ]

    def __str__(self):
        return self.name


class FollowUpCall(models.Model):
    """One drawn person's follow-up call: the CTM-4 script, who answered and the outcome."""

    class State(models.TextChoices):
        OPEN = "open", "Att ringa"
        ANSWERED = "answered", "Besvarat"
        DECLINED = "declined", "Avböjt"
        NOT_REACHED = "not_reached", "Ej nådd"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.OneToOneField(
        "cases.Case", on_delete=models.CASCADE, related_name="followup_call"
    )
    rule = models.ForeignKey(CallRule, on_delete=models.PROTECT, related_name="calls")
    month = models.DateField()  # the first day of the discharge month (the sample's month)
    due_from = models.DateField()
    due_to = models.DateField()
    drawn_at = models.DateTimeField()
    state = models.CharField(max_length=12, choices=State.choices, default=State.OPEN)
    answered_by = models.CharField(max_length=12, choices=Answerer.choices, blank=True)
    ctm_1 = _scale()
    ctm_2 = _scale()
    ctm_3 = _scale()
    ctm_4 = _scale()
    knows_contact = models.CharField(max_length=6, choices=KnowsContact.choices, blank=True)
    comment = models.CharField(max_length=500, blank=True)
    needs_action = models.BooleanField(default=False)
    action_text = models.CharField(max_length=500, blank=True)
    action_unit = models.ForeignKey(
        UNIT, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        indexes = [models.Index(fields=["rule", "month"], name="call_rule_month")]

    def __str__(self):
        return f"Uppföljningssamtal {self.public_id}"

    @property
    def patient(self):
        return self.case.patient

    @property
    def is_open(self) -> bool:
        return self.state == self.State.OPEN


class CallAttempt(models.Model):
    """One attempt to reach the person: every attempt counts, so the response rate is true."""

    class Outcome(models.TextChoices):
        REACHED = "reached", "Nådd"
        NOT_REACHED = "not_reached", "Ej nådd"
        DECLINED = "declined", "Avböjde"

    call = models.ForeignKey(FollowUpCall, on_delete=models.CASCADE, related_name="attempts")
    at = models.DateTimeField()
    outcome = models.CharField(max_length=12, choices=Outcome.choices)
    by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(UNIT, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.get_outcome_display()} {self.at:%Y-%m-%d %H:%M}"


class CallRecord(models.Model):
    """A finished call as the statistics keep it: municipality, age band, sex and a pseudonym
    (a keyed HMAC of the identity number), never the person or the case."""

    pseudonym = models.CharField(max_length=64, db_index=True)
    municipality = models.ForeignKey(PRINCIPAL, on_delete=models.PROTECT, related_name="+")
    age_band = models.CharField(max_length=8)
    sex = models.CharField(max_length=1, blank=True)  # K, M or unknown
    month = models.DateField()  # of the discharge
    outcome = models.CharField(max_length=12, choices=FollowUpCall.State.choices)
    attempts = models.PositiveSmallIntegerField()
    answered_by = models.CharField(max_length=12, choices=Answerer.choices, blank=True)
    ctm_score = models.FloatField(null=True)  # 0–100
    knows_contact = models.CharField(max_length=6, choices=KnowsContact.choices, blank=True)
    comment = models.CharField(max_length=500, blank=True)  # empty when it needed action

    class Meta:
        indexes = [models.Index(fields=["month", "municipality"], name="callrecord_month")]

    def __str__(self):
        return f"Samtal {self.month:%Y-%m} ({self.get_outcome_display()})"


class TrustSurvey(models.Model):
    """One period of the staff survey on trust between the organisations (huvudmän)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField("rubrik", max_length=100)
    opens_on = models.DateField("öppnar")
    closes_on = models.DateField("stänger")

    class Meta:
        ordering = ["opens_on"]
        verbose_name = "förtroendeenkät"
        verbose_name_plural = "förtroendeenkäter"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(opens_on__lte=models.F("closes_on")), name="survey_period_order"
            )
        ]

    def __str__(self):
        return self.title


class TrustAnswered(models.Model):
    """That a person has answered a survey, and nothing of what: no time, no link to an answer."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(TrustSurvey, on_delete=models.CASCADE, related_name="answered")
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["survey", "user"], name="one_trust_answer_per_period")
        ]

    def __str__(self):
        return "Har svarat"


class TrustResponse(models.Model):
    """One anonymous score: from an organisation about another, in a period. No user, no time,
    a random id (rows are not in the order they were given)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(TrustSurvey, on_delete=models.CASCADE, related_name="responses")
    respondent_principal = models.ForeignKey(PRINCIPAL, on_delete=models.PROTECT, related_name="+")
    about_principal = models.ForeignKey(PRINCIPAL, on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(5)]
    )

    def __str__(self):
        return "Anonymt svar"


class SipExperience(models.Model):
    """The person's (or next of kin's) experience of a held SIP meeting, registered by staff."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sip = models.ForeignKey("sip.Sip", on_delete=models.CASCADE, related_name="experiences")
    meeting = models.OneToOneField(
        "sip.Meeting", on_delete=models.CASCADE, related_name="experience"
    )
    answered_by = models.CharField(max_length=12, choices=Answerer.choices[:2])
    took_part = _scale()
    what_matters = _scale()
    knows_next = _scale()
    municipality = models.ForeignKey(
        PRINCIPAL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    month = models.DateField()  # of the meeting
    registered_at = models.DateTimeField()
    registered_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(UNIT, on_delete=models.PROTECT, related_name="+")

    def __str__(self):
        return f"Upplevelse av SIP-möte {self.month:%Y-%m}"

    @property
    def patient(self):
        return self.sip.patient
