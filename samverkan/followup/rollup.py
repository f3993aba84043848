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
from django.db.models import Min, Sum
from django.utils import timezone

from samverkan.cases.models import Case
from samverkan.patients.models import Patient
from samverkan.sip.models import Sip

from .indicators import COUNTS, READMISSION_DAYS, Filters, Record, care_of, records

CLOSED_AFTER_DAYS = 31
MARGIN = timedelta(minutes=5)
DIMS = ("month", "municipality_id", "ward_id", "age")  # care follows from the ward, when read
CELL_COLUMNS = {  # a page's dimension -> the cell's field
    "month": "month",
    "municipality": "municipality__name",
    "ward": "ward__name",
    "age": "age_group",
    "care": "_care",
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
    _, municipality, ward, age = r.key
    return IndicatorCell(
        month=month,
        municipality_id=municipality,
        ward_id=ward,
        age_group=age,
        readmitted=r.readmitted,
        with_sip=r.with_sip,
        days_ready=r.days,
        **r.counts,
    )


@transaction.atomic
def refresh_month(month: date, now=None) -> int:
    """Rebuild one month's cells from its stays; returns the stays counted. The month's row is
    locked first, so two workers never rebuild the same month at once (nor double it)."""
    now = now or timezone.now()
    row, _ = IndicatorMonth.objects.get_or_create(
        month=month, defaults={"refreshed_at": now, "checked_at": now}
    )
    IndicatorMonth.objects.select_for_update().filter(pk=row.pk).first()
    cells = [_cell(month, r) for r in records(Filters(month, month_end(month)), DIMS)]
    IndicatorCell.objects.filter(month=month).delete()
    IndicatorCell.objects.bulk_create(cells, batch_size=2000)
    total = sum(c.stays for c in cells)
    IndicatorMonth.objects.filter(pk=row.pk).update(refreshed_at=now, stays=total)
    return total


def _closed_months(now) -> list[date]:
    first = Case.objects.filter(discharged_at__isnull=False).order_by("discharged_at").first()
    months, month = [], timezone.localdate(first.discharged_at).replace(day=1) if first else None
    while month and closed(month, now):
        months.append(month)
        month = month_end(month) + timedelta(days=1)
    return months


def _touch(found: dict, discharged, stamp) -> None:
    """Note that the month of `discharged` (Swedish time) changed at `stamp`."""
    if discharged:
        month = timezone.localdate(discharged).replace(day=1)
        found[month] = max(found.get(month, stamp), stamp)


def _changed_months(since) -> dict[date, object]:
    """{month: latest change} for the months that changes after `since` may touch: the
    discharge month of every stay that changed, got a SIP or whose person changed, and of each
    earlier stay that an admission may have made a readmission. Each query is indexed on a
    time of change, so a pass over a quiet register is a few small queries."""
    found: dict = {}
    changed = Case.objects.filter(updated_at__gt=since)
    for discharged, stamp in changed.values_list("discharged_at", "updated_at"):
        _touch(found, discharged, stamp)
    persons = Patient.objects.filter(updated_at__gt=since)
    stamps = dict(persons.values_list("pk", "updated_at"))
    theirs = Case.objects.filter(patient__in=persons.values("pk"), discharged_at__isnull=False)
    for patient, discharged in theirs.values_list("patient_id", "discharged_at"):
        _touch(found, discharged, stamps[patient])
    sips = Sip.objects.filter(created_at__gt=since, case__isnull=False)
    for discharged, stamp in sips.values_list("case__discharged_at", "created_at"):
        _touch(found, discharged, stamp)
    _readmissions(found, changed.filter(admitted_at__isnull=False))
    return found


def _readmissions(found: dict, admissions) -> None:
    """The earlier stays that the changed admissions may have made 30-day readmissions."""
    by_person: dict = {}
    for patient, admitted, stamp in admissions.values_list(
        "patient_id", "admitted_at", "updated_at"
    ):
        by_person.setdefault(patient, []).append((admitted, stamp))
    earlier = Case.objects.filter(
        patient__in=admissions.values("patient_id"), discharged_at__isnull=False
    )
    window = timedelta(days=READMISSION_DAYS)
    for patient, discharged in earlier.values_list("patient_id", "discharged_at"):
        for admitted, stamp in by_person.get(patient, []):
            if discharged < admitted <= discharged + window:
                _touch(found, discharged, stamp)


def due(now) -> list[date]:
    """Closed months without a rollup, or changed since theirs was built. A change counts
    until MARGIN after its time stamp: a transaction may commit late, a clock may lag."""
    done = dict(IndicatorMonth.objects.values_list("month", "refreshed_at"))
    closed_months = set(_closed_months(now))
    stale = set()
    if done:
        checked = IndicatorMonth.objects.aggregate(m=Min("checked_at"))["m"]
        for month, latest in _changed_months(checked - MARGIN).items():
            if month in done and latest > done[month] - MARGIN:
                stale.add(month)
    return sorted((closed_months - set(done)) | (stale & closed_months))


def refresh_due(now=None, limit: int | None = None) -> int:
    """A worker job (samverkan/worker.py): rebuild the months that are due (at most `limit` a
    pass); returns how many. Changes count as seen only once every due month is rebuilt, so a
    failed or cut pass is taken up again by the next."""
    now = now or timezone.now()
    months = due(now)
    for month in months[:limit]:
        refresh_month(month, now)
    if limit is None or len(months) <= limit:
        IndicatorMonth.objects.update(checked_at=now)
    return len(months[:limit])


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
    cells = IndicatorCell.objects.filter(month__in=months).annotate(_care=care_of("ward__kind"))
    narrowing = {"municipality_id": f.municipality, "ward_id": f.ward}
    narrowing |= {"age_group": f.age, "_care": f.care}
    cells = cells.filter(**{k: v for k, v in narrowing.items() if v})
    columns = [CELL_COLUMNS[d] for d in dims]
    rows = cells.values(*columns, "readmitted", "with_sip", "days_ready").order_by()
    for r in rows.annotate(**{k: Sum(k) for k in COUNTS}):
        key = tuple(r[c] for c in columns)
        counts = {k: r[k] for k in COUNTS}
        yield Record(key, r["readmitted"], r["with_sip"], r["days_ready"], counts)
