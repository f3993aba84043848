"""The ward overview (Inneliggande): one row per in-patient of the actor's ward, with the
notice's receipts, the clocks and the plan, sortable by column. Two queries however many
patients the ward has, both on indexes (case_ward_state, then by case id)."""

from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property

from django.db.models import F, OuterRef, Subquery
from django.utils import timezone

from samverkan.lib.swedish import sort_key

from .access import visible_cases
from .models import AdlStatus, Case, Delivery

IN_PATIENT = (Case.State.ADMITTED, Case.State.READY)
CASE_FIELDS = [
    *Case.CLOCK_FIELDS,
    "care_contact_name",
    "care_contact_unit__name",
    *(f"patient__{f}" for f in ("given_name", "family_name", "identity", "identity_kind")),
    "patient__protected_identity",
]


@dataclass
class Receipt:
    """One recipient unit's answer to the admission notice (its latest delivery)."""

    unit: str
    state: str
    label: str
    at: datetime | None
    overdue: bool


@dataclass
class Row:
    """One in-patient of the ward and what the overview shows about the stay."""

    case: Case
    now: datetime
    adl_updated_at: datetime | None
    receipts: list[Receipt] = field(default_factory=list)

    @cached_property
    def notice_overdue(self) -> bool:
        return self.case.notice_overdue(self.now)

    @cached_property
    def expected_doubt(self) -> str:
        return self.case.expected_date_doubt

    @cached_property
    def days_ready(self) -> int | None:
        return self.case.days_ready(self.now)

    @cached_property
    def sip_overdue(self) -> bool:
        return self.case.sip_call_overdue(self.now)

    @cached_property
    def discharge_today(self) -> bool:
        return self.case.expected_discharge_date == timezone.localdate(self.now)

    @cached_property
    def unacknowledged(self) -> int:
        return sum(r.state != Delivery.State.ACKNOWLEDGED for r in self.receipts)

    @cached_property
    def sip_rank(self) -> int:
        """Most to do first: needed and not called, called, not needed, not judged."""
        case = self.case
        if case.sip_needed:
            return 1 if case.sip_called_at else 0
        return 2 if case.sip_needed is False else 3


def _patient(row):
    return (sort_key(row.case.patient.family_name), sort_key(row.case.patient.given_name))


def _contact(row):
    unit = row.case.care_contact_unit
    return unit.name.lower() if unit else None


# sort key -> (column header, value to sort by; None sorts last either way)
COLUMNS = {
    "patient": ("Patient", _patient),
    "inskriven": ("Inskriven", lambda r: r.case.admitted_at),
    "meddelande": ("Inskrivnings­meddelande", lambda r: r.case.notice_sent_at),
    "kvittens": ("Kvitterat av", lambda r: r.unacknowledged if r.receipts else None),
    "beraknad": ("Beräknad utskrivning", lambda r: r.case.expected_discharge_date),
    "adl": ("ADL uppdaterad", lambda r: r.adl_updated_at),
    "klar": ("Utskrivnings­klar", lambda r: r.days_ready),
    "sip": ("SIP", lambda r: r.sip_rank),
    "vardkontakt": ("Fast vårdkontakt", _contact),
    "idag": ("Skrivs ut i dag", lambda r: not r.discharge_today),
}
DEFAULT_SORT = "patient"


@dataclass
class Header:
    """A column header: a link that sorts by it (or reverses the current order)."""

    key: str
    label: str
    href: str
    aria_sort: str  # ascending | descending | "" (not sorted by this column)


def parse_sort(sort: str | None) -> tuple[str, bool]:
    """The whitelisted column and whether descending; anything else is the default."""
    sort = sort or ""
    key = sort.removeprefix("-")
    if key not in COLUMNS:
        return DEFAULT_SORT, False
    return key, sort.startswith("-")


def headers(sort: str | None) -> list[Header]:
    current, descending = parse_sort(sort)
    result = []
    for key, (label, _) in COLUMNS.items():
        this = key == current
        flip = this and not descending
        aria = ("descending" if descending else "ascending") if this else ""
        result.append(Header(key, label, f"?sort={'-' if flip else ''}{key}", aria))
    return result


def ordered(rows: list[Row], sort: str | None) -> list[Row]:
    key, descending = parse_sort(sort)
    value = COLUMNS[key][1]
    known = [r for r in rows if value(r) is not None]
    known.sort(key=lambda r: (value(r), _patient(r)), reverse=descending)
    return known + [r for r in rows if value(r) is None]


def in_patients(actor):
    """The ward's cases in progress, through the access chokepoint, with the last ADL time."""
    last_adl = AdlStatus.objects.filter(case=OuterRef("pk")).order_by("-occurred_at")
    return (
        visible_cases(actor)
        .filter(ward=actor.unit, state__in=IN_PATIENT)
        .select_related("patient", "care_contact_unit")
        .only(*CASE_FIELDS)
        .annotate(adl_updated_at=Subquery(last_adl.values("occurred_at")[:1]))
        .order_by()
    )


def receipts(case_ids, now) -> dict[int, list[Receipt]]:
    """Per case, each recipient unit's latest delivery of an admission notice."""
    deliveries = (
        Delivery.objects.filter(message__case_id__in=case_ids, message__kind="admission_notice")
        .annotate(case_pk=F("message__case_id"), unit_name=F("unit__name"))
        .order_by("sent_at", "id")
    )
    latest: dict[int, dict[int, Delivery]] = {}
    for d in deliveries:
        latest.setdefault(d.case_pk, {})[d.unit_id] = d
    return {
        case_id: sorted((_receipt(d, now) for d in by_unit.values()), key=lambda r: r.unit)
        for case_id, by_unit in latest.items()
    }


def _receipt(d: Delivery, now) -> Receipt:
    at = {"acknowledged": d.acknowledged_at, "rejected": d.rejected_at}.get(d.state)
    at = at or (d.forwarded_at if d.state == Delivery.State.FORWARDED else None)
    return Receipt(d.unit_name, d.state, d.get_state_display(), at, d.is_overdue(now))


def ward_overview(actor, now, sort: str | None = None) -> list[Row]:
    """Every in-patient of the actor's ward, one row each, in the order asked for."""
    cases = list(in_patients(actor))
    answers = receipts([c.pk for c in cases], now) if cases else {}
    rows = [Row(c, now, c.adl_updated_at, answers.get(c.pk, [])) for c in cases]
    return ordered(rows, sort)
