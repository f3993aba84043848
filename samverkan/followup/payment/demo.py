"""Demo: Region Blekinge's agreement (as the data migration seeds it when the region exists).
No amounts are invented: years without one show "belopp saknas" until an admin enters it."""

from datetime import date

from samverkan.directory.models import Principal
from samverkan.followup.models import Agreement


def seed_agreement() -> Agreement | None:
    region = Principal.objects.filter(kind=Principal.Kind.REGION, code="10").first()
    if region is None:
        return None
    agreement, _ = Agreement.objects.get_or_create(
        region=region,
        valid_from=date(2018, 1, 1),
        defaults={"name": "Blekingeöverenskommelsen", "model": Agreement.Model.INDIVIDUAL},
    )
    return agreement
