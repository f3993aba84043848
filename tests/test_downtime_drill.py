"""The downtime drill: declare, fetch, phone, back-enter, reconcile; the report's figures equal
the hand-counted ones, the lists are empty but for the reported leftovers, every fetch is one
audit row per person, and a second drill is a downtime of its own."""

import json
from datetime import date, datetime, timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.utils import timezone

from samverkan.audit.models import AuditEvent
from samverkan.cases import receipts, services
from samverkan.cases.models import Case
from samverkan.cases.testing import actor
from samverkan.downtime import drill
from samverkan.downtime import services as downtime
from samverkan.downtime.models import BackEntry, Downtime, DowntimePC
from samverkan.patients.models import Patient
from samverkan.testing import PNR_NEW

NOW = timezone.make_aware(datetime(2025, 3, 5, 16, 0))  # a Wednesday afternoon
PHRASE = "övningens lösenfras 2025"


def ago(hours: float) -> datetime:
    return NOW - timedelta(hours=hours)


def notice(w, case, when):
    services.send_admission_notice(
        actor(w.ward_staff),
        case,
        expected_discharge_date=date(2025, 3, 12),
        occurred_at=when,
        now=when,
    )
    case.refresh_from_db()


@pytest.fixture
def w(world):
    """Three stays 8 h ago: A ready (SIP needed, ready notice not acknowledged), B admitted
    without a notice, C noticed with a question asked 30 min ago (after any drill window)."""
    with time_machine.travel(NOW, tick=True):
        downtime.set_passphrase(actor(world.ward_admin), PHRASE)
        downtime.set_passphrase(actor(world.a_admin), PHRASE + " A")
        nurse = actor(world.ward_staff)
        world.a = services.open_case(nurse, world.patient, admitted_at=ago(8), now=ago(8))
        notice(world, world.a, ago(7.8))
        for user, unit in ((world.a_staff, None), (world.pcc_staff, None)):
            receipts.acknowledge_all(actor(user, unit), world.a, now=ago(7))
        services.declare_ready(
            actor(world.ward_physician), world.a, sip_needed=True, sip_consent=True, now=ago(6)
        )
        world.b = services.open_case(nurse, world.child, admitted_at=ago(8), now=ago(8))
        newcomer = Patient.objects.create(
            identity=PNR_NEW,
            identity_kind="personnummer",
            birth_date="1940-01-16",
            given_name="Nils",
            family_name="Nykomling",
            registered_municipality=world.muni_a,
        )
        world.c = services.open_case(nurse, newcomer, admitted_at=ago(8), now=ago(8))
        notice(world, world.c, ago(7.5))
        services.ask(actor(world.a_staff), world.c, text="Hur går det?", now=ago(0.5))
        yield world


def run(hours: float = 2) -> drill.Report:
    return drill.run(hours=hours)


def test_the_drill_reconciles_what_was_pending_and_reports_the_rest(w):
    with time_machine.travel(NOW, tick=True):
        report = run(hours=4)
    window = report.window
    assert window.taken_at == ago(4)
    assert (window.starts_at, window.ends_at) == (ago(4) + drill.LEAD, ago(4) + drill.LEAD * 13)
    # Hand count. A: ready receipts of the needs assessors and primary care, the SIP call, the
    # discharge; B: the admission notice; C: the notice's receipt, the question's answer.
    assert report.pending == {
        "acknowledgement": 3,
        "sip_call": 1,
        "discharge": 1,
        "admission_notice": 1,
        "answer": 1,
    }
    assert report.reconciled == {
        "acknowledgement": 2,
        "sip_call": 1,
        "discharge": 1,
        "admission_notice": 1,
    }
    assert report.left_by_reason() == {"after_window": 2}  # C's question came after the window
    assert {i["case"] for i, _, _ in report.left} == {str(w.c.public_id)}
    # Units: the ward, the needs assessors, primary care (no passphrase: reported, not fetched).
    assert report.units == report.planned == 3
    assert report.snapshots >= report.planned  # the job also takes a check time it had missed
    assert report.no_passphrase == [w.pcc.name]
    assert (report.fetched, report.pdfs_checked) == (2, 2)
    assert 0 < report.to_first <= report.to_all
    # The lists: only C's two items are left, on the lists of the units taking part in C.
    assert report.lists_after == {w.a_needs.name: 2, w.pcc.name: 0, w.ward.name: 2}
    assert report.unexplained == 0
    assert sum(report.lists_before.values()) > sum(report.lists_after.values())


def test_the_true_times_are_inside_the_window_and_entered_after_it(w):
    with time_machine.travel(NOW, tick=True):
        report = run(hours=4)
    w.a.refresh_from_db()
    w.b.refresh_from_db()
    window = report.window
    assert w.a.state == Case.State.DISCHARGED
    assert window.starts_at < w.a.sip_called_at < w.a.discharged_at < window.ends_at
    assert window.starts_at < w.b.notice_sent_at < window.ends_at
    entries = BackEntry.objects.all()
    assert entries.count() == 4  # two receipts, the discharge, the notice (the SIP call: service)
    assert all(e.applied and e.source == "telefon" and e.caller_name for e in entries)
    assert all(window.ends_at < e.entered_at <= timezone.now() for e in entries)
    assert {e.unit_id for e in entries} == {w.ward.pk, w.a_needs.pk, w.pcc.pk}


def test_each_fetch_is_one_audit_row_per_person(w):
    with time_machine.travel(NOW, tick=True):
        run(hours=4)
    reads = AuditEvent.objects.filter(action="downtime.read")
    pcs = DowntimePC.objects.filter(name=drill.PC_NAME)
    assert sorted(pcs.values_list("unit_id", flat=True)) == sorted([w.ward.pk, w.a_needs.pk])
    assert all(pc.last_fetch_at for pc in pcs)
    noticed = {w.patient.pk, w.c.patient_id}  # B had no notice: the municipality is not in it
    for unit, people in ((w.ward, noticed | {w.child.pk}), (w.a_needs, noticed)):
        rows = reads.filter(unit=unit)
        assert sorted(rows.values_list("patient_id", flat=True)) == sorted(people)
        assert set(rows.values_list("username", flat=True)) == {"Reservdator: Övning"}


def test_a_second_drill_is_a_new_downtime(w):
    with time_machine.travel(NOW, tick=True):
        first = run(hours=4)
        second = run(hours=2)
    assert Downtime.objects.filter(reason="Övning").count() == 2
    assert first.downtime.pk != second.downtime.pk
    assert DowntimePC.objects.filter(name=drill.PC_NAME).count() == 2  # reused
    # New pending: A's discharge receipts and B's notice receipt (the first drill's events).
    assert second.pending["acknowledgement"] == 4  # + C's notice receipt, still left
    assert second.reconciled == {"acknowledgement": 3}
    assert second.left_by_reason() == {"after_window": 2}
    assert second.unexplained == 0


def test_an_overlapping_drill_is_refused(w):
    with time_machine.travel(NOW, tick=True):
        run(hours=2)
        with pytest.raises(drill.DrillError, match="tidigare övning"):
            run(hours=2)
    assert Downtime.objects.count() == 1


def test_the_command_prints_swedish_and_json(w):
    out = StringIO()
    with time_machine.travel(NOW, tick=True):
        call_command("downtime_drill", "--hours", "4", stdout=out)
    text = out.getvalue()
    assert "Tid till första utdraget på avdelningen" in text
    assert "Ärendets senaste händelse ligger efter övningsfönstret: 2" in text


def test_the_command_gives_the_figures_as_json(w):
    out = StringIO()
    with time_machine.travel(NOW, tick=True):
        call_command("downtime_drill", "--hours", "4", "--json", stdout=out)
    figures = json.loads(out.getvalue())
    assert figures["items_left"] == {"after_window": 2}
    assert figures["reconciliation_rows_unexplained"] == 0
    assert figures["snapshots_fetched"] == 2


def test_the_command_refuses_production_without_the_flag(w, settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="--yes-this-is-a-drill"):
        call_command("downtime_drill")
    assert not Downtime.objects.exists()


def test_an_item_whose_unit_has_no_one_to_write_is_left_with_its_reason(w):
    w.pcc_staff.memberships.all().delete()  # primary care has no member at all now
    with time_machine.travel(NOW, tick=True):
        report = run(hours=4)
    assert report.left_by_reason() == {"after_window": 2, "no_member": 1}
    (item,) = [i for i, reason, _ in report.left if reason == "no_member"]
    assert (item["case"], item["kind"]) == (str(w.a.public_id), "acknowledgement")
    assert report.reconciled["acknowledgement"] == 1
    assert report.no_member == [w.pcc.name]  # and so no reconciliation list of its own
    assert report.unexplained == 0


def test_the_pdf_check_needs_the_passphrase(w):
    import io

    import pikepdf

    from samverkan.downtime.snapshot import encrypt

    plain = io.BytesIO()
    with pikepdf.new() as doc:
        doc.add_blank_page()
        doc.save(plain)
    assert drill.opens(encrypt(plain.getvalue(), PHRASE), PHRASE)
    assert not drill.opens(plain.getvalue(), PHRASE)  # opens without: not protected
    assert not drill.opens(encrypt(plain.getvalue(), PHRASE), "fel lösenfras")


def test_an_unknown_admin_is_refused(w):
    with pytest.raises(CommandError, match="Ingen aktiv systemadministratör nobody"):
        call_command("downtime_drill", "--admin", "nobody")
    assert not Downtime.objects.exists()
