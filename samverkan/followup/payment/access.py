"""Who sees payment liability: statement lines carry personal data, so only the region's
administration units and the municipality's administration and needs-assessment units (those
that receive the notices and check the statement) read them; analysts see totals."""

from django.core.exceptions import PermissionDenied
from django.db.models import Q

from samverkan.cases.access import visible_cases
from samverkan.cases.models import Case
from samverkan.core.access import fetch
from samverkan.directory.models import Principal, Unit

# The units that read a statement's lines: the region's administration (it sends them) and a
# municipality's administration and needs assessment (it receives the notices and checks them).
# Other units of a municipality (school health, home care …) only see the cases they take part in.
STATEMENT_UNITS = {
    Principal.Kind.REGION: {Unit.Kind.ADMINISTRATION},
    Principal.Kind.MUNICIPALITY: {Unit.Kind.ADMINISTRATION, Unit.Kind.NEEDS_ASSESSMENT},
}


def line_municipalities(actor):
    """The municipalities whose statement lines the actor may read (maybe none)."""
    municipalities = Principal.objects.filter(kind=Principal.Kind.MUNICIPALITY)
    unit = actor.unit
    kind = unit.principal.kind
    if not actor.can("read_personal") or unit.kind not in STATEMENT_UNITS.get(kind, set()):
        return municipalities.none()
    if kind == Principal.Kind.REGION:
        return municipalities
    return municipalities.filter(pk=unit.principal_id)


def total_municipalities(actor):
    """The municipalities whose totals the actor sees: all with view_aggregates or the
    region's lines, else the own municipality."""
    readable = line_municipalities(actor)
    if actor.can("view_aggregates") or readable.count() > 1:
        return Principal.objects.filter(kind=Principal.Kind.MUNICIPALITY)
    return readable


def require_totals(actor) -> None:
    """Totals need view_aggregates or the right to read some municipality's lines."""
    if not actor.can("view_aggregates") and not line_municipalities(actor).exists():
        raise PermissionDenied("Din roll får inte se betalningsansvar.")


def visible_stays(actor):
    """Cases the actor reaches: those its unit takes part in, and those on statements it
    reads (a municipality checking a line must see the line's days)."""
    statement = line_municipalities(actor)
    return Case.objects.filter(
        Q(pk__in=visible_cases(actor).values("pk"))
        | Q(patient__registered_municipality__in=statement, ready_periods__isnull=False)
    ).distinct()


def get_stay_for_actor(actor, public_id) -> Case:
    """One stay for its day-by-day page: 404 outside, 403 without read_personal, audited."""
    missing = "Vårdtillfället finns inte eller din enhet får inte se det."
    return fetch(
        actor,
        visible_stays(actor),
        public_id,
        write=False,
        read_action="payment.read",
        missing=missing,
    )
