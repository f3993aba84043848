"""Test helpers: deviation coordinators for the shared test world, deviations walked through
their steps with the services, and synthetic registers of known size (e.g. 2023's figures)."""

from datetime import datetime, timedelta

from django.utils import timezone

from samverkan.cases.testing import actor
from samverkan.directory.models import Principal, Unit
from samverkan.testing import _unit, _user

from . import services
from .models import Category, Deviation, ensure_categories, feedback_deadline


def with_coordinators(w):
    """Each principal of the test world gets a deviation coordinator unit and user."""
    ensure_categories()
    K = Unit.Kind.ADMINISTRATION
    for key, principal in (("region", w.region), ("a", w.muni_a), ("b", w.muni_b)):
        unit = _unit(principal, f"{key}_deviations", K)
        Principal.objects.filter(pk=principal.pk).update(deviation_unit=unit)
        principal.refresh_from_db()
        setattr(w, f"{key}_dev", unit)
        setattr(w, f"{key}_coord", _user(f"{key}_coord", unit, "staff"))
    return w


def category(code: str = "routines_notice") -> Category:
    return Category.objects.get(code=code)


def reported(w, case=None, *, by=None, to=None, now=None, **extra) -> Deviation:
    """A deviation from municipality A's needs-assessment unit to the region (by default)."""
    return services.report(
        actor(by or w.a_staff),
        to_principal=to or w.region,
        category=extra.pop("category", category()),
        description=extra.pop("description", "Inskrivningsmeddelandet kom efter två dygn."),
        case=case.public_id if case else None,
        now=now,
        **extra,
    )


def assigned(w, case=None, *, now=None, **extra) -> Deviation:
    deviation = reported(w, case, now=now, **extra)
    return services.assign(actor(w.region_coord), deviation, unit=w.ward, now=now)


def answered(w, case=None, *, now=None, **extra) -> Deviation:
    deviation = assigned(w, case, now=now, **extra)
    return services.give_feedback(
        actor(w.ward_staff), deviation, analysis="Helg.", actions="Ny rutin.", now=now
    )


def load_register(w, year: int, figures: dict) -> None:
    """Synthetic reports for a year: figures maps (from unit, to principal, category code) to
    (reported, with feedback). Written in bulk, as the history of a year would be."""
    rows = []
    for (unit, to_principal, code), (count, with_feedback) in figures.items():
        kind = (unit.principal.kind, to_principal.kind)
        for i in range(count):
            at = timezone.make_aware(datetime(year, 1 + i % 12, 1 + i % 28, 10))
            answered = i < with_feedback
            rows.append(
                Deviation(
                    reporter_unit=unit,
                    reported_by_id=_any_user(unit),
                    from_principal=unit.principal,
                    to_principal=to_principal,
                    direction=services.DIRECTIONS[kind],
                    reported_category=category(code),
                    category=category(code),
                    occurred_at=at - timedelta(days=1),
                    description="Syntetisk avvikelse.",
                    state=Deviation.State.ANSWERED if answered else Deviation.State.ASSIGNED,
                    reported_at=at,
                    feedback_due_at=feedback_deadline(at),
                    due_at=feedback_deadline(at),
                    responsible_unit=to_principal.deviation_unit,
                    assigned_at=at,
                    feedback_at=at + timedelta(days=10 + i % 40) if answered else None,
                )
            )
    Deviation.objects.bulk_create(rows)


def _any_user(unit) -> int:
    return unit.memberships.values_list("user_id", flat=True).first()
