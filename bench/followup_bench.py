"""The follow-up dashboard against one hand-written SQL query for the same figures, in one run,
on the database in DATABASE_URL (or var/bench.sqlite3), for the last 12 whole months and for the
whole register.

Usage: python bench/followup_bench.py [--cases N] [--repeat R]; --cases fills the database
first, as bench/los_bench.py does (30,000 stays make about one Blekinge-year: the region-year;
1,000,000 the national size). The monthly rollup is built first, as the worker keeps it. The
hand-written query is PostgreSQL's (on SQLite the baseline is left out): per month the stays,
the notices (sent, within 24 h), the ready stays, their days as ready and the 30-day
readmissions. The bench checks that the dashboard's figures equal it, then prints the page's
time, the time of its LOS figures and the ratios."""

import argparse
import statistics
import time
from datetime import datetime, timedelta
from datetime import time as clock

from _django import setup

setup()

from django.contrib.auth.models import User  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from samverkan.cases.models import Case  # noqa: E402
from samverkan.followup.figures import facts  # noqa: E402
from samverkan.followup.filters import last_whole_months  # noqa: E402
from samverkan.followup.indicators import Filters, Histogram  # noqa: E402
from samverkan.followup.rollup import refresh_due  # noqa: E402

SQL = """
SELECT date_trunc('month', c.discharged_at AT TIME ZONE 'Europe/Stockholm')::date AS month,
  count(*) AS stays,
  count(*) FILTER (WHERE c.notice_sent_at IS NOT NULL) AS notice,
  count(*) FILTER (WHERE c.notice_sent_at <= COALESCE(c.support_judged_at, c.admitted_at)
                   + interval '24 hours') AS notice_on_time,
  count(*) FILTER (WHERE c.ready_at IS NOT NULL) AS ready,
  COALESCE(sum(GREATEST((c.discharged_at AT TIME ZONE 'Europe/Stockholm')::date
      - (c.ready_at AT TIME ZONE 'Europe/Stockholm')::date, 0))
    FILTER (WHERE c.ready_at IS NOT NULL), 0) AS ready_days,
  count(*) FILTER (WHERE EXISTS (SELECT 1 FROM cases_case r WHERE r.patient_id = c.patient_id
      AND r.admitted_at > c.discharged_at
      AND r.admitted_at <= c.discharged_at + interval '30 days')) AS readmitted
FROM cases_case c
WHERE c.admitted_at IS NOT NULL AND c.discharged_at >= %s AND c.discharged_at < %s
GROUP BY 1 ORDER BY 1
"""
FIGURES = ["stays", "notice", "notice_on_time", "ready", "ready_days", "readmitted"]


def hand_written(f: Filters) -> dict:
    start = timezone.make_aware(datetime.combine(f.date_from, clock.min))
    end = timezone.make_aware(datetime.combine(f.date_to + timedelta(days=1), clock.min))
    with connection.cursor() as cursor:
        cursor.execute(SQL, [start, end])
        return {row[0]: dict(zip(FIGURES, row[1:], strict=True)) for row in cursor.fetchall()}


def from_dashboard(f: Filters) -> dict:
    found = {}
    for month, (c, days) in facts(f, "month").items():
        figures = {k: c[k] for k in FIGURES if k != "ready_days"}
        found[month] = figures | {"ready_days": Histogram(days).total}
    return found


def seconds(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        fn()
        times.append(time.perf_counter() - began)
    return statistics.median(times)


def page(client, f: Filters):
    query = f"date_from={f.date_from}&date_to={f.date_to}&by=municipality"
    response = client.get(f"/uppfoljning/?{query}")
    assert response.status_code == 200, response.status_code


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--cases", type=int, default=0)
    args = parser.parse_args()
    if args.cases:
        from los_bench import prepare

        prepare(args.cases)
    client = Client()
    client.force_login(User.objects.get(username="analytiker"))
    year_from, year_to = last_whole_months(12)
    first = Case.objects.filter(discharged_at__isnull=False).order_by("discharged_at").first()
    everything = Filters(timezone.localdate(first.discharged_at), year_to)
    periods = [("last 12 months", Filters(year_from, year_to)), ("whole register", everything)]
    print(f"database: {connection.vendor}, cases: {Case.objects.count():,}")
    began = time.perf_counter()
    months = refresh_due()  # what the worker keeps up to date
    print(f"rollup: {months} closed months built in {time.perf_counter() - began:.1f} s")
    for name, f in periods:
        stays = sum(c["stays"] for c, _ in facts(f, "month").values())
        print(f"\n{name}: {f.date_from} – {f.date_to}, {stays:,} discharged stays")
        page_s = seconds(lambda f=f: page(client, f), args.repeat)
        table_s = seconds(lambda f=f: from_dashboard(f), args.repeat)
        print(f"  dashboard page (every table and chart)  {page_s * 1000:9.1f} ms")
        print(f"  its LOS figures per month (1 query)      {table_s * 1000:9.1f} ms")
        if connection.vendor != "postgresql":
            print("  hand-written SQL baseline: PostgreSQL only")
            continue
        sql_s = seconds(lambda f=f: hand_written(f), args.repeat)
        same = hand_written(f) == from_dashboard(f)
        print(f"  hand-written SQL, same figures (1 query) {sql_s * 1000:9.1f} ms")
        print(f"  figures equal: {same}")
        print(
            f"  ratio LOS figures / SQL: {table_s / sql_s:5.2f}; page / SQL: {page_s / sql_s:5.2f}"
        )
        assert same, "the dashboard and the hand-written query disagree"


if __name__ == "__main__":
    main()
