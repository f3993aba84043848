"""The monthly rollup gives the same figures as counting live, is used only for closed months,
and is rebuilt when a stay of a rolled-up month changes or gets a SIP."""

from datetime import date

import pytest
import time_machine
from django.db.models import F
from django.utils import timezone

from samverkan.followup import dashboard, goals
from samverkan.followup.indicators import Filters
from samverkan.followup.report import dashboard as whole_dashboard
from samverkan.followup.rollup import IndicatorCell, IndicatorMonth, due, refresh_due, rolled_up
from samverkan.followup.testing import at, stays
from samverkan.worker import run_once

NOV = Filters(date(2026, 11, 1), date(2026, 11, 30))
OCT = Filters(date(2026, 10, 1), date(2026, 10, 31))
BOTH = Filters(date(2026, 10, 1), date(2026, 11, 30))
CLOSED = "2027-01-15 10:00 +0100"  # November ended more than 31 days ago


@pytest.fixture
def data(world, settings):
    settings.SMALL_CELL_LIMIT = 1
    return stays(world)


def tables():
    """Every table the dashboard shows, by every grouping."""
    found = [dashboard.los_table(BOTH, by) for by in ("month", "municipality", "ward", "age")]
    found += [dashboard.los_table(NOV, "care"), dashboard.municipality_table(NOV)]
    found += [dashboard.distribution_table(NOV), goals.goals_table(NOV, OCT)]
    narrowed = Filters(NOV.date_from, NOV.date_to, municipality=None, age="80+", care="somatic")
    found.append(dashboard.los_table(narrowed, "municipality"))
    return [(t.title, t.rows) for t in found]


def test_rollup_gives_the_live_figures(data):
    with time_machine.travel(CLOSED, tick=False):
        live = tables()
        assert refresh_due() == 2  # October and November
        assert rolled_up(BOTH) == [date(2026, 10, 1), date(2026, 11, 1)]
        assert IndicatorCell.objects.filter(month=date(2026, 11, 1)).exists()
        assert IndicatorMonth.objects.get(month=date(2026, 11, 1)).stays == 7
        assert tables() == live
        assert refresh_due() == 0  # nothing changed


def test_the_page_reads_the_cells(data):
    with time_machine.travel(CLOSED, tick=False):
        refresh_due()
        IndicatorCell.objects.filter(month=date(2026, 11, 1)).update(stays=F("stays") * 10)
        report = whole_dashboard(NOV, OCT, "municipality")
    total = next(r for r in report.table("los").rows if r[0] == "Totalt")
    assert total[1] == 70  # a marker in the cells: read from them, not from the stays


def test_only_closed_whole_months_are_rolled_up(data):
    with time_machine.travel("2026-12-15 10:00 +0100", tick=False):
        live = tables()
        assert due(timezone.now()) == [date(2026, 10, 1)]  # November may still get readmissions
        assert refresh_due() == 1
        assert rolled_up(BOTH) == [date(2026, 10, 1)]
        assert rolled_up(Filters(date(2026, 10, 15), date(2026, 11, 30))) == []  # not whole
        assert tables() == live


def test_a_changed_stay_rebuilds_its_month(data):
    with time_machine.travel(CLOSED, tick=False):
        refresh_due()
    with time_machine.travel("2027-01-20 10:00 +0100", tick=False):
        s5 = data["S5"]
        s5.destination = "special_housing"
        s5.save(update_fields=["destination", "updated_at"])
        assert run_once()["indicator months"] == 1  # November again
        total = next(r for r in dashboard.los_table(NOV, "municipality").rows if r[0] == "Totalt")
        assert total[-1] == 28.6  # two of seven to special housing
        assert refresh_due() == 1  # within MARGIN the change still counts: it may commit late
    with time_machine.travel("2027-01-20 10:06 +0100", tick=False):
        assert refresh_due() == 1  # the first rebuild MARGIN after the change covers it
    with time_machine.travel("2027-01-20 10:07 +0100", tick=False):
        assert refresh_due() == 0


def test_a_sip_from_a_stay_rebuilds_its_month(data, world):
    from samverkan.sip.models import Sip

    with time_machine.travel(CLOSED, tick=False):
        refresh_due()
    with time_machine.travel("2027-01-20 10:00 +0100", tick=False):
        Sip.objects.create(
            patient=data["S2"].patient,
            case=data["S2"],
            kind=Sip.Kind.AFTER_DISCHARGE,
            target_group=Sip.TargetGroup.ELDERLY,
            initiating_unit=world.pcc,
            started_by=world.pcc_staff,
            started_at=at("11-10"),
            need_seen_by="Vårdcentralen",
            need="Samordning efter utskrivning",
        )
        assert refresh_due() == 1
        total = next(r for r in dashboard.los_table(NOV, "municipality").rows if r[0] == "Totalt")
        assert total[11] == 20.0  # readmitted without a SIP: S1 of five (S2 now has one)


def test_a_failed_rebuild_is_taken_up_by_the_next_pass(data, monkeypatch):
    from samverkan.followup import rollup

    with time_machine.travel(CLOSED, tick=False):
        refresh_due()
    with time_machine.travel("2027-01-20 10:00 +0100", tick=False):
        s5 = data["S5"]
        s5.destination = "special_housing"
        s5.save(update_fields=["destination", "updated_at"])
        real = rollup.refresh_month
        monkeypatch.setattr(rollup, "refresh_month", lambda *a, **k: 1 / 0)
        assert run_once()["indicator months"] == 0  # logged; the other jobs still ran
        monkeypatch.setattr(rollup, "refresh_month", real)
    with time_machine.travel("2027-01-20 10:01 +0100", tick=False):
        assert refresh_due() == 1  # the change was not marked as seen
        total = next(r for r in dashboard.los_table(NOV, "municipality").rows if r[0] == "Totalt")
        assert total[-1] == 28.6


def test_a_wards_kind_is_read_when_counted(data, world):
    with time_machine.travel(CLOSED, tick=False):
        refresh_due()
        world.psych_ward.kind = "ward_somatic"
        world.psych_ward.save()
        by_care = dashboard.los_table(NOV, "care")  # from the cells: no rebuild needed
    assert [r[0] for r in by_care.rows] == ["Somatisk vård", "Totalt"]


def test_a_pass_builds_at_most_its_limit(data):
    with time_machine.travel(CLOSED, tick=False):
        assert refresh_due(limit=1) == 1
        assert due(timezone.now()) == [date(2026, 11, 1)]
        assert refresh_due(limit=1) == 1
        assert due(timezone.now()) == []


@pytest.mark.django_db(transaction=True)
def test_two_workers_rebuilding_one_month_count_it_once():
    from samverkan.testing import build_world

    from ..test_concurrency import together

    world = build_world()
    stays(world)
    with time_machine.travel(CLOSED, tick=False):
        from samverkan.followup.rollup import refresh_month

        refresh_month(date(2026, 11, 1))  # a rebuild of a month that has cells already
        together([lambda: refresh_month(date(2026, 11, 1))] * 2)
        cells = IndicatorCell.objects.filter(month=date(2026, 11, 1))
        assert sum(cells.values_list("stays", flat=True)) == 7
