"""Monthly rollup of the indicators: for each closed month, the stays' counts per combination of
the dashboard's dimensions and per-stay flags, so that a national register is summed from a few
thousand rows a month instead of being read stay by stay.

A month is *closed* 31 days after it ended: no later admission can make one of its stays a
30-day readmission any more. The worker rebuilds a closed month when it has no rollup yet, or
when a change touches it (a stay, its person, a SIP from it, a later admission). Pages take
closed, rolled-up whole months from here and count the rest live; both give the same figures
(tests/followup/test_rollup.py, and bench/followup_bench.py against hand-written SQL)."""

from datetime import date, timedelta

from django.db import models, transaction
from django.db.models import Q, Sum
from django.utils import timezone

from samverkan.cases.models import Case
from samverkan.patients.models import Patient
from samverkan.sip.models import Sip

from .indicators import COUNTS, READMISSION_DAYS, Filters, Record, records

CLOSED_AFTER_DAYS = 31
DIMS = ("month", "municipality_id", "ward_id", "age", "care")
CELL_COLUMNS = {  # a page's dimension -> the cell's field
    "month": "month",
    "municipality": "municipality__name",
    "ward": "ward__name",
    "age": "age_group",
    "care": "care",
}


class IndicatorMonth(models.Model):
    """A month whose stays are rolled up, and when."""

    month = models.DateField(unique=True)
    refreshed_at = models.DateTimeField()  # when its cells were built
    checked_at = models.DateTimeField()  # when changes since then were last looked for
    stays = models.PositiveIntegerField(default=0)

    class Meta:
        app_label = "followup"
        ordering = ["month"]

    def __str__(self):
        return f"{self.month:%Y-%m}"


class IndicatorCell(models.Model):
    """Counts of the stays discharged in one month with one combination of municipality, ward,
    age group, care type, the two per-stay flags and the days as ready (None: never ready)."""

    month = models.DateField()
    municipality = models.ForeignKey(
        "directory.Principal", null=True, on_delete=models.CASCADE, related_name="+"
    )
    ward = models.ForeignKey("directory.Unit", on_delete=models.CASCADE, related_name="+")
    age_group = models.CharField(max_length=8)
    care = models.CharField(max_length=12)
    readmitted = models.BooleanField()
    with_sip = models.BooleanField()
    days_ready = models.PositiveIntegerField(null=True)
    stays = models.PositiveIntegerField()
    notice = models.PositiveIntegerField()
    notice_on_time = models.PositiveIntegerField()
    ready = models.PositiveIntegerField()
    aged_65 = models.PositiveIntegerField()
    ready_65 = models.PositiveIntegerField()
    needs_sip = models.PositiveIntegerField()
    sip_on_time = models.PositiveIntegerField()
    short_term = models.PositiveIntegerField()
    special_housing = models.PositiveIntegerField()

    class Meta:
        app_label = "followup"
        indexes = [models.Index(fields=["month"], name="indicator_cell_month")]

    def __str__(self):
        return f"{self.month:%Y-%m}: {self.stays} vårdtillfällen"


def month_end(month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1) - timedelta(days=1)


def closed(month: date, now) -> bool:
    return timezone.localdate(now) > month_end(month) + timedelta(days=CLOSED_AFTER_DAYS)


def _cell(month: date, r: Record) -> IndicatorCell:
    _, municipality, ward, age, care = r.key
    return IndicatorCell(
        month=month,
        municipality_id=municipality,
        ward_id=ward,
        age_group=age,
        care=care,
        readmitted=r.readmitted,
        with_sip=r.with_sip,
        days_ready=r.days,
        **r.counts,
    )


@transaction.atomic
def refresh_month(month: date, now=None) -> int:
    """Rebuild one month's cells from its stays; returns the stays counted."""
    cells = [_cell(month, r) for r in records(Filters(month, month_end(month)), DIMS)]
    IndicatorCell.objects.filter(month=month).delete()
    IndicatorCell.objects.bulk_create(cells, batch_size=2000)
    total = sum(c.stays for c in cells)
    now = now or timezone.now()
    IndicatorMonth.objects.update_or_create(
        month=month, defaults={"refreshed_at": now, "checked_at": now, "stays": total}
    )
    return total


def _closed_months(now) -> list[date]:
    first = Case.objects.filter(discharged_at__isnull=False).order_by("discharged_at").first()
    months, month = [], timezone.localdate(first.discharged_at).replace(day=1) if first else None
    while month and closed(month, now):
        months.append(month)
        month = month_end(month) + timedelta(days=1)
    return months


def _months(discharges) -> set[date]:
    """The months (first days, Swedish time) of the discharge times."""
    return {timezone.localdate(m).replace(day=1) for m in discharges if m}


def _changed_months(since) -> set[date]:
    """The months whose rolled-up figures changes after `since` may touch: the discharge month
    of every stay that changed, got a SIP, or whose person changed (municipality, birth date),
    and of each stay that a stay admitted later may have made a readmission. Indexed on the
    times of change, so a pass over a quiet register is a few small queries."""
    persons = Patient.objects.filter(updated_at__gt=since).values_list("pk", flat=True)
    changed = Case.objects.filter(
        Q(updated_at__gt=since) | Q(patient_id__in=list(persons))
    ).values_list("patient_id", "admitted_at", "discharged_at")
    months = _months(d for _, _, d in changed)
    sips = Sip.objects.filter(created_at__gt=since).values_list("case__discharged_at", flat=True)
    months |= _months(sips)
    admitted = {(p, a) for p, a, _ in changed if a}
    earlier = Case.objects.filter(
        patient_id__in={p for p, _ in admitted}, discharged_at__isnull=False
    ).values_list("patient_id", "discharged_at")
    for patient, discharged in earlier:
        window = timedelta(days=READMISSION_DAYS)
        if any(p == patient and discharged < a <= discharged + window for p, a in admitted):
            months |= _months([discharged])
    return months


def due(now) -> list[date]:
    """Closed months without a rollup, or touched by a change since the last check."""
    done = set(IndicatorMonth.objects.values_list("month", flat=True))
    months = set(_closed_months(now))
    touched = set()
    if done:
        since = IndicatorMonth.objects.order_by("checked_at").values_list("checked_at").first()[0]
        touched = _changed_months(since) & done
        IndicatorMonth.objects.update(checked_at=now)
    return sorted((months - done) | (touched & months))


def refresh_due(now=None) -> int:
    """The worker's job: rebuild every month that is due; returns how many were."""
    now = now or timezone.now()
    months = due(now)
    for month in months:
        refresh_month(month, now)
    return len(months)


def rolled_up(f: Filters, now=None) -> list[date]:
    """The closed, rolled-up whole months inside the period."""
    now = now or timezone.now()
    found = IndicatorMonth.objects.filter(month__gte=f.date_from, month__lte=f.date_to)
    months = found.values_list("month", flat=True)
    return sorted(m for m in months if month_end(m) <= f.date_to and closed(m, now))


def live_parts(f: Filters, months: list[date]) -> list[Filters]:
    """The stretches of the period that the rolled-up months do not cover."""
    parts, cursor = [], f.date_from
    for month in months:
        if cursor < month:
            parts.append(f.shifted(cursor, month - timedelta(days=1)))
        cursor = month_end(month) + timedelta(days=1)
    if cursor <= f.date_to:
        parts.append(f.shifted(cursor, f.date_to))
    return parts


def from_cells(f: Filters, dims: tuple[str, ...], months: list[date]):
    """The rolled-up months' records, narrowed and grouped like indicators.records()."""
    cells = IndicatorCell.objects.filter(month__in=months)
    narrowing = {"municipality_id": f.municipality, "ward_id": f.ward}
    narrowing |= {"age_group": f.age, "care": f.care}
    cells = cells.filter(**{k: v for k, v in narrowing.items() if v})
    columns = [CELL_COLUMNS[d] for d in dims]
    rows = cells.values(*columns, "readmitted", "with_sip", "days_ready").order_by()
    for r in rows.annotate(**{k: Sum(k) for k in COUNTS}):
        key = tuple(r[c] for c in columns)
        counts = {k: r[k] for k in COUNTS}
        yield Record(key, r["readmitted"], r["with_sip"], r["days_ready"], counts)
