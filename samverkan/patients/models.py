"""A person whose care is coordinated: identity, registration, listing, protection, next of kin."""

import uuid

from django.db import models
from django.utils import timezone

from samverkan.lib.identity import KIND_LABELS, age_on
from samverkan.lib.limits import NAME_MAX


class Patient(models.Model):
    """One person, by personnummer, samordningsnummer or reservnummer."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    identity = models.CharField("identitetsnummer", max_length=20, unique=True)
    identity_kind = models.CharField(
        "typ av nummer", max_length=20, choices=list(KIND_LABELS.items())
    )
    birth_date = models.DateField("födelsedatum", null=True, blank=True)
    given_name = models.CharField("förnamn", max_length=NAME_MAX)
    family_name = models.CharField("efternamn", max_length=NAME_MAX)
    registered_municipality = models.ForeignKey(
        "directory.Principal",
        verbose_name="folkbokförd i",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="registered_patients",
        limit_choices_to={"kind": "municipality"},
    )
    street = models.CharField("gatuadress", max_length=120, blank=True)
    postcode = models.CharField("postnummer", max_length=6, blank=True)
    city = models.CharField("postort", max_length=60, blank=True)
    listed_primary_care = models.ForeignKey(
        "directory.Unit",
        verbose_name="listad på vårdcentral",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="listed_patients",
        limit_choices_to={"kind": "primary_care"},
    )
    protected_identity = models.BooleanField("skyddad folkbokföring", default=False)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["family_name", "given_name"]
        indexes = [models.Index(fields=["updated_at"], name="patient_updated")]  # the rollup
        verbose_name = "person"
        verbose_name_plural = "personer"

    def __str__(self):
        return f"{self.full_name} ({self.identity_display})"

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}"

    @property
    def identity_display(self) -> str:
        if self.identity_kind == "reservnummer":
            return self.identity
        return f"{self.identity[:8]}-{self.identity[8:]}"

    @property
    def age(self) -> int | None:
        return age_on(self.birth_date, timezone.localdate())

    @property
    def address_lines(self) -> list[str]:
        """The address to show; never for a person with protected identity."""
        if self.protected_identity:
            return []
        return [x for x in (self.street, f"{self.postcode} {self.city}".strip()) if x]


class NextOfKin(models.Model):
    """A närstående to contact."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="next_of_kin")
    name = models.CharField("namn", max_length=120)
    relation = models.CharField("relation", max_length=60)
    phone = models.CharField("telefon", max_length=40, blank=True)
    note = models.CharField("anteckning", max_length=200, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = "närstående"
        verbose_name_plural = "närstående"

    def __str__(self):
        return f"{self.name} ({self.relation})"


class AccessGrant(models.Model):
    """Gives a unit time-limited access to a person it looked up or registered (care relation)."""

    class Reason(models.TextChoices):
        LOOKUP = "lookup", "Sökning på identitetsnummer"
        REGISTERED = "registered", "Registrerade personen"

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="grants")
    unit = models.ForeignKey("directory.Unit", on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(max_length=20, choices=Reason.choices)
    granted_by = models.ForeignKey("auth.User", on_delete=models.PROTECT, related_name="+")
    expires_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [
            models.Index(fields=["unit", "patient", "expires_at"], name="grant_unit_patient")
        ]

    def __str__(self):
        return f"{self.unit} → {self.patient} ({self.get_reason_display()})"
