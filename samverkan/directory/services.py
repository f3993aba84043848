"""Writes to the directory that units do themselves: members, roles, contact details."""

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from samverkan.audit.log import record
from samverkan.core.errors import invalid

from .models import Membership, Unit
from .roles import GRANTABLE_BY_UNIT_ADMIN, Role

User = get_user_model()
CONTACT_FIELDS = ("mailbox", "phone", "opening_hours")


def _check_role(role: str) -> None:
    if role not in GRANTABLE_BY_UNIT_ADMIN:
        raise invalid("role", "not_grantable", "Den rollen kan enhetsadministratören inte ge.")


def _new_user(data: dict):
    try:
        validate_password(data.get("password") or "", User(username=data["username"]))
    except ValidationError as error:
        raise ValidationError({"password": error.error_list}) from None
    if not data.get("first_name") or not data.get("last_name"):
        raise invalid("first_name", "required", "Ange för- och efternamn för ett nytt konto.")
    return User.objects.create_user(
        username=data["username"],
        password=data["password"],
        email=data.get("email", ""),
        first_name=data["first_name"],
        last_name=data["last_name"],
    )


@transaction.atomic
def add_member(actor, data: dict) -> Membership:
    """Add an existing account to the actor's unit, or create the account with a first password."""
    actor.require("manage_members")
    _check_role(data["role"])
    user = User.objects.filter(username=data["username"]).first() or _new_user(data)
    if Membership.objects.filter(user=user, unit=actor.unit).exists():
        raise invalid("username", "exists", "Användaren är redan medlem i enheten.")
    membership = Membership.objects.create(user=user, unit=actor.unit, role=data["role"])
    record(
        actor,
        "membership.add",
        obj=membership,
        detail={"username": user.username, "role": membership.role},
    )
    return membership


def _last_admin(membership: Membership) -> bool:
    admins = membership.unit.memberships.filter(role=Role.UNIT_ADMIN)
    return membership.role == Role.UNIT_ADMIN and admins.count() == 1


@transaction.atomic
def change_role(actor, membership: Membership, role: str) -> Membership:
    actor.require("manage_members")
    _check_role(role)
    if role != Role.UNIT_ADMIN and _last_admin(membership):
        raise invalid("role", "last_admin", "Enheten måste ha minst en enhetsadministratör.")
    old = membership.role
    membership.role = role
    membership.save(update_fields=["role"])
    record(
        actor,
        "membership.change",
        obj=membership,
        detail={"username": membership.user.username, "from": old, "to": role},
    )
    return membership


@transaction.atomic
def remove_member(actor, membership: Membership) -> None:
    actor.require("manage_members")
    if _last_admin(membership):
        raise invalid(None, "last_admin", "Enheten måste ha minst en enhetsadministratör.")
    record(
        actor,
        "membership.remove",
        obj=membership,
        detail={"username": membership.user.username, "role": membership.role},
    )
    membership.delete()


@transaction.atomic
def update_unit_contact(actor, data: dict) -> Unit:
    """A unit admin keeps the unit's function mailbox, phone and opening hours current."""
    actor.require("manage_members")
    unit = actor.unit
    for field in CONTACT_FIELDS:
        setattr(unit, field, data.get(field, ""))
    unit.save(update_fields=list(CONTACT_FIELDS))
    record(
        actor, "unit.contact_update", obj=unit, detail={f: data.get(f, "") for f in CONTACT_FIELDS}
    )
    return unit
