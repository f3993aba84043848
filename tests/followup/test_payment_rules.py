"""The payment-liability rules, pure: the worked example of DOMAIN.md §2 and every variant an
agreement can choose, each with the reason a user sees for every day."""

from dataclasses import replace
from datetime import UTC, date, datetime

from samverkan.followup.payment.rules import (
    AVERAGE,
    LAW_DEFAULT,
    SWEDEN,
    ReadyNotice,
    StayFacts,
    Terms,
    days_ready,
    describe,
    for_care,
    in_force,
    liability,
    month_rows,
)

AMOUNTS = {2025: 9300}
BLEKINGE = Terms(name="Blekinge", valid_from=date(2018, 1, 1))


def at(day: int, hour: int = 10, minute: int = 0, month: int = 3) -> datetime:
    return datetime(2025, month, day, hour, minute, tzinfo=SWEDEN)


def stay(*periods, **facts) -> StayFacts:
    """A stay admitted Sat 1 March 2025 08:00 with the admission notice on time."""
    facts.setdefault("admission_notice_at", at(1, 9))
    facts.setdefault("admission_notice_due", at(2, 8))
    return StayFacts(periods=tuple(periods), **facts)


def discharged(ready: datetime, out: datetime, **kw) -> ReadyNotice:
    return ReadyNotice(ready, out, "discharged", **kw)


def run(facts, terms=BLEKINGE, amounts=AMOUNTS, today=date(2025, 4, 30)):
    return liability(facts, [terms], amounts, today)


def liable_dates(outcome) -> list[int]:
    return [d.date.day for d in outcome.days if d.counted]


def test_worked_example_notice_monday_gives_fri_sat_sun():
    outcome = run(stay(discharged(at(3, 10), at(10, 14))))
    assert [(d.date.day, d.number, d.counted) for d in outcome.days] == [
        (3, 0, False),
        (4, 1, False),
        (5, 2, False),
        (6, 3, False),
        (7, 4, True),
        (8, 5, True),
        (9, 6, True),
        (10, 7, False),
    ]
    assert outcome.liable_days == 3 and outcome.amount == 3 * 9300
    reasons = [d.reason for d in outcome.days]
    assert reasons[0] == "Dag 0: Meddelande om utskrivningsklar 2025-03-03 10:00"
    assert reasons[1:4] == ["Fridag 1 av 3", "Fridag 2 av 3", "Fridag 3 av 3"]
    assert reasons[4:7] == ["Betalningsansvar"] * 3
    assert reasons[7] == "Utskriven: utskrivningsdagen räknas inte"
    assert outcome.stopped_by == ""


def test_discharge_within_the_free_days_costs_nothing():
    outcome = run(stay(discharged(at(3, 10), at(6, 9))))
    assert outcome.liable_days == 0 and outcome.stopped_by == "Utskriven inom fridagarna"
    same_day = run(stay(discharged(at(3, 10), at(3, 15))))
    assert [d.kind for d in same_day.days] == ["end"]


def test_notice_day_as_first_free_day_moves_liability_a_day_earlier():
    terms = replace(BLEKINGE, notice_day_is_day_zero=False)
    outcome = run(stay(discharged(at(3, 10), at(10, 14))), terms)
    assert liable_dates(outcome) == [6, 7, 8, 9]
    assert outcome.days[0].reason == "Fridag 1 av 3"


def test_cutoff_hour_notice_before_counts_the_same_day():
    terms = replace(BLEKINGE, cutoff_hour=12)
    assert liable_dates(run(stay(discharged(at(3, 11, 59), at(10, 14))), terms)) == [7, 8, 9]
    assert liable_dates(run(stay(discharged(at(3, 12, 0), at(10, 14))), terms)) == [7, 8, 9]


def test_cutoff_hour_notice_after_counts_from_the_next_day():
    terms = replace(BLEKINGE, cutoff_hour=12)
    outcome = run(stay(discharged(at(3, 12, 1), at(10, 14))), terms)
    assert liable_dates(outcome) == [8, 9]
    first = outcome.days[0]
    assert first.number is None and "efter brytpunkten kl. 12" in first.reason
    assert outcome.days[1].number == 0 and outcome.days[1].date == date(2025, 3, 4)
    # The cut-off is Swedish time: 11:30 UTC in March is 12:30 in Sweden.
    late = run(stay(discharged(datetime(2025, 3, 3, 11, 30, tzinfo=UTC), at(10, 14))), terms)
    assert liable_dates(late) == [8, 9]


def test_retraction_stops_the_clock_and_a_new_notice_starts_a_new_one():
    first = ReadyNotice(at(3, 10), at(8, 9), "retracted")
    second = discharged(at(12, 10), at(20, 10))
    outcome = run(stay(first, second))
    assert liable_dates(outcome) == [7, 16, 17, 18, 19]
    retracted = next(d for d in outcome.days if d.date == date(2025, 3, 8))
    assert not retracted.counted and "återkallat" in retracted.reason
    free = [d.date.day for d in outcome.days if d.kind == "free"]
    assert free == [4, 5, 6, 13, 14, 15]  # new free days for the new clock


def test_missing_admission_notice_means_no_liability():
    outcome = run(stay(discharged(at(3, 10), at(10, 14)), admission_notice_at=None))
    assert outcome.liable_days == 0
    assert outcome.stopped_by == "Kommunen har inte fått inskrivningsmeddelande"
    facts = stay(discharged(at(3, 10), at(10, 14)), admission_notice_at=None)
    law = liability(facts, [], {}, date(2025, 4, 1))
    assert law.terms == LAW_DEFAULT and law.liable_days == 0
    relaxed = replace(BLEKINGE, requires_admission_notice=False)
    assert run(facts, relaxed).liable_days == 3


def test_late_admission_notice_counts_only_where_the_agreement_requires_it_on_time():
    facts = stay(discharged(at(3, 10), at(10, 14)), admission_notice_at=at(2, 9))  # due 2/3 08:00
    assert run(facts).liable_days == 3
    strict = run(facts, replace(BLEKINGE, requires_notice_on_time=True))
    assert strict.liable_days == 0
    assert strict.stopped_by == (
        "Inskrivningsmeddelandet kom för sent (2025-03-02 09:00, senast 2025-03-02 08:00)"
    )


def test_ready_notice_not_received_by_the_municipality():
    facts = stay(discharged(at(3, 10), at(10, 14), received=False))
    assert run(facts).stopped_by == "Kommunen har inte fått meddelandet om utskrivningsklar"
    assert run(facts, replace(BLEKINGE, requires_ready_notice=False)).liable_days == 3


def test_sip_not_called_where_needed_holds_liability_until_the_call():
    terms = replace(BLEKINGE, requires_sip_called=True)
    never = stay(discharged(at(3, 10), at(10, 14)), sip_needed=True)
    assert run(never, terms).liable_days == 0
    assert run(never, terms).stopped_by == "SIP behövs men kallelse till SIP saknas"
    late = replace(never, sip_called_at=at(8, 15))
    assert liable_dates(run(late, terms)) == [8, 9]
    not_needed = replace(never, sip_needed=False)
    assert run(not_needed, terms).liable_days == 3
    assert run(never).liable_days == 3  # Blekinge does not require it


def test_primary_care_not_ready_keeps_the_cost_with_the_region():
    terms = replace(BLEKINGE, requires_primary_care_ready=True)
    facts = stay(discharged(at(3, 10), at(10, 14)), care_contact_at=at(9, 8))
    outcome = run(facts, terms)
    assert liable_dates(outcome) == [9]
    assert outcome.stopped_by == "Primärvården har inte utsett fast vårdkontakt"


def test_patient_refused_support():
    facts = stay(discharged(at(3, 10), at(10, 14)), refused_at=at(8, 11))
    outcome = run(facts)
    assert liable_dates(outcome) == [7]
    assert outcome.stopped_by == "Patienten avböjer insatser (från 2025-03-08)"
    assert run(facts, replace(BLEKINGE, excludes_patient_refused=False)).liable_days == 3


def test_psychiatry_has_its_own_free_days():
    terms = replace(BLEKINGE, free_days=2, psychiatry_free_days=5)  # Stockholm
    somatic = stay(discharged(at(3, 10), at(12, 14)))
    assert liable_dates(run(somatic, terms)) == [6, 7, 8, 9, 10, 11]
    psychiatric = replace(somatic, psychiatric=True)
    outcome = run(psychiatric, terms)
    assert liable_dates(outcome) == [9, 10, 11]
    assert outcome.days[5].reason == "Fridag 5 av 5"


def test_psychiatry_keeps_somatic_day_zero_and_cut_off_unless_it_has_its_own():
    terms = replace(BLEKINGE, cutoff_hour=12)
    late = stay(discharged(at(3, 13), at(10, 14)), psychiatric=True)
    assert liable_dates(run(late, terms)) == [8, 9]  # empty: the somatic cut-off applies
    own = replace(terms, psychiatry_cutoff_hour=14, psychiatry_notice_day_is_day_zero=False)
    outcome = run(late, own)
    assert liable_dates(outcome) == [6, 7, 8, 9]  # 13:00 is before 14; 3 March is free day 1
    assert outcome.days[0].reason == "Fridag 1 av 3"
    assert outcome.terms.cutoff_hour == 14 and not outcome.terms.notice_day_is_day_zero
    somatic = replace(late, psychiatric=False)
    assert liable_dates(run(somatic, own)) == [8, 9]  # psychiatry's settings stay there
    assert for_care(own, False) == own


def test_psychiatry_settings_reach_the_average_model():
    terms = replace(AVG, cutoff_hour=12, psychiatry_cutoff_hour=23)
    facts = stay(discharged(at(3, 13), at(10, 8)), psychiatric=True)
    assert days_ready(facts, terms, date(2025, 4, 1)) == (7, "")
    assert days_ready(replace(facts, psychiatric=False), terms, date(2025, 4, 1)) == (6, "")


def test_the_rules_read_in_swedish():
    assert describe(BLEKINGE) == "3 fridagar, meddelandedagen är dag 0"
    odd = replace(BLEKINGE, free_days=1, notice_day_is_day_zero=False, cutoff_hour=9)
    assert describe(odd) == (
        "1 fridag, meddelandedagen är första fridagen, "
        "ett meddelande efter kl. 09 räknas från nästa dag"
    )


def test_year_without_amount_is_shown_not_invented():
    facts = stay(discharged(at(3, 10), at(10, 14)))
    outcome = run(facts, amounts={2024: 9300})
    assert outcome.liable_days == 3 and outcome.amount == 0
    assert {d.reason for d in outcome.days if d.counted} == {
        "Betalningsansvar – belopp saknas för år 2025"
    }


def test_amount_follows_the_calendar_year_of_each_day():
    dec = datetime(2024, 12, 28, 10, tzinfo=SWEDEN)
    facts = stay(discharged(dec, at(4, 10, month=1)))
    outcome = run(facts, amounts={2024: 9000, 2025: 9500})
    assert [(d.date.isoformat(), d.amount) for d in outcome.days if d.counted] == [
        ("2025-01-01", 9500),
        ("2025-01-02", 9500),
        ("2025-01-03", 9500),
    ]
    assert outcome.days[3].date == date(2024, 12, 31) and outcome.days[3].kind == "free"


def test_an_ongoing_stay_counts_until_yesterday():
    facts = stay(ReadyNotice(at(3, 10)))
    outcome = run(facts, today=date(2025, 3, 9))
    assert liable_dates(outcome) == [7, 8]
    assert outcome.days[-1].kind == "ongoing" and not outcome.days[-1].counted


def test_the_agreement_in_force_is_the_latest_valid_on_the_day():
    old = replace(BLEKINGE, name="Gammal", free_days=5)
    new = replace(BLEKINGE, name="Ny", valid_from=date(2025, 3, 4), free_days=2)
    assert in_force([old, new], date(2025, 3, 3)).name == "Gammal"
    assert in_force([old, new], date(2025, 3, 4)).name == "Ny"
    assert in_force([new], date(2025, 3, 3)) == LAW_DEFAULT
    # The clock started under the old agreement keeps its terms.
    facts = stay(discharged(at(3, 10), at(12, 10)))
    outcome = liability(facts, [old, new], AMOUNTS, date(2025, 4, 1))
    assert outcome.terms.name == "Gammal" and liable_dates(outcome) == [9, 10, 11]


def test_statement_month_takes_only_its_days():
    facts = stay(discharged(at(27, 10), at(5, 10, month=4)))
    outcome = run(facts)
    march = outcome.within(date(2025, 3, 1), date(2025, 3, 31))
    april = outcome.within(date(2025, 4, 1), date(2025, 4, 30))
    assert liable_dates(march) == [31] and liable_dates(april) == [1, 2, 3, 4]
    assert march.liable_days + april.liable_days == outcome.liable_days


AVG = replace(BLEKINGE, model=AVERAGE, free_days=2, rolling_months=3)


def test_average_model_days_ready_per_stay():
    assert days_ready(stay(discharged(at(3, 10), at(3, 18))), AVG, date(2025, 4, 1)) == (0, "")
    assert days_ready(stay(discharged(at(3, 10), at(10, 8))), AVG, date(2025, 4, 1)) == (7, "")
    cut = replace(AVG, cutoff_hour=12)
    assert days_ready(stay(discharged(at(3, 13), at(10, 8))), cut, date(2025, 4, 1)) == (6, "")
    missing = stay(discharged(at(3, 10), at(10, 8)), admission_notice_at=None)
    assert days_ready(missing, AVG, date(2025, 4, 1)) == (
        None,
        "Kommunen har inte fått inskrivningsmeddelande",
    )
    refused = stay(discharged(at(3, 10), at(10, 8)), refused_at=at(6, 9))
    assert days_ready(refused, AVG, date(2025, 4, 1)) == (2, "")  # 4 and 5 March
    ongoing = stay(ReadyNotice(at(3, 10)))
    assert days_ready(ongoing, AVG, date(2025, 3, 9)) == (0, "")


def test_average_model_monthly_mean_and_three_month_rolling_mean():
    jan, feb, mar, apr = (date(2025, m, 1) for m in (1, 2, 3, 4))
    counts = {jan: (10, 20), feb: (10, 40), mar: (20, 120), apr: (5, 0)}
    rows = month_rows(counts, free_days=2, rolling=3, amounts={2025: 9300})
    by_month = {r.month: r for r in rows}
    assert by_month[jan].mean == 2.0 and by_month[jan].rolling_mean == 2.0
    assert by_month[jan].liable_days == 0 and by_month[jan].amount == 0
    assert by_month[feb].mean == 4.0 and by_month[feb].rolling_mean == 3.0
    assert by_month[feb].liable_days == 10.0 and by_month[feb].amount == 93000
    assert by_month[mar].mean == 6.0 and by_month[mar].rolling_mean == 4.5  # 180 / 40
    assert by_month[mar].liable_days == 50.0
    assert by_month[apr].rolling_mean == round(160 / 35, 2)  # January has left the window
    monthly = {r.month: r for r in month_rows(counts, 2, 1, {2025: 9300})}
    assert monthly[mar].rolling_mean == 6.0 and monthly[mar].liable_days == 80.0
    assert month_rows({jan: (1, 9)}, 2, 3, {})[0].amount_missing


def test_average_model_reads_the_notice_day_as_the_individual_model_does():
    """With the notice day as day 1 (not day 0) a stay has one day more in both models."""
    first_free = replace(AVG, notice_day_is_day_zero=False)
    example = stay(discharged(at(3, 10), at(10, 14)))
    today = date(2025, 4, 1)
    assert days_ready(example, AVG, today) == (7, "")
    assert days_ready(example, first_free, today) == (8, "")
    same_day = stay(discharged(at(3, 10), at(3, 18)))
    assert days_ready(same_day, first_free, today) == (1, "")
    individual = replace(BLEKINGE, notice_day_is_day_zero=False)
    assert run(example).liable_days + 1 == run(example, individual).liable_days
    # After a cut-off the next day is the first day (day 1), the notice day does not count.
    late = replace(first_free, cutoff_hour=12)
    assert days_ready(stay(discharged(at(3, 13), at(10, 8))), late, today) == (7, "")


def test_average_model_psychiatry_has_its_own_notice_day_reading():
    terms = replace(AVG, psychiatry_notice_day_is_day_zero=False)
    facts = stay(discharged(at(3, 10), at(10, 14)), psychiatric=True)
    assert days_ready(facts, terms, date(2025, 4, 1)) == (8, "")
    assert days_ready(replace(facts, psychiatric=False), terms, date(2025, 4, 1)) == (7, "")
    somatic_first = replace(AVG, notice_day_is_day_zero=False)
    inherit = replace(somatic_first, psychiatry_notice_day_is_day_zero=None)
    assert days_ready(facts, inherit, date(2025, 4, 1)) == (8, "")  # empty: as somatic care
    own = replace(somatic_first, psychiatry_notice_day_is_day_zero=True)
    assert days_ready(facts, own, date(2025, 4, 1)) == (7, "")


def test_average_model_leaves_out_only_the_period_whose_notice_did_not_arrive():
    lost = ReadyNotice(at(3, 10), at(6, 9), "retracted", received=False)  # 3 days
    second = discharged(at(12, 10), at(20, 10))  # 8 days
    assert days_ready(stay(lost, second), AVG, date(2025, 4, 1)) == (8, "")
    both_lost = stay(lost, replace(second, received=False))
    assert days_ready(both_lost, AVG, date(2025, 4, 1)) == (
        None,
        "Kommunen har inte fått meddelandet om utskrivningsklar",
    )


def test_the_worked_example_is_three_days_individually_and_four_on_average():
    """DOMAIN.md §2: notice Mon 3 March 10:00, discharged Mon 10 March, 3 free days. The
    individual model counts Fri–Sun (3); the average model counts the 7 days from the notice
    to discharge (same day = 0) less 3 free days (4). The difference is how the models are
    written, stated on the average page and in the README."""
    example = stay(discharged(at(3, 10), at(10, 14)))
    assert run(example).liable_days == 3
    days, _ = days_ready(example, replace(BLEKINGE, model=AVERAGE), date(2025, 4, 1))
    (row,) = month_rows({date(2025, 3, 1): (1, days)}, 3, 1, AMOUNTS)
    assert (days, row.liable_days, row.amount) == (7, 4.0, 4 * 9300)


def test_sip_is_judged_per_ready_period():
    """The stay keeps the latest judgement (here: not needed); the first period needed SIP."""
    terms = replace(BLEKINGE, requires_sip_called=True)
    first = ReadyNotice(at(3, 10), at(10, 9), "retracted", sip_needed=True)
    second = ReadyNotice(at(12, 10), at(20, 10), "discharged", sip_needed=False)
    outcome = run(stay(first, second, sip_needed=False), terms)
    assert liable_dates(outcome) == [16, 17, 18, 19]
    assert {d.reason for d in outcome.days if d.kind == "blocked"} == {
        "SIP behövs men kallelse till SIP saknas"
    }
    unknown = stay(replace(first, sip_needed=None), second, sip_needed=False)
    assert liable_dates(run(unknown, terms)) == [7, 8, 9, 16, 17, 18, 19]  # the stay's value
    assert days_ready(stay(first, second), replace(terms, model=AVERAGE), date(2025, 4, 1)) == (
        8,
        "",
    )


def test_average_model_free_days_and_rolling_months_per_month():
    jan, feb, mar = (date(2025, m, 1) for m in (1, 2, 3))
    counts = {jan: (10, 20), feb: (10, 40), mar: (10, 60)}
    rows = month_rows(counts, {jan: 2, feb: 2, mar: 1}, {jan: 3, feb: 3, mar: 1}, AMOUNTS)
    by_month = {r.month: r for r in rows}
    assert by_month[feb].rolling_mean == 3.0 and by_month[feb].liable_days == 10.0
    assert by_month[mar].rolling_mean == 6.0 and by_month[mar].window == (10,)
    assert by_month[mar].free_days == 1 and by_month[mar].liable_days == 50.0
