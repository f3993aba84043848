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


@dataclass
class Average:
    year: int
    rows: list[AverageRow]
    excluded: dict[str, int]  # reason -> stays left out of the mean
    terms: Terms

    @property
    def rules(self) -> dict:
        return rules_text(self.terms)

    @property
    def applies(self) -> bool:
        """Whether the agreement uses the average model (else the page is a comparison)."""
        return self.terms.model == AVERAGE


def average(year: int, municipalities, today: date | None = None) -> Average:
    """Per municipality, care area and month of discharge: patients, mean days ready, the
    rolling mean over the agreement's months and the liable days above its free days."""
    today = today or timezone.localdate()
    region = Principal.objects.filter(kind="region").first()
    agreements = loader.agreements()[region.pk] if region else []
    terms = in_force(agreements, date(year, 1, 1))
    first = add_months(date(year, 1, 1), 1 - terms.rolling_months)
    counts = defaultdict(lambda: defaultdict(lambda: (0, 0)))
    excluded = defaultdict(int)
    for stay in loader.load(_discharged_between(first, date(year, 12, 31), municipalities)):
        end = timezone.localdate(stay.case.discharged_at)
        days, reason = days_ready(stay.facts, terms, today)
        if days is None:
            if end.year == year:
                excluded[reason] += 1
            continue
        key = (stay.case.patient.registered_municipality_id, stay.facts.psychiatric)
        patients, total = counts[key][end.replace(day=1)]
        counts[key][end.replace(day=1)] = (patients + 1, total + days)
    rows = _average_rows(counts, municipalities, terms, year, today)
    return Average(year, rows, dict(excluded), terms)


def _average_rows(counts, municipalities, terms, year, today) -> list[AverageRow]:
    """Every month of the year up to this month (months to come have no figures yet)."""
    amounts = loader.amounts()
    months = [date(year, m, 1) for m in range(1, 13) if date(year, m, 1) <= today]
    rows = []
    for m in municipalities:
        for psychiatric, area in AREAS.items():
            by_month = dict(counts.get((m.pk, psychiatric), {}))
            by_month.update({mo: by_month.get(mo, (0, 0)) for mo in months})
            free = for_care(terms, psychiatric).free_days
            for row in month_rows(by_month, free, terms.rolling_months, amounts):
                if row.month.year == year:
                    rows.append(AverageRow(m, area, row))
    return rows


def _discharged_between(first: date, last: date, municipalities):
    return Case.objects.filter(
        discharged_at__gte=day_start(first),
        discharged_at__lt=day_start(last + timedelta(days=1)),
        pk__in=ReadyPeriod.objects.values("case_id"),
        patient__registered_municipality__in=municipalities,
    )
