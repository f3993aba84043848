"""The indicator dashboard's tables, charts and exports, built from the aggregate queries in
indicators.py. Small cells are suppressed for every viewer: the figures span many units."""

from datetime import date, timedelta

from samverkan.directory.models import Principal
from samverkan.lib.disclosure import is_hidden, protect
from samverkan.lib.exports import HIDDEN, suppress
from samverkan.lib.tables import Table

from . import indicators as ind
from .figures import Figures
from .indicators import DAY_BINS, DIMENSIONS, Filters, Histogram

NO_DATA = "–"  # nothing to compute from (no stays); None is a suppressed small cell
MONTHS = ["jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec"]
LOS_HEADER = [
    "Vårdtillfällen",
    "Med inskrivningsmeddelande (%)",
    "Inskrivningsmeddelande inom 24 h (%)",
    "Utskrivningsklara",
    "Dagar som utskrivningsklar, medel",
    "Dagar som utskrivningsklar, median",
    "Hem samma dag (%)",
    "Vårdplatser per dag med utskrivningsklara",
    "Återinskrivna inom 30 dagar (%)",
    "Återinskrivna, med SIP (%)",
    "Återinskrivna, utan SIP (%)",
    "SIP kallad inom 3 dagar (%)",
    "Till korttidsboende (%)",
    "Till särskilt boende (%)",
]


def percent(part: int, whole: int):
    """A share in percent; HIDDEN when the part, the rest or the whole is a small cell (99.6 %
    of 1,000 would tell that 4 had not), NO_DATA with nothing."""
    if not whole:
        return NO_DATA
    if any(suppress(n) is None for n in (part, whole - part, whole)):
        return HIDDEN
    return round(100 * part / whole, 1)


def _figure(value, n: int):
    """A mean or median of n values: hidden like a small cell when n is small."""
    if not n:
        return NO_DATA
    return HIDDEN if suppress(n) is None else value


def _with_rest(part: int, whole: int):
    """A count that, beside its whole, must not reveal a small rest (10 stays, 7 ready)."""
    counted = suppress(part)
    return HIDDEN if counted is not None and suppress(whole - part) is None else counted


def _both(a, b) -> tuple:
    """Two shares that together give the whole's: both hidden when either is."""
    return (HIDDEN, HIDDEN) if is_hidden(a) or is_hidden(b) else (a, b)


def los_row(label, c: dict, h: Histogram, days: int) -> list:
    ready_days = _figure(round(h.total / days, 1), h.n)
    return [
        label,
        suppress(c["stays"]),
        percent(c["notice"], c["stays"]),
        percent(c["notice_on_time"], c["stays"]),
        _with_rest(c["ready"], c["stays"]),
        _figure(h.mean, h.n),
        _figure(h.median, h.n),
        percent(*h.share(0, 0)),
        ready_days,
        percent(c["readmitted"], c["stays"]),
        *_both(
            percent(c["readmitted_sip"], c["with_sip"]),
            percent(c["readmitted_no_sip"], c["stays"] - c["with_sip"]),
        ),
        percent(c["sip_on_time"], c["needs_sip"]),
        percent(c["short_term"], c["stays"]),
        percent(c["special_housing"], c["stays"]),
    ]


def label(by: str | None, key) -> str:
    if by == "month":
        return f"{MONTHS[key.month - 1]} {key.year}"
    if by == "care":
        return ind.CARE_TYPES.get(key, key)
    return key or "Okänd"


def _order(by: str | None, keys) -> list:
    if by == "age":
        known = [g for g, _, _ in ind.AGE_GROUPS]
        return [k for k in known if k in keys] + sorted(k for k in keys if k not in known)
    return sorted(keys, key=lambda k: (k is None, k))


def _days(f: Filters, by: str | None, key) -> int:
    """The days a group's stays can fill: its month's days within the period, else the period."""
    if by != "month":
        return f.days
    first = max(key, f.date_from)
    after = date(key.year + key.month // 12, key.month % 12 + 1, 1)
    return (min(after - timedelta(days=1), f.date_to) - first).days + 1


def los_table(f: Filters, by: str | None, fig: Figures | None = None) -> Table:
    """One row per group and a total: the counts are additive, so the total needs no query."""
    fig = fig or Figures()
    counts, days = fig.counts(f, by), fig.days(f, by)
    rows, keys = [], _order(by, counts)
    for key in keys:
        h = days.get(key, {})
        rows.append(los_row(label(by, key), counts[key], Histogram(h), _days(f, by, key)))
    unprotected = protect(rows, [counts[k]["stays"] for k in keys])
    if by:
        c, h = fig.counts(f)[None], fig.days(f).get(None, {})
        total = los_row("Totalt", c, Histogram(h), f.days)
        rows.append([HIDDEN if i in unprotected else v for i, v in enumerate(total)])
    title = f"LOS-indikatorer per {DIMENSIONS[by].lower()}" if by else "LOS-indikatorer"
    return Table("los", title, [DIMENSIONS.get(by, "Grupp"), *LOS_HEADER], rows)


def distribution_table(f: Filters, fig: Figures | None = None) -> Table:
    h = Histogram((fig or Figures()).days(f).get(None, {}))
    rows, sizes = [], []
    for name, low, high in DAY_BINS:
        n, whole = h.share(low, high)
        rows.append([f"{name} dagar", suppress(n), percent(n, whole)])
        sizes.append(n)
    protect(rows, sizes)
    return Table("days", "Dagar som utskrivningsklar", ["Dagar", "Antal", "%"], rows)


def per_inhabitants(value: int, population: int | None, stays: int):
    """`value` per 1,000 inhabitants; hidden when the stays behind it are a small cell."""
    if not population:
        return NO_DATA
    return HIDDEN if suppress(stays) is None else round(1000 * value / population, 2)


def municipality_table(f: Filters, fig: Figures | None = None) -> Table:
    """Per 1,000 inhabitants (all ages and 65+), by registered municipality, for the period."""
    fig = fig or Figures()
    counts, hist = fig.counts(f, "municipality"), fig.days(f, "municipality")
    rows, weights = [], []
    for m in Principal.objects.filter(kind=Principal.Kind.MUNICIPALITY).order_by("name"):
        if f.municipality and m.pk != f.municipality:
            continue
        c = counts.get(m.name, dict.fromkeys(ind.NAMES, 0))
        ready_days = Histogram(hist.get(m.name, {})).total
        rows.append(
            [
                m.name,
                m.population,
                suppress(c["ready"]),
                per_inhabitants(c["ready"], m.population, c["ready"]),
                per_inhabitants(ready_days, m.population, c["ready"]),
                m.population_65 or NO_DATA,
                suppress(c["ready_65"]),
                per_inhabitants(c["ready_65"], m.population_65, c["ready_65"]),
            ]
        )
        weights.append(c["stays"])  # as the LOS table weighs them: both hide the same cells
    protect(rows, weights)
    header = [
        "Kommun",
        "Folkmängd",
        "Utskrivningsklara",
        "Utskrivningsklara per 1 000 invånare",
        "Dagar som utskrivningsklar per 1 000 invånare",
        "Folkmängd 65+",
        "Utskrivningsklara 65+",
        "Utskrivningsklara 65+ per 1 000 invånare 65+",
    ]
    return Table("inhabitants", "Per 1 000 invånare och kommun", header, rows)


def acknowledgement_table(f: Filters) -> Table:
    rows, weights = [], []
    for r in ind.acknowledgements(f):
        weights.append(r["sent"])
        hours = r["mean"].total_seconds() / 3600 if r["mean"] is not None else None
        rows.append(
            [
                r["unit"],
                suppress(r["sent"]),
                suppress(r["acknowledged"]),
                percent(r["on_time"], r["sent"]),
                percent(r["within_4h"], r["sent"]),
                percent(r["within_24h"], r["sent"]),
                _figure(round(hours, 1) if hours is not None else None, r["acknowledged"]),
            ]
        )
    protect(rows, weights)
    header = [
        "Mottagande enhet",
        "Meddelanden",
        "Kvitterade",
        "Kvitterade före nästa avstämningstid (%)",
        "Inom 4 h (%)",
        "Inom 24 h (%)",
        "Timmar till kvittens, medel",
    ]
    return Table("acknowledgements", "Kvittenstider per enhet", header, rows)
