"""A person's employee HSA-id (the key of identity-provider login) and emergency accounts."""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models

HSA_ID = RegexValidator(r"^[A-Za-z0-9][A-Za-z0-9-]{2,39}$", "Ogiltigt HSA-id.", code="hsa_id")


class HsaIdentity(models.Model):
    """The employee HSA-id (employeeHsaId) that identifies a user at the identity provider."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="hsa_identity"
    )
    hsa_id = models.CharField(
        "HSA-id (medarbetare)", max_length=40, unique=True, validators=[HSA_ID]
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "HSA-identitet"
        verbose_name_plural = "HSA-identiteter"

    def __str__(self):
        return f"{self.hsa_id} ({self.user})"


class EmergencyAccount(models.Model):
    """A password account for a declared downtime only, with a TOTP second factor."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="emergency_account"
    )
    note = models.CharField("anteckning", max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "reservkonto"
        verbose_name_plural = "reservkonton"

    def __str__(self):
        return str(self.user)
