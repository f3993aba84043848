"""The monthly statement per municipality (one line per stay, with its days and the rule that
stopped liability), the totals per municipality, and the average model per month."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Q
from django.utils import timezone

from samverkan.cases.models import Case, ReadyPeriod
from samverkan.directory.models import Principal
from samverkan.lib.periods import day_start

from . import facts as loader
from .rules import (
    AVERAGE,
    MonthRow,
    Outcome,
    StayFacts,
    Terms,
    days_ready,
    describe,
    for_care,
    in_force,
    liability,
    month_rows,
    preconditions,
)

AREAS = {False: "Somatisk vård", True: "Psykiatrisk vård"}


def rules_text(terms: Terms) -> dict:
    """What the pages say of an agreement: its day rules per care area and its preconditions."""
    return {
        "areas": [(area, describe(for_care(terms, p))) for p, area in AREAS.items()],
        "preconditions": preconditions(terms),
    }


def month_end(first: date) -> date:
    return (first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def add_months(first: date, months: int) -> date:
    index = first.year * 12 + first.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def ready_between(first: date, last: date, municipalities=None):
    """Cases with a ready period on some day from first through last."""
    periods = ReadyPeriod.objects.filter(
        declared_at__lt=day_start(last + timedelta(days=1))
    ).filter(Q(ended_at__isnull=True) | Q(ended_at__gte=day_start(first)))
    cases = Case.objects.filter(pk__in=periods.values("case_id"))
    if municipalities is not None:
        cases = cases.filter(patient__registered_municipality__in=municipalities)
    return cases


@dataclass
class Line:
    """One stay on a statement: the month's days only, the stay's facts for checking."""

    case: Case
    outcome: Outcome  # the month's days
    facts: StayFacts

    @property
    def ready_notices(self) -> list:
        return [p.declared_at for p in self.facts.periods]

    @property
    def municipality(self) -> Principal:
        return self.case.patient.registered_municipality


@dataclass
class Total:
    municipality: Principal
    stays: int = 0
    liable_stays: int = 0
    liable_days: int = 0
    amount: int = 0
    missing_years: set = field(default_factory=set)


@dataclass
class Statement:
    """A month for some municipalities: lines (when the reader may see them) and totals."""

    month: date
    lines: list[Line]
    totals: list[Total]
    average: bool  # the agreement in force on the 1st uses the average model
    terms: Terms

    @property
    def rules(self) -> dict:
        return rules_text(self.terms)

    @property
    def last(self) -> date:
        return month_end(self.month)

    @property
    def sum(self) -> Total:
        total = Total(Principal(name="Totalt"))
        for t in self.totals:
            total.stays += t.stays
            total.liable_stays += t.liable_stays
            total.liable_days += t.liable_days
            total.amount += t.amount
            total.missing_years |= t.missing_years
        return total


def lines_for(month: date, municipalities, today: date | None = None) -> list[Line]:
    """The statement lines of the municipalities for the month (fixed number of queries)."""
    today = today or timezone.localdate()
    last = month_end(month)
    terms, amounts = loader.agreements(), loader.amounts()
    stays = loader.load(ready_between(month, last, municipalities))
    lines = []
    for s in stays:
        outcome = liability(s.facts, terms[s.case.ward.principal_id], amounts, today)
        lines.append(Line(s.case, outcome.within(month, last), s.facts))
    return [line for line in lines if line.outcome.days]


def statement(month: date, municipalities, today: date | None = None) -> Statement:
    municipalities = list(municipalities)
    lines = lines_for(month, municipalities, today)
    totals = {m.pk: Total(m) for m in municipalities}
    for line in lines:
        t = totals[line.case.patient.registered_municipality_id]
        t.stays += 1
        t.liable_stays += bool(line.outcome.liable_days)
        t.liable_days += line.outcome.liable_days
        t.amount += line.outcome.amount
        t.missing_years |= {d.date.year for d in line.outcome.days if d.counted and not d.amount}
    region = Principal.objects.filter(kind="region").first()
    terms = in_force(loader.agreements()[region.pk] if region else [], month)
    return Statement(month, lines, list(totals.values()), terms.model == AVERAGE, terms)


# --- the average model --------------------------------------------------------------------


@dataclass
class AverageRow:
    municipality: Principal
    area: str
    row: MonthRow


@dataclass(frozen=True)
class Span:
    """One agreement as the average page applies it: a region's months from first to last."""

    region: Principal
    terms: Terms
    first: date
    last: date

    @property
    def rules(self) -> dict:
        return rules_text(self.terms)

    @property
    def applies(self) -> bool:
        return self.terms.model == AVERAGE


# The average model counts calendar days from the clock's start to discharge (same day = 0),
# the individual model liable days up to the day before discharge: the worked example of
# DOMAIN.md §2 (notice Mon 3 March, out Mon 10 March, 3 free days) is 7 − 3 = 4 days here and 3
# days in the individual model. That is how the two models are written; the page says so
# (payment_part_average_how.html) and the tests pin both numbers.


@dataclass
class Average:
    year: int
    rows: list[AverageRow]
    excluded: dict[str, int]  # reason -> stays left out of the mean
    spans: list[Span]  # the agreements in force during the year, per region

    @property
    def applies(self) -> bool:
        """Whether the agreements use the average model (else the page is a comparison)."""
        return any(span.applies for span in self.spans)

    @property
    def several_regions(self) -> bool:
        return len({span.region.pk for span in self.spans}) > 1

    @property
    def mixed(self) -> bool:
        """Whether only some months fall under an average-model agreement."""
        return self.applies and not all(span.applies for span in self.spans)


def average(year: int, municipalities, today: date | None = None) -> Average:
    """Per municipality, care area and month of discharge: patients, mean days ready, the
    rolling mean and the liable days above the free days. Each stay is counted under the
    agreement of its ward's region in force on the first day of its month of discharge, and
    each month's row uses that month's free days and rolling months."""
    today = today or timezone.localdate()
    regions = list(Principal.objects.filter(kind=Principal.Kind.REGION).order_by("name"))
    agreements = loader.agreements()

    def terms_of(region_id: int, month: date) -> Terms:
        return in_force(agreements[region_id], month)

    months = [date(year, m, 1) for m in range(1, 13)]
    longest = max((terms_of(r.pk, m).rolling_months for r in regions for m in months), default=1)
    first = add_months(months[0], 1 - longest)
    counts = defaultdict(lambda: defaultdict(lambda: (0, 0)))
    excluded = defaultdict(int)
    for stay in loader.load(_discharged_between(first, date(year, 12, 31), municipalities)):
        month = timezone.localdate(stay.case.discharged_at).replace(day=1)
        region = stay.case.ward.principal_id
        days, reason = days_ready(stay.facts, terms_of(region, month), today)
        if days is None:
            if month.year == year:
                excluded[reason] += 1
            continue
        key = (stay.case.patient.registered_municipality_id, region, stay.facts.psychiatric)
        patients, total = counts[key][month]
        counts[key][month] = (patients + 1, total + days)
    shown = [m for m in months if m <= today]
    # The regions whose wards discharged someone (in Blekinge one); all when none did.
    regions = [r for r in regions if any(k[1] == r.pk for k in counts)] or regions
    rows = _average_rows(counts, municipalities, regions, terms_of, shown)
    spans = [span for r in regions for span in _spans(r, terms_of, months)]
    return Average(year, rows, dict(excluded), spans)


def _spans(region: Principal, terms_of, months: list[date]) -> list[Span]:
    """The region's agreements over the months, consecutive months of one agreement as one."""
    spans: list[Span] = []
    for month in months:
        terms = terms_of(region.pk, month)
        if spans and spans[-1].terms == terms:
            spans[-1] = Span(region, terms, spans[-1].first, month)
        else:
            spans.append(Span(region, terms, month, month))
    return spans


def _average_rows(counts, municipalities, regions, terms_of, months) -> list[AverageRow]:
    """Every month of the year up to this month (months to come have no figures yet); the
    region is named with the care area only where there are several regions."""
    amounts = loader.amounts()
    rows = []
    for m in municipalities:
        for region in regions:
            for psychiatric, area in AREAS.items():
                by_month = dict(counts.get((m.pk, region.pk, psychiatric), {}))
                by_month.update({mo: by_month.get(mo, (0, 0)) for mo in months})
                terms = {mo: for_care(terms_of(region.pk, mo), psychiatric) for mo in by_month}
                free = {mo: t.free_days for mo, t in terms.items()}
                rolling = {mo: t.rolling_months for mo, t in terms.items()}
                label = f"{area}, {region.name}" if len(regions) > 1 else area
                for row in month_rows(by_month, free, rolling, amounts):
                    if row.month in months:
                        rows.append(AverageRow(m, label, row))
    return rows


def _discharged_between(first: date, last: date, municipalities):
    return Case.objects.filter(
        discharged_at__gte=day_start(first),
        discharged_at__lt=day_start(last + timedelta(days=1)),
        pk__in=ReadyPeriod.objects.values("case_id"),
        patient__registered_municipality__in=municipalities,
    )
