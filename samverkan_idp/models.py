"""A demo person as the provider knows them: employee HSA-id, trust level, assignments; or a
citizen with a national e-ID (personnummer) for Min plan."""

from django.conf import settings
from django.db import models

LOA = {3: "http://id.sambi.se/loa/loa3", 2: "http://id.sambi.se/loa/loa2"}
# The Swedish e-ID framework's levels (DIGG), used for a citizen's e-legitimation.
ELEG_LOA = {3: "http://id.elegnamnden.se/loa/1.0/loa3", 2: "http://id.elegnamnden.se/loa/1.0/loa2"}


class Identity(models.Model):
    """One login at the provider: a person with one card (a reserve card gives LoA 2)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    label = models.CharField(max_length=200)
    employee_hsa_id = models.CharField(max_length=40, blank=True)  # blank: claim left out
    personal_identity_number = models.CharField(max_length=12, blank=True)  # a citizen's e-ID
    loa = models.PositiveSmallIntegerField(choices=[(3, "LoA 3"), (2, "LoA 2")], default=3)
    commissions = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["label"]

    def __str__(self):
        return self.label

    @property
    def acr(self) -> str:
        return (ELEG_LOA if self.personal_identity_number else LOA)[self.loa]
