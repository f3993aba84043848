"""Statistics of the follow-up calls, read only from the pseudonymised CallRecord rows
(municipality, age band, sex, pseudonym): response rate, attempts, CTM-4 and the contact
question, with small cells suppressed by the dashboard's rules."""

from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.utils import timezone

from samverkan.directory.models import Principal
from samverkan.followup.dashboard import NO_DATA, percent
from samverkan.lib.disclosure import protect, whole_months
from samverkan.lib.exports import HIDDEN, suppress
from samverkan.lib.tables import Table

from .models import CallRecord, FollowUpCall, KnowsContact
from .rules import AGE_BANDS

State = FollowUpCall.State
SEX = {"K": "Kvinnor", "M": "Män", "": "Okänt"}
MAX_MONTHS = 60


@dataclass
class Period:
    """Whole calendar months, from and to, and optionally one municipality."""

    date_from: date
    date_to: date
    municipality: int | None = None

    def records(self):
        found = CallRecord.objects.filter(month__gte=self.date_from, month__lte=self.date_to)
        return found.filter(municipality=self.municipality) if self.municipality else found


def _month(text: str | None) -> date | None:
    try:
        year, month = (int(x) for x in (text or "")[:7].split("-"))
        return date(year, month, 1) if 2000 <= year <= 2100 else None
    except ValueError:
        return None


def period_from(query) -> Period:
    """The months asked for (?fran=2026-01&till=2026-06), else the last 12 whole months."""
    today = timezone.localdate()
    last = _month(query.get("till")) or today.replace(day=1)
    first = _month(query.get("fran")) or date(last.year - 1, last.month, 1)
    if first > last or (last.year - first.year) * 12 + last.month - first.month > MAX_MONTHS:
        first = date(last.year - 1, last.month, 1)
    return Period(*whole_months(first, last))


def mean_of(values: list):
    """A mean hidden like a small cell when it rests on few values."""
    if not values:
        return NO_DATA
    return round(sum(values) / len(values), 1) if suppress(len(values)) else HIDDEN


@dataclass
class CallFigures:
    """The counts of one group of finished calls."""

    records: list = field(default_factory=list)

    def count(self, outcome: str) -> int:
        return sum(1 for r in self.records if r.outcome == outcome)

    @property
    def answered(self) -> list:
        return [r for r in self.records if r.outcome == State.ANSWERED]

    def row(self, label: str) -> list:
        n, answered = len(self.records), self.answered
        attempts = sum(r.attempts for r in self.records)
        scores = [r.ctm_score for r in answered if r.ctm_score is not None]
        knows = sum(1 for r in answered if r.knows_contact == KnowsContact.YES)
        return [
            label,
            suppress(n),
            suppress(len(answered)),
            suppress(self.count(State.DECLINED)),
            suppress(self.count(State.NOT_REACHED)),
            percent(len(answered), n),
            suppress(attempts),
            mean_of([r.attempts for r in self.records]),
            mean_of(scores),
            percent(knows, len(answered)),
        ]


HEADER = [
    "Dragna samtal",
    "Besvarade",
    "Avböjde",
    "Ej nådda",
    "Svarsfrekvens (%)",
    "Försök",
    "Försök per samtal, medel",
    "CTM-4, medel 0–100",
    "Vet vem de ska kontakta (%)",
]


def grouped_table(key: str, title: str, label: str, records: list, groups: list) -> Table:
    """Rows per group (label, key function value) and a total; secondary suppression on the
    groups, as the dashboard's tables."""
    rows, weights = [], []
    for name, value, of in groups:
        part = [r for r in records if of(r) == value]
        rows.append(CallFigures(part).row(name))
        weights.append(len(part))
    unprotected = protect(rows, weights)
    total = CallFigures(records).row("Totalt")
    for col in unprotected:
        total[col] = HIDDEN
    return Table(key, title, [label, *HEADER], [*rows, total])


def municipalities(period: Period) -> list:
    found = Principal.objects.filter(kind=Principal.Kind.MUNICIPALITY).order_by("name")
    if period.municipality:
        found = found.filter(pk=period.municipality)
    return [(m.name, m.pk, lambda r: r.municipality_id) for m in found]


def _bands() -> list:
    bands = [(f"{label} år", label, lambda r: r.age_band) for label, _, _ in AGE_BANDS]
    return bands + [("Okänd ålder", "okänd", lambda r: r.age_band)]


@dataclass
class CallReport:
    """The statistics page: tables, the period, the comments that may be shown."""

    period: Period
    tables: list
    persons: int | str
    comments: list
    limit: int


def call_report(period: Period) -> CallReport:
    records = list(period.records())
    sexes = [(name, key, lambda r: r.sex) for key, name in SEX.items()]
    tables = [
        grouped_table("municipality", "Per kommun", "Kommun", records, municipalities(period)),
        grouped_table("age", "Per åldersgrupp", "Åldersgrupp", records, _bands()),
        grouped_table("sex", "Per kön", "Kön", records, sexes),
    ]
    persons = suppress(len({r.pseudonym for r in records}))
    return CallReport(period, tables, persons, shown_comments(records), settings.SMALL_CELL_LIMIT)


def shown_comments(records: list) -> list[str]:
    """The period's free comments, without any group, sorted (not in call order), and only
    when there are enough of them that none points at its caller. Answers that needed action
    have none here (services.statistics_row)."""
    comments = sorted(r.comment for r in records if r.comment)
    return comments if suppress(len(comments)) else []
