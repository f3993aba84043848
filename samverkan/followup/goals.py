"""The LOS project's effect goals (2020): each figure in a baseline period beside the chosen
period, the change and whether it went the wished way, and the monthly trend over both."""

from dataclasses import dataclass
from datetime import date

from samverkan.deviations import stats as deviation_stats
from samverkan.experience import goals as experience
from samverkan.lib.disclosure import protect
from samverkan.lib.exports import HIDDEN, suppress
from samverkan.lib.tables import Table

from . import indicators as ind
from .dashboard import MONTHS, NO_DATA, percent
from .figures import Figures
from .indicators import Filters

UP, DOWN = "up", "down"
DAYS_PER_MONTH = 365.25 / 12


@dataclass(frozen=True)
class Goal:
    """One effect goal: its name, the wished direction and how to compute it from the sources."""

    name: str
    wished: str
    figure: object  # (sources) -> value, None (suppressed) or NO_DATA
    baseline: object = None  # (filters) -> its own baseline Filters (experience), or None


def _per_month(n: int, days: int):
    return HIDDEN if suppress(n) is None else round(n * DAYS_PER_MONTH / days, 1)


def _quality(s: dict):
    if not s["scored"]:
        return NO_DATA
    return HIDDEN if suppress(s["scored"]) is None else round(s["quality"], 1)


GOALS = [
    Goal("SIP per månad", UP, lambda s: _per_month(s["sip"]["sips"], s["days"])),
    Goal("Förebyggande SIP per månad", UP, lambda s: _per_month(s["sip"]["preventive"], s["days"])),
    Goal("SIP-kvalitet, medelpoäng 0–5", UP, lambda s: _quality(s["sip"])),
    Goal(
        "Återinskrivna inom 30 dagar (%)",
        DOWN,
        lambda s: percent(s["stays"]["readmitted"], s["stays"]["stays"]),
    ),
    Goal(
        "Till korttidsboende efter utskrivning (%)",
        DOWN,
        lambda s: percent(s["stays"]["short_term"], s["stays"]["stays"]),
    ),
    Goal(
        "Till särskilt boende efter utskrivning (%)",
        DOWN,
        lambda s: percent(s["stays"]["special_housing"], s["stays"]["stays"]),
    ),
    Goal(
        "Avvikelser mellan huvudmännen per månad",
        DOWN,
        lambda s: _per_month(s["deviations"].reported, s["days"]),
    ),
    Goal(
        "Andel återkopplade avvikelser (%)",
        UP,
        lambda s: percent(s["deviations"].answered, s["deviations"].received),
    ),
    # from the follow-up calls and the surveys (samverkan/experience), each against its own
    # baseline: the first period with data unless EXPERIENCE_BASELINE names one
    Goal(
        "Trygghet efter utskrivning, CTM-4 (0–100)",
        UP,
        lambda s: s["experience"]["ctm"],
        experience.baseline_calls,
    ),
    Goal(
        "Vet vem de ska kontakta om något händer (%)",
        UP,
        lambda s: s["experience"]["knows"],
        experience.baseline_calls,
    ),
    Goal(
        "Förtroende mellan organisationerna (1–5)",
        UP,
        lambda s: s["experience"]["trust"],
        experience.baseline_trust,
    ),
    Goal(
        "Delaktighet i SIP (0–100)", UP, lambda s: s["experience"]["sip"], experience.baseline_sip
    ),
]


def deviation_rows(f: Filters) -> list:
    """The register's deviations in the period (aggregates only), for one municipality if
    the filters name one (reported by it or to it)."""
    rows = deviation_stats.rows(None, f.date_from, f.date_to)
    if f.municipality:
        from samverkan.directory.models import Principal

        name = Principal.objects.get(pk=f.municipality).name
        rows = [r for r in rows if name in (r.from_principal, r.to_principal)]
    return rows


def sources(f: Filters, fig: Figures) -> dict:
    """What the goals are computed from, for one period: the stays, the SIPs, the register."""
    return {
        "days": f.days,
        "sip": ind.sip_counts(f)[None],
        "stays": fig.counts(f)[None],
        "deviations": deviation_stats.feedback_rate(deviation_rows(f)),
        "experience": experience.figures(f),
    }


def _against(goal: Goal, f: Filters, before: dict) -> tuple[str, dict]:
    """The goal's name and its baseline's sources: its own baseline, named, if it has one."""
    own = goal.baseline(f) if goal.baseline else None
    if own is None:
        return goal.name, before
    named = f"{goal.name} (basperiod {own.date_from:%Y-%m-%d}–{own.date_to:%Y-%m-%d})"
    return named, {"experience": experience.figures(own)}


def _change(before, now):
    if not all(isinstance(v, int | float) for v in (before, now)):
        return NO_DATA, ""
    change = round(now - before, 1)
    return change, change


def _judged(goal: Goal, change) -> str:
    if not isinstance(change, int | float) or change == 0:
        return "Oförändrat" if change == 0 else NO_DATA
    better = (change > 0) == (goal.wished == UP)
    return "Bättre" if better else "Sämre"


def goals_table(f: Filters, baseline: Filters, fig: Figures | None = None) -> Table:
    fig = fig or Figures()
    now, before = sources(f, fig), sources(baseline, fig)
    rows = []
    for goal in GOALS:
        name, own = _against(goal, f, before)
        b, n = goal.figure(own), goal.figure(now)
        change, signed = _change(b, n)
        wished = "Öka" if goal.wished == UP else "Minska"
        rows.append([name, wished, b, n, change, _judged(goal, signed)])
    header = [
        "Effektmål",
        "Önskad riktning",
        f"Basperiod {baseline.date_from:%Y-%m-%d}–{baseline.date_to:%Y-%m-%d}",
        f"Perioden {f.date_from:%Y-%m-%d}–{f.date_to:%Y-%m-%d}",
        "Förändring",
        "Bedömning",
    ]
    return Table("goals", "Effektmål mot basperiod", header, rows, parts=False)  # unlike figures


def months(first: date, last: date) -> list[date]:
    found, day = [], first.replace(day=1)
    while day <= last:
        found.append(day)
        day = date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return found


def span(f: Filters, baseline: Filters) -> Filters:
    """The months the trend covers: from the first day of either period to the last."""
    first, last = min(baseline.date_from, f.date_from), max(baseline.date_to, f.date_to)
    return f.shifted(first.replace(day=1), last)


def trend(f: Filters, baseline: Filters, fig: Figures | None = None) -> dict:
    """Monthly series over the baseline and the period: labels and {series: values}."""
    fig = fig or Figures()
    both = span(f, baseline)
    stays = fig.counts(both, "month")
    days = fig.days(both, "month")
    sips = {k.date(): v for k, v in ind.sip_counts(both, by_month=True).items()}
    labels, rows, weights = [], [], []
    for month in months(both.date_from, both.date_to):
        labels.append(f"{MONTHS[month.month - 1]} {month:%y}")
        c, h, s = stays.get(month), ind.Histogram(days.get(month, {})), sips.get(month)
        rows.append(
            [
                month,
                _rate(c, "readmitted"),
                _rate(c, "notice_on_time"),
                h.mean if suppress(h.n) else HIDDEN,
                (suppress(s["sips"]) if s else 0),
            ]
        )
        weights.append(c["stays"] if c else 0)
    protect(rows, weights)  # the months add up to the period's totals shown in the tables
    plain = [[v if isinstance(v, int | float) else None for v in row[1:]] for row in rows]
    series = {name: [r[i] for r in plain] for i, name in enumerate(TREND_SERIES)}
    return {"labels": labels, "series": series}


def experience_trend(f: Filters, baseline: Filters) -> dict:
    """The calls' and surveys' goals per month over both periods (experience/goals.py)."""
    both = span(f, baseline)
    return experience.trend(months(both.date_from, both.date_to), f)


TREND_SERIES = [
    "Återinskrivna inom 30 dagar (%)",
    "Inskrivningsmeddelande inom 24 h (%)",
    "Dagar som utskrivningsklar, medel",
    "SIP",
]


def _rate(c: dict | None, name: str):
    return percent(c[name], c["stays"]) if c else NO_DATA
