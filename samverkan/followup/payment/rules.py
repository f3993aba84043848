"""The payment-liability rules, pure: one stay's facts and the agreement give the days, each
with the reason it counts or not. No ORM here (facts.py loads the facts)."""

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

SWEDEN = ZoneInfo("Europe/Stockholm")
INDIVIDUAL, AVERAGE = "individual", "average"


@dataclass(frozen=True)
class Terms:
    """The rules of one agreement, copied from the Agreement row (or the law's default)."""

    name: str
    valid_from: date
    model: str = INDIVIDUAL
    free_days: int = 3
    psychiatry_free_days: int = 3
    notice_day_is_day_zero: bool = True
    cutoff_hour: int | None = None
    psychiatry_notice_day_is_day_zero: bool | None = None  # None: as somatic care
    psychiatry_cutoff_hour: int | None = None  # None: as somatic care
    rolling_months: int = 3
    requires_admission_notice: bool = True
    requires_notice_on_time: bool = False
    requires_ready_notice: bool = True
    requires_sip_called: bool = False
    requires_primary_care_ready: bool = False
    excludes_patient_refused: bool = True


# Without an agreement: three calendar days after the ready notice, if the municipality got
# both the admission notice and the ready notice (LOS 5 kap; DOMAIN.md §2).
LAW_DEFAULT = Terms(name="Lagens grundregel (ingen överenskommelse)", valid_from=date(2018, 1, 1))


@dataclass(frozen=True)
class ReadyNotice:
    """One ready-for-discharge period: its notice, its end, whether the municipality got it."""

    declared_at: datetime
    ended_at: datetime | None = None
    end_reason: str = ""  # retracted | discharged | closed
    received: bool = True
    sip_needed: bool | None = None  # as the physician judged at this notice; None: the stay's


@dataclass(frozen=True)
class StayFacts:
    """What the rules need of one stay; times are aware datetimes."""

    periods: tuple[ReadyNotice, ...]
    admission_notice_at: datetime | None = None  # when the municipality received it
    admission_notice_due: datetime | None = None
    psychiatric: bool = False
    sip_needed: bool = False  # the latest judgement: for a period that does not carry its own
    sip_called_at: datetime | None = None
    care_contact_at: datetime | None = None
    refused_at: datetime | None = None


@dataclass(frozen=True)
class Day:
    """One calendar day of a ready period and why it counts or not."""

    date: date
    number: int | None  # None: the notice day when a cut-off moves the start to the next day
    counted: bool
    reason: str
    amount: int = 0
    kind: str = ""  # start | free | liable | blocked | end | ongoing


@dataclass
class Outcome:
    """The days of one stay and their sums; `stopped_by` says which rule ended liability."""

    terms: Terms  # as they apply to the stay's care area (for_care)
    days: list[Day] = field(default_factory=list)

    @property
    def liable_days(self) -> int:
        return sum(d.counted for d in self.days)

    @property
    def amount(self) -> int:
        return sum(d.amount for d in self.days)

    @property
    def stopped_by(self) -> str:
        blocked = [d.reason for d in self.days if d.kind == "blocked"]
        if blocked:
            return blocked[0]
        if self.liable_days:
            return ""
        if not self.days:
            return "Inte utskrivningsklar"
        ended = any(d.kind == "end" for d in self.days)
        return "Utskriven inom fridagarna" if ended else "Inom fridagarna"

    def within(self, first: date, last: date) -> "Outcome":
        """Only the days from first through last (a month of a statement)."""
        return Outcome(self.terms, [d for d in self.days if first <= d.date <= last])


def for_care(terms: Terms, psychiatric: bool) -> Terms:
    """The terms as one stay meets them: a psychiatric ward has its own free days, and its own
    day 0 and cut-off hour where the agreement sets them (empty: as somatic care)."""
    if not psychiatric:
        return terms
    day_zero, cutoff = terms.psychiatry_notice_day_is_day_zero, terms.psychiatry_cutoff_hour
    return replace(
        terms,
        free_days=terms.psychiatry_free_days,
        notice_day_is_day_zero=terms.notice_day_is_day_zero if day_zero is None else day_zero,
        cutoff_hour=terms.cutoff_hour if cutoff is None else cutoff,
    )


def describe(terms: Terms) -> str:
    """One care area's day rules in Swedish, as the pages state them."""
    start = (
        "meddelandedagen är dag 0"
        if terms.notice_day_is_day_zero
        else "meddelandedagen är första fridagen"
    )
    parts = [f"{terms.free_days} fridag{'ar' if terms.free_days != 1 else ''}", start]
    if terms.cutoff_hour is not None:
        parts.append(f"ett meddelande efter kl. {terms.cutoff_hour:02d} räknas från nästa dag")
    return ", ".join(parts)


def preconditions(terms: Terms) -> list[str]:
    """What must hold before the municipality pays, in Swedish."""
    found = []
    if terms.requires_admission_notice:
        on_time = " i tid (inom 24 timmar)" if terms.requires_notice_on_time else ""
        found.append(f"kommunen har fått inskrivningsmeddelande{on_time}")
    if terms.requires_ready_notice:
        found.append("kommunen har fått meddelandet om utskrivningsklar")
    if terms.requires_sip_called:
        found.append("kallelse till SIP har skickats när SIP behövs")
    if terms.requires_primary_care_ready:
        found.append("primärvården har utsett fast vårdkontakt")
    if terms.excludes_patient_refused:
        found.append("patienten har inte avböjt insatser")
    return found


def local(moment: datetime) -> datetime:
    return moment.astimezone(SWEDEN)


def in_force(agreements: Sequence[Terms], day: date) -> Terms:
    """The latest agreement valid on or before the day; the law's default without one."""
    valid = [a for a in agreements if a.valid_from <= day]
    return max(valid, key=lambda a: a.valid_from) if valid else LAW_DEFAULT


def start_day(notice: datetime, terms: Terms) -> tuple[date, bool]:
    """The day the clock starts, and whether a cut-off hour moved it to the next day."""
    moment = local(notice)
    if terms.cutoff_hour is not None and moment.time() > time(terms.cutoff_hour):
        return moment.date() + timedelta(days=1), True
    return moment.date(), False


def stay_blockers(facts: StayFacts, period: ReadyNotice, terms: Terms) -> str:
    """A precondition failing for the whole period, as the reason shown; '' if none fails."""
    if terms.requires_admission_notice and not facts.admission_notice_at:
        return "Kommunen har inte fått inskrivningsmeddelande"
    if (
        terms.requires_notice_on_time
        and facts.admission_notice_at
        and facts.admission_notice_due
        and facts.admission_notice_at > facts.admission_notice_due
    ):
        sent, due = local(facts.admission_notice_at), local(facts.admission_notice_due)
        return (
            f"Inskrivningsmeddelandet kom för sent ({sent:%Y-%m-%d %H:%M}, "
            f"senast {due:%Y-%m-%d %H:%M})"
        )
    if terms.requires_ready_notice and not period.received:
        return "Kommunen har inte fått meddelandet om utskrivningsklar"
    return ""


def sip_needed(facts: StayFacts, period: ReadyNotice) -> bool:
    """Whether SIP was needed in this ready period: as judged at its notice, when known."""
    return facts.sip_needed if period.sip_needed is None else period.sip_needed


def day_blocker(facts: StayFacts, period: ReadyNotice, day: date, terms: Terms) -> str:
    """A precondition that does not yet (or no longer) hold on this day; '' if all hold."""

    def before(moment):
        return moment is None or day < local(moment).date()

    if terms.excludes_patient_refused and facts.refused_at and not before(facts.refused_at):
        return f"Patienten avböjer insatser (från {local(facts.refused_at):%Y-%m-%d})"
    needed = terms.requires_sip_called and sip_needed(facts, period)
    if needed and before(facts.sip_called_at):
        return "SIP behövs men kallelse till SIP saknas"
    if terms.requires_primary_care_ready and before(facts.care_contact_at):
        return "Primärvården har inte utsett fast vårdkontakt"
    return ""


END_REASONS = {
    "discharged": "Utskriven: utskrivningsdagen räknas inte",
    "retracted": "Inte längre utskrivningsklar (återkallat): dagen räknas inte",
    "closed": "Ärendet avslutat (avbrott): dagen räknas inte",
}


def period_days(
    facts: StayFacts, period: ReadyNotice, terms: Terms, amounts: dict[int, int], today: date
) -> list[Day]:
    """Every day of one ready period, from its notice day to its end (or today)."""
    terms = for_care(terms, facts.psychiatric)
    free = terms.free_days
    first, moved = start_day(period.declared_at, terms)
    end = local(period.ended_at).date() if period.ended_at else today
    days = []
    if moved:
        days.append(
            Day(
                first - timedelta(days=1),
                None,
                False,
                f"Meddelandet kom kl. {local(period.declared_at):%H:%M}, efter brytpunkten "
                f"kl. {terms.cutoff_hour:02d}: räkningen börjar nästa dag",
                kind="start",
            )
        )
    offset = 0 if terms.notice_day_is_day_zero else 1
    blocker = stay_blockers(facts, period, terms)
    day = first
    while day <= end:
        number = (day - first).days + offset
        days.append(_one_day(facts, period, terms, amounts, day, number, free, blocker, end))
        day += timedelta(days=1)
    return days


def _one_day(facts, period, terms, amounts, day, number, free, blocker, end) -> Day:
    if day == end:
        if period.ended_at:
            return Day(day, number, False, END_REASONS.get(period.end_reason, "Slut"), kind="end")
        reason = "Pågår: dagen räknas om patienten inte skrivs ut i dag"
        return Day(day, number, False, reason, kind="ongoing")
    if number == 0:
        when = local(period.declared_at)
        notice = "Meddelande om utskrivningsklar" if when.date() == day else "Räkningen börjar"
        return Day(day, 0, False, f"Dag 0: {notice} {when:%Y-%m-%d %H:%M}", kind="start")
    if number <= free:
        return Day(day, number, False, f"Fridag {number} av {free}", kind="free")
    reason = blocker or day_blocker(facts, period, day, terms)
    if reason:
        return Day(day, number, False, reason, kind="blocked")
    amount = amounts.get(day.year)
    if amount is None:
        reason = f"Betalningsansvar – belopp saknas för år {day.year}"
        return Day(day, number, True, reason, kind="liable")
    return Day(day, number, True, "Betalningsansvar", amount, kind="liable")


def liability(
    facts: StayFacts, agreements: Sequence[Terms], amounts: dict[int, int], today: date
) -> Outcome:
    """The individual model for one stay: each ready period is its own clock, under the
    agreement in force on the day that clock starts (terms do not change mid-clock)."""
    days: list[Day] = []
    periods = sorted(facts.periods, key=lambda p: p.declared_at)
    for period in periods:
        terms = in_force(agreements, local(period.declared_at).date())
        days += period_days(facts, period, terms, amounts, today)
    first = local(periods[0].declared_at).date() if periods else today
    return Outcome(for_care(in_force(agreements, first), facts.psychiatric), days)


# --- the average model --------------------------------------------------------------------


def days_ready(facts: StayFacts, terms: Terms, today: date) -> tuple[int | None, str]:
    """For the average model: calendar days from the clock's start to the end of each ended
    period, less days a precondition does not hold. With the notice day as day 0 a same-day
    discharge is 0 days; with the notice day as day 1 (as the individual model reads
    `notice_day_is_day_zero`) every period has one day more. A period whose precondition fails
    as a whole (e.g. the municipality did not get its notice) is left out; None with the reason
    when that leaves nothing of the stay."""
    terms = for_care(terms, facts.psychiatric)
    total, counted, blockers = 0, False, []
    for period in facts.periods:
        if not period.ended_at:
            continue
        blocker = stay_blockers(facts, period, terms)
        if blocker:
            blockers.append(blocker)
            continue
        first, _ = start_day(period.declared_at, terms)
        end = local(period.ended_at).date()
        skip = 1 if terms.notice_day_is_day_zero else 0
        span = [first + timedelta(days=n) for n in range(skip, (end - first).days + 1)]
        total += sum(1 for d in span if not day_blocker(facts, period, d, terms))
        counted = True
    if blockers and not counted:
        return None, blockers[0]
    return total, ""


@dataclass(frozen=True)
class MonthRow:
    """One municipality's month (somatic or psychiatric care) under the average model."""

    month: date
    patients: int
    days: int
    mean: float | None
    rolling_mean: float | None
    window: tuple[int, ...]  # the patients of each month behind the rolling mean
    free_days: int
    liable_days: float
    amount: int
    amount_missing: bool


def month_rows(
    counts: dict[date, tuple[int, int]],
    free_days: int | dict[date, int],
    rolling: int | dict[date, int],
    amounts: dict[int, int],
) -> list[MonthRow]:
    """Months in order from {first of month: (patients, days)}: the mean, the rolling mean
    over `rolling` months (weighted by patients), and the liable days above the free days.
    Free days and rolling months are one number, or one per month (the agreement in force on
    the month's first day)."""
    rows = []
    months = sorted(counts)
    for month in months:
        patients, days = counts[month]
        free, span = _of_month(free_days, month), _of_month(rolling, month)
        window = [m for m in months if _months_between(m, month) in range(span)]
        w_patients = sum(counts[m][0] for m in window)
        w_days = sum(counts[m][1] for m in window)
        rolling_mean = round(w_days / w_patients, 2) if w_patients else None
        excess = max(0.0, (rolling_mean or 0) - free)
        liable = round(excess * patients, 1)
        amount = amounts.get(month.year)
        rows.append(
            MonthRow(
                month,
                patients,
                days,
                round(days / patients, 2) if patients else None,
                rolling_mean,
                tuple(counts[m][0] for m in window),
                free,
                liable,
                round(liable * (amount or 0)),
                amount is None,
            )
        )
    return rows


def _of_month(value: int | dict[date, int], month: date) -> int:
    return value[month] if isinstance(value, dict) else value


def _months_between(earlier: date, later: date) -> int:
    return (later.year - earlier.year) * 12 + later.month - earlier.month
