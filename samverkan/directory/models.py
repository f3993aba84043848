"""The directory: principals (region, municipalities), their units, and users' memberships."""

import uuid

from django.conf import settings
from django.db import models

from .roles import Role


class Principal(models.Model):
    """A huvudman: the region or a municipality, each its own authority under secrecy law."""

    class Kind(models.TextChoices):
        REGION = "region", "Region"
        MUNICIPALITY = "municipality", "Kommun"

    code = models.CharField(
        "kod", max_length=4, unique=True, help_text="Läns- eller kommunkod (SCB)"
    )
    name = models.CharField("namn", max_length=100, unique=True)
    kind = models.CharField("typ", max_length=20, choices=Kind.choices)
    population = models.PositiveIntegerField("folkmängd", null=True, blank=True)
    population_65 = models.PositiveIntegerField(
        "folkmängd 65 år och äldre",
        null=True,
        blank=True,
        help_text="Från SCB; uppföljningen räknar utskrivningsklara 65+ per 1 000 invånare 65+.",
    )
    notice_unit = models.ForeignKey(
        "Unit",
        verbose_name="tar emot meddelanden",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Enheten som tar emot inskrivningsmeddelanden för personer folkbokförda här.",
    )
    deviation_unit = models.ForeignKey(
        "Unit",
        verbose_name="avvikelsesamordnare",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Enheten som tar emot och fördelar avvikelser som andra huvudmän rapporterar.",
    )

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = "huvudman"
        verbose_name_plural = "huvudmän"

    def __str__(self):
        return self.name


class Unit(models.Model):
    """An enhet of a principal, identified by an HSA-id."""

    class Kind(models.TextChoices):
        WARD_SOMATIC = "ward_somatic", "Vårdavdelning, somatisk"
        WARD_PSYCHIATRIC = "ward_psychiatric", "Vårdavdelning, psykiatrisk"
        EMERGENCY = "emergency", "Akutmottagning"
        PRIMARY_CARE = "primary_care", "Vårdcentral"
        SPECIALIST_CLINIC = "specialist_clinic", "Specialistmottagning"
        PSYCHIATRIC_OUTPATIENT = "psychiatric_outpatient", "Psykiatrisk öppenvårdsmottagning"
        NEEDS_ASSESSMENT = "needs_assessment", "Biståndshandläggning"
        HOME_HEALTH_CARE = "home_health_care", "Hemsjukvård"
        HOME_HELP = "home_help", "Hemtjänst"
        SHORT_TERM_HOUSING = "short_term_housing", "Korttidsboende"
        REHAB = "rehab", "Rehabilitering"
        SOCIAL_PSYCHIATRY = "social_psychiatry", "Socialpsykiatri / individ- och familjeomsorg"
        SCHOOL_HEALTH = "school_health", "Elevhälsa"
        ADMINISTRATION = "administration", "Ledning och uppföljning"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    principal = models.ForeignKey(
        Principal, verbose_name="huvudman", on_delete=models.PROTECT, related_name="units"
    )
    name = models.CharField("namn", max_length=120)
    kind = models.CharField("typ", max_length=30, choices=Kind.choices)
    hsa_id = models.CharField("HSA-id", max_length=40, unique=True)
    site = models.CharField("ort", max_length=60, blank=True)
    municipality = models.ForeignKey(
        Principal,
        verbose_name="belägen i kommun",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="located_units",
    )
    mailbox = models.EmailField("funktionsbrevlåda", blank=True)
    phone = models.CharField("telefon", max_length=40, blank=True)
    opening_hours = models.CharField("öppettider", max_length=200, blank=True)
    active = models.BooleanField("aktiv", default=True)

    class Meta:
        ordering = ["principal__name", "name"]
        verbose_name = "enhet"
        verbose_name_plural = "enheter"

    def __str__(self):
        return self.name

    @property
    def is_ward(self) -> bool:
        """A hospital ward: it has in-patients (the ward overview)."""
        return self.kind in WARD_KINDS

    @property
    def looks_up_patients(self) -> bool:
        """Wards and emergency departments may look up a person to open a case."""
        return self.kind in LOOKUP_KINDS


WARD_KINDS = frozenset({Unit.Kind.WARD_SOMATIC, Unit.Kind.WARD_PSYCHIATRIC})
LOOKUP_KINDS = frozenset({Unit.Kind.WARD_SOMATIC, Unit.Kind.WARD_PSYCHIATRIC, Unit.Kind.EMERGENCY})


class Membership(models.Model):
    """A user's membership of a unit, with one role."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    unit = models.ForeignKey(
        Unit, verbose_name="enhet", on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField("roll", max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "unit"], name="one_role_per_unit")]
        ordering = ["unit__name", "user__username"]
        verbose_name = "medlemskap"
        verbose_name_plural = "medlemskap"

    def __str__(self):
        return f"{self.user} – {self.unit} ({self.get_role_display()})"
