"""Roles of a membership and what each may do: the one table access decisions read."""

from django.db import models


class Role(models.TextChoices):
    READER = "reader", "Läsare"
    STAFF = "staff", "Personal"
    PHYSICIAN = "physician", "Läkare"
    UNIT_ADMIN = "unit_admin", "Enhetsadministratör"
    ANALYST = "analyst", "Analytiker"
    SYSADMIN = "sysadmin", "Systemadministratör"


CAPABILITIES: dict[str, frozenset[str]] = {
    # read a person's data in a case or look-up the unit has access to
    "read_personal": frozenset({Role.READER, Role.STAFF, Role.PHYSICIAN, Role.UNIT_ADMIN}),
    # register and change a person's data, act in a case
    "write_personal": frozenset({Role.STAFF, Role.PHYSICIAN}),
    # declare a patient ready for discharge (LOS 1 kap 2 §)
    "declare_ready": frozenset({Role.PHYSICIAN}),
    "manage_members": frozenset({Role.UNIT_ADMIN}),
    "review_audit": frozenset({Role.UNIT_ADMIN, Role.SYSADMIN}),
    "view_aggregates": frozenset({Role.ANALYST, Role.UNIT_ADMIN, Role.SYSADMIN}),
    "manage_directory": frozenset({Role.SYSADMIN}),
    # the unit's downtime passphrase and downtime PCs (the backup routine, issue 17)
    "manage_downtime": frozenset({Role.UNIT_ADMIN}),
    # declare a downtime (driftstopp) for everyone, a principal, a unit or the login service
    "declare_downtime": frozenset({Role.SYSADMIN}),
}

# Roles a unit admin may give; the system admin role is given by a system admin only.
GRANTABLE_BY_UNIT_ADMIN = [r for r in Role if r != Role.SYSADMIN]


# A session at a lower trust level (a reserve card, where the policy allows it) only reads:
# the role it acts in instead. Roles missing here (system admin) cannot be used at all then.
READ_ONLY_ROLES = {
    Role.READER: Role.READER,
    Role.STAFF: Role.READER,
    Role.PHYSICIAN: Role.READER,
    Role.UNIT_ADMIN: Role.READER,
    Role.ANALYST: Role.ANALYST,
}


def read_only_role(role: str) -> str | None:
    return READ_ONLY_ROLES.get(role)


def role_can(role: str, capability: str) -> bool:
    return role in CAPABILITIES[capability]
