"""The collaboration's LOS indicators as aggregate queries: the database groups and counts, so a
region-year and a national-size register answer alike; no row of a person leaves the database.

A stay counts in the period of its discharge (vårdtillfällen avslutade under perioden); days as
ready for discharge are calendar days (Swedish time) from the latest ready notice to discharge."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import (
    Avg,
    BooleanField,
    Count,
    DateTimeField,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    Value,
    When,
)
from django.db.models import Case as SqlCase
from django.db.models.functions import (
    ExtractDay,
    ExtractMonth,
    ExtractYear,
    TruncDate,
    TruncMonth,
)
from django.utils import timezone

from samverkan.cases import deadlines
from samverkan.cases.models import Case, Delivery
from samverkan.directory.models import Unit
from samverkan.lib.periods import within
from samverkan.sip.models import Sip

AGE_GROUPS = [("0-17", 0, 17), ("18-64", 18, 64), ("65-79", 65, 79), ("80+", 80, 999)]
CARE_TYPES = {"somatic": "Somatisk vård", "psychiatric": "Psykiatrisk vård"}
DIMENSIONS = {
    "month": "Månad",
    "municipality": "Kommun",
    "ward": "Vårdenhet",
    "age": "Åldersgrupp",
    "care": "Somatik/psykiatri",
}
DAY_BINS = [("0", 0, 0), ("1", 1, 1), ("2", 2, 2), ("3", 3, 3), ("4-7", 4, 7), ("8-14", 8, 14)]
DAY_BINS.append(("15+", 15, 10**6))
READMISSION_DAYS = 30


@dataclass(frozen=True)
class Filters:
    """What the dashboard counts: a period of whole days and optional narrowing."""

    date_from: date
    date_to: date
    municipality: int | None = None  # Principal pk (the registered municipality)
    ward: int | None = None  # Unit pk
    age: str = ""  # one of AGE_GROUPS' labels
    care: str = ""  # somatic | psychiatric

    @property
    def days(self) -> int:
        return (self.date_to - self.date_from).days + 1

    def covers(self, other: "Filters") -> bool:
        return self.date_from <= other.date_from and other.date_to <= self.date_to

    def shifted(self, date_from: date, date_to: date) -> "Filters":
        return Filters(date_from, date_to, self.municipality, self.ward, self.age, self.care)


def age_years(when: str, born: str):
    """Whole years from `born` (a date) to the local date of `when`, exact at birthdays."""
    before_birthday = SqlCase(
        When(
            Q(**{"_md_when__lt": F("_md_born")}),
            then=Value(1),
        ),
        default=Value(0),
        output_field=IntegerField(),
    )
    return ExtractYear(when) - ExtractYear(born) - before_birthday


def _age_group():
    whens = [When(_age__range=(low, high), then=Value(label)) for label, low, high in AGE_GROUPS]
    return SqlCase(*whens, default=Value("okänd"))


def _readmitted():
    later = ExpressionWrapper(
        OuterRef("discharged_at") + timedelta(days=READMISSION_DAYS), output_field=DateTimeField()
    )
    return Exists(
        Case.objects.filter(
            patient=OuterRef("patient"),
            admitted_at__gt=OuterRef("discharged_at"),
            admitted_at__lte=later,
        )
    )


def care_of(kind: str):
    """Psychiatric care for a psychiatric ward, somatic care otherwise."""
    psychiatric = When(**{kind: Unit.Kind.WARD_PSYCHIATRIC}, then=Value("psychiatric"))
    return SqlCase(psychiatric, default=Value("somatic"))


def stays(f: Filters):
    """Discharged stays in the period, narrowed by the filters, with the columns to group by."""
    found = within(Case.objects.filter(admitted_at__isnull=False), "discharged_at", vars(f))
    found = found.annotate(
        _md_when=ExtractMonth("admitted_at") * 100 + ExtractDay("admitted_at"),
        _md_born=ExtractMonth("patient__birth_date") * 100 + ExtractDay("patient__birth_date"),
    ).annotate(
        _age=age_years("admitted_at", "patient__birth_date"),
        _care=care_of("ward__kind"),
        _month=TruncMonth("discharged_at"),
        _municipality=F("patient__registered_municipality__name"),
        _ward=F("ward__name"),
    )
    found = found.annotate(_agegroup=_age_group())
    if f.municipality:
        found = found.filter(patient__registered_municipality_id=f.municipality)
    if f.ward:
        found = found.filter(ward_id=f.ward)
    if f.age:
        found = found.filter(_agegroup=f.age)
    if f.care:
        found = found.filter(_care=f.care)
    return found


GROUP_COLUMN = {
    "month": "_month",
    "municipality_id": "patient__registered_municipality_id",
    "ward_id": "ward_id",
    "municipality": "_municipality",
    "ward": "_ward",
    "age": "_agegroup",
    "care": "_care",
    None: None,
}


COUNTS = {
    "stays": Q(),
    "notice": Q(notice_sent_at__isnull=False),
    "notice_on_time": None,  # built per call (needs expressions)
    "ready": Q(ready_at__isnull=False),
    "aged_65": Q(_age__gte=65),
    "ready_65": Q(ready_at__isnull=False, _age__gte=65),
    "needs_sip": Q(ready_at__isnull=False, sip_needed=True),
    "sip_on_time": None,
    "short_term": Q(destination=Case.Destination.SHORT_TERM),
    "special_housing": Q(destination=Case.Destination.SPECIAL_HOUSING),
}
# Counted from the two flags each stay is grouped by (computed once per stay, not per count).
FLAGGED = ["readmitted", "with_sip", "readmitted_sip", "readmitted_no_sip"]
NAMES = [*COUNTS, *FLAGGED]


def _conditions() -> dict[str, Q]:
    return {
        **COUNTS,
        "notice_on_time": deadlines.notice_on_time_q(),
        "sip_on_time": Q(ready_at__isnull=False) & deadlines.sip_on_time_q(),
    }


def _with_sip():
    return Q(sip_called_at__isnull=False) | Q(Exists(Sip.objects.filter(case=OuterRef("pk"))))


def _flagged(n: int, readmitted: bool, with_sip: bool) -> dict:
    return {
        "readmitted": n * readmitted,
        "with_sip": n * with_sip,
        "readmitted_sip": n * (readmitted and with_sip),
        "readmitted_no_sip": n * (readmitted and not with_sip),
    }


def _days():
    """Calendar days (Swedish time) from the ready notice to discharge; None when never ready."""
    return ExpressionWrapper(
        TruncDate("discharged_at") - TruncDate("ready_at"), output_field=DurationField()
    )


@dataclass(frozen=True)
class Record:
    """Stays with the same group values, flags and days as ready, and their counts."""

    key: tuple
    readmitted: bool
    with_sip: bool
    days: int | None  # None: never ready
    counts: dict  # COUNTS' names -> n


def records(f: Filters, dims: tuple[str, ...]):
    """The stays in the period counted in one query, grouped by the dimensions, the two
    per-stay flags and the days as ready."""
    found = stays(f).annotate(
        _readmitted=_readmitted(),
        _with_sip=ExpressionWrapper(_with_sip(), output_field=BooleanField()),
        _days=_days(),
    )
    columns = [GROUP_COLUMN[d] for d in dims]
    aggregates = {name: Count("pk", filter=q) for name, q in _conditions().items()}
    rows = found.values(*columns, "_readmitted", "_with_sip", "_days").order_by()
    for r in rows.annotate(**aggregates):
        days = None if r["_days"] is None else max(r["_days"].days, 0)
        key = tuple(_plain(r[c]) for c in columns)
        yield Record(key, r["_readmitted"], r["_with_sip"], days, {k: r[k] for k in aggregates})


def _plain(value):
    """A month as its first day (a date), whatever the database returns."""
    return timezone.localdate(value) if isinstance(value, datetime) else value


def fold(found) -> dict:
    """{(group values …): (counts, {days as ready: stays})} from records."""
    result: dict = {}
    for r in found:
        n = r.counts["stays"]
        counts, days = result.get(r.key, ({}, {}))
        if r.days is not None:
            days = add(days, {r.days: n})
        result[r.key] = (add(counts, r.counts | _flagged(n, r.readmitted, r.with_sip)), days)
    return result


def add(a: dict, b: dict) -> dict:
    """Counts are additive: two groups' counts (or day histograms) summed."""
    return {k: a.get(k, 0) + b.get(k, 0) for k in a.keys() | b.keys()}


@dataclass
class Histogram:
    """Days as ready for discharge: count per day, with mean and median read from it."""

    days: dict[int, int] = field(default_factory=dict)

    @property
    def n(self) -> int:
        return sum(self.days.values())

    @property
    def total(self) -> int:
        return sum(d * n for d, n in self.days.items())

    @property
    def mean(self) -> float | None:
        return round(self.total / self.n, 1) if self.n else None

    @property
    def median(self) -> float | None:
        if not self.n:
            return None
        ordered = sorted(self.days.items())
        return (_nth(ordered, (self.n - 1) // 2) + _nth(ordered, self.n // 2)) / 2

    def share(self, low: int, high: int) -> tuple[int, int]:
        return sum(n for d, n in self.days.items() if low <= d <= high), self.n


def _nth(ordered, k: int) -> int:
    seen = 0
    for day, n in ordered:
        seen += n
        if k < seen:
            return day
    raise IndexError(k)


def acknowledgements(f: Filters) -> list[dict]:
    """Per receiving unit: messages sent in the period, acknowledged by the check time, within
    4 h and 24 h, and the mean hours to acknowledge; one query."""
    found = within(Delivery.objects.all(), "sent_at", vars(f))
    if f.municipality:
        found = found.filter(message__case__patient__registered_municipality_id=f.municipality)
    if f.ward:
        found = found.filter(message__case__ward_id=f.ward)
    took = ExpressionWrapper(F("acknowledged_at") - F("sent_at"), output_field=DurationField())

    def within_hours(h):
        return Q(acknowledged_at__lte=F("sent_at") + timedelta(hours=h))

    rows = list(
        found.values("unit_id")  # grouped by id: a join to every row costs a third more
        .order_by()
        .annotate(
            sent=Count("pk"),
            acknowledged=Count("pk", filter=Q(acknowledged_at__isnull=False)),
            on_time=Count("pk", filter=Q(acknowledged_at__lte=F("ack_due_at"))),
            within_4h=Count("pk", filter=within_hours(4)),
            within_24h=Count("pk", filter=within_hours(24)),
            mean=Avg(took, filter=Q(acknowledged_at__isnull=False)),
        )
    )
    names = dict(Unit.objects.filter(pk__in=[r["unit_id"] for r in rows]).values_list("pk", "name"))
    return sorted(({"unit": names[r["unit_id"]], **r} for r in rows), key=lambda r: r["unit"])


def sip_counts(f: Filters, by_month: bool = False) -> dict:
    """SIPs started in the period: all, preventive, and the quality score of those closed."""
    found = within(Sip.objects.all(), "started_at", vars(f))
    if f.municipality:
        found = found.filter(patient__registered_municipality_id=f.municipality)
    aggregates = {
        "sips": Count("pk"),
        "preventive": Count("pk", filter=Q(kind=Sip.Kind.PREVENTIVE)),
        "scored": Count("pk", filter=Q(quality_score__isnull=False)),
        "quality": Avg("quality_score"),
    }
    if by_month:
        rows = found.annotate(_month=TruncMonth("started_at")).values("_month").order_by()
        return {r["_month"]: r for r in rows.annotate(**aggregates)}
    return {None: found.aggregate(**aggregates)}
