"""The downtime drill (övning av reservrutinen) on a test or demo installation: declare a
planned stop, fetch every unit's snapshot as its downtime PC does, "phone" what was pending,
back-enter it with the true times and reconcile; every step through the backup routine's own
services, on a virtual timeline in the past so nothing lands in the future."""

import io
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Max
from django.utils import timezone

from samverkan.cases import intake, receipts
from samverkan.cases import services as case_services
from samverkan.cases.models import Case, Delivery, Message
from samverkan.directory.actor import Actor
from samverkan.directory.models import Membership, Unit
from samverkan.directory.roles import Role, role_can

from . import fetching, jobs, reconciliation
from . import services as downtime_services
from .backentry import ACKNOWLEDGED, register_back_entry
from .device import DeviceActor
from .models import BackEntry, Downtime, DowntimePC, Snapshot, SnapshotRun
from .snapshot import passphrase_of

REASON = "Övning"
PC_NAME = "Övning"
IP = "127.0.0.1"
LEAD = timedelta(minutes=5)  # the snapshot is taken this long before the stop
LENGTH = timedelta(minutes=60)  # the stop
STEP = timedelta(minutes=2)  # between two phoned events of one case
SPREAD_MINUTES = 40  # the cases' first calls are spread over this part of the window
CHECKLIST = {"medication_list": True, "care_report": "Utskrivningsinformation på papper"}
ORDER = ["acknowledgement", "answer", "admission_notice", "sip_call", "discharge"]
LEFT = {  # why an item was not registered
    "no_member": "Ingen medarbetare med skrivbehörighet på enheten som är skyldig",
    "after_window": "Ärendets senaste händelse ligger efter övningsfönstret",
    "no_service": "Ingen efterregistrering och ingen tjänst med sann tid",
    "refused": "Avvisad av tjänsten",
    "waiting": "Efterregistrerad men väntar på annan händelse",
}


class DrillError(Exception):
    """The drill cannot start (a Swedish message for the command)."""


@dataclass(frozen=True)
class Window:
    """The virtual timeline: snapshot at `taken_at`, the stop from `starts_at` to `ends_at`."""

    taken_at: datetime
    starts_at: datetime
    ends_at: datetime

    @classmethod
    def before(cls, now: datetime, hours: float) -> "Window":
        taken = now - timedelta(hours=hours)
        return cls(taken, taken + LEAD, taken + LEAD + LENGTH)


@dataclass
class Report:
    """The drill's figures (as_json) and what lies behind them."""

    downtime: Downtime
    window: Window
    units: int = 0
    snapshots: int = 0  # taken by the worker's passes (also a check time's it had not taken)
    planned: int = 0  # of them, the planned stop's
    fetched: int = 0
    pdfs_checked: int = 0
    to_first: float | None = None  # seconds from the declaration to the first fetch
    to_all: float | None = None
    to_reconcile: float = 0.0  # seconds of the back-entries
    no_passphrase: list = field(default_factory=list)
    no_admin: list = field(default_factory=list)
    no_member: list = field(default_factory=list)
    pending: Counter = field(default_factory=Counter)  # by kind
    reconciled: Counter = field(default_factory=Counter)  # by kind
    left: list = field(default_factory=list)  # (item, reason key, text)
    lists_before: dict = field(default_factory=dict)  # unit name -> rows
    lists_after: dict = field(default_factory=dict)
    unexplained: int = 0  # rows after that are not a reported leftover (should be 0)

    def left_by_reason(self) -> Counter:
        return Counter(key for _, key, _ in self.left)

    def as_json(self) -> dict:
        w = self.window
        return {
            "downtime": self.downtime.pk,
            "window": {
                "snapshot_at": w.taken_at.isoformat(),
                "starts_at": w.starts_at.isoformat(),
                "ends_at": w.ends_at.isoformat(),
            },
            "seconds_to_first_snapshot": _round(self.to_first),
            "seconds_to_all_snapshots": _round(self.to_all),
            "units": self.units,
            "snapshots": self.snapshots,
            "snapshots_planned_stop": self.planned,
            "snapshots_fetched": self.fetched,
            "pdfs_checked": self.pdfs_checked,
            "units_without_passphrase": len(self.no_passphrase),
            "units_without_unit_admin": len(self.no_admin),
            "units_without_member": len(self.no_member),
            "items_pending": dict(sorted(self.pending.items())),
            "items_reconciled": dict(sorted(self.reconciled.items())),
            "items_left": dict(sorted(self.left_by_reason().items())),
            "seconds_to_reconcile": _round(self.to_reconcile),
            "reconciliation_rows_before": sum(self.lists_before.values()),
            "reconciliation_rows_after": sum(self.lists_after.values()),
            "reconciliation_rows_unexplained": self.unexplained,
        }


def _round(seconds):
    return None if seconds is None else round(seconds, 2)


# --- who acts ------------------------------------------------------------------------------


def actor_of(membership: Membership) -> Actor:
    return Actor(user=membership.user, membership=membership, ip=IP)


def member(unit, capability: str) -> Actor | None:
    """An existing member of the unit whose role has the capability (the first by username)."""
    found = Membership.objects.filter(unit=unit, user__is_active=True)
    for m in found.select_related("user", "unit__principal").order_by("user__username", "pk"):
        if role_can(m.role, capability):
            return actor_of(m)
    return None


def system_admin(username: str | None) -> Actor:
    found = Membership.objects.filter(role=Role.SYSADMIN, user__is_active=True)
    if username:
        found = found.filter(user__username=username)
    first = found.select_related("user", "unit__principal").order_by("user__username").first()
    if first is None:
        raise DrillError(f"Ingen aktiv systemadministratör {username or ''}".strip() + " finns.")
    return actor_of(first)


# --- 1. declare, snapshots, fetch ------------------------------------------------------------


def check_overlap(window: Window) -> None:
    """A second drill needs its own stretch of time: its window may not begin before an earlier
    drill's stop ended (the phoned events of both would interleave)."""
    earlier = Downtime.objects.filter(reason=REASON, ends_at__gt=window.taken_at).first()
    if earlier:
        raise DrillError(
            f"En tidigare övning (driftstopp {earlier.pk}) slutar "
            f"{timezone.localtime(earlier.ends_at):%Y-%m-%d %H:%M}, efter den här övningens "
            "utdrag: vänta eller välj en tidslinje med --hours som börjar efter den."
        )


def declare(admin: Actor, window: Window) -> Downtime:
    """The planned stop, declared at the snapshot's time so it is still ahead then."""
    values = {
        "scope": Downtime.Scope.ALL,
        "reason": REASON,
        "starts_at": window.starts_at,
        "ends_at": window.ends_at,
    }
    return downtime_services.declare_downtime(admin, values, now=window.taken_at)


def take_snapshots(window: Window) -> int:
    """The worker's job at the snapshot's time, pass after pass until nothing is left."""
    taken = 0
    while made := jobs.take_due_snapshots(now=window.taken_at):
        taken += made
    return taken


def planned_runs(downtime: Downtime, window: Window) -> int:
    """The planned stop's runs the worker has done (one per covered unit needing one)."""
    runs = SnapshotRun.objects.filter(
        reason=Snapshot.Reason.PLANNED_STOP, due_at=window.taken_at, done_at__isnull=False
    )
    return runs.filter(unit__in=downtime_services.units_covered(downtime)).count()


def drill_snapshots(downtime: Downtime) -> list[Snapshot]:
    """Each covered unit's snapshot on the ward at the stop's start."""
    found = []
    for unit in downtime_services.units_covered(downtime).order_by("name", "pk"):
        snapshot = Snapshot.latest_before(unit, downtime.starts_at)
        if snapshot is not None:
            found.append(snapshot)
    return found


def drill_pc(unit, admin: Actor) -> DowntimePC:
    """The unit's drill PC: reused when one named "Övning" exists, else registered by the unit
    admin (the token is not needed: the fetch below is the endpoint's, after authentication)."""
    pc = unit.downtime_pcs.filter(name=PC_NAME, revoked_at=None).select_related("unit").first()
    return pc or downtime_services.register_pc(admin, PC_NAME)[0]


def opens(pdf: bytes, passphrase: str) -> bool:
    """The PDF opens with the passphrase and not without it."""
    import pikepdf

    try:
        pikepdf.open(io.BytesIO(pdf)).close()
        return False
    except pikepdf.PasswordError:
        pass
    try:
        with pikepdf.open(io.BytesIO(pdf), password=passphrase) as doc:
            return len(doc.pages) > 0
    except pikepdf.PasswordError:
        return False


def fetch_all(report: Report, snapshots: list[Snapshot], started: float) -> None:
    """Each unit's drill PC fetches its newest snapshot as the device endpoint does (of the
    unit's snapshots taken at the same moment only one keeps the PDF: the endpoint's)."""
    for snapshot in snapshots:
        unit = snapshot.unit
        passphrase = passphrase_of(unit)
        if not passphrase or fetching.newest(unit) is None:
            report.no_passphrase.append(unit.name)
            continue
        admin = member(unit, "manage_downtime")
        if admin is None:
            report.no_admin.append(unit.name)
            continue
        fetched = fetching.fetch_for_device(DeviceActor(drill_pc(unit, admin), IP))
        report.fetched += 1
        report.to_first = report.to_first or time.perf_counter() - started
        report.to_all = time.perf_counter() - started
        fresh = fetched.taken_at == snapshot.taken_at
        report.pdfs_checked += fresh and opens(bytes(fetched.pdf), passphrase)


# --- 2-3. phone and back-enter ---------------------------------------------------------------


def key(item: dict) -> tuple:
    return (item["case"], item["kind"], item.get("unit", ""), item.get("ref", ""))


def pending(snapshots: list[Snapshot]) -> list[dict]:
    """The items of all snapshots, each once (a case's items appear in every unit's)."""
    unique = {}
    for snapshot in snapshots:
        for item in snapshot.items:
            unique.setdefault(key(item), item)
    return list(unique.values())


def by_case(items: list[dict]) -> dict[str, list[dict]]:
    cases: dict[str, list[dict]] = {}
    for item in sorted(items, key=lambda i: (i["case"], ORDER.index(i["kind"]), key(i))):
        cases.setdefault(item["case"], []).append(item)
    return cases


def last_event(case: Case) -> datetime:
    """The latest moment the case's history already holds: a phoned event comes after it."""
    latest = case.messages.aggregate(last=Max("occurred_at"))["last"]
    return max(t for t in (latest, case.admitted_at, case.ready_at) if t)


def registered(item: dict, case: Case) -> bool:
    """The reconciliation list's own rule for one item."""
    return reconciliation._registered(item, case, reconciliation._registered_refs([item]))


def caller(actor: Actor) -> dict:
    name = actor.user.get_full_name() or actor.user.username
    return {"caller_name": name, "caller_unit": actor.unit.name}


def callee(case: Case, actor: Actor) -> dict:
    """Whom the owing unit phoned: the ward, or the ward phones the first other participant."""
    if case.ward_id != actor.unit.pk:
        return {"callee_unit": case.ward.name}
    other = case.participants.filter(active=True).exclude(unit=case.ward).select_related("unit")
    first = other.order_by("unit__name").first()
    return {"callee_unit": first.unit.name} if first else {}


def expected_date(case: Case, when: datetime) -> str:
    earliest = max(timezone.localdate(case.admitted_at), timezone.localdate(when))
    return (earliest + timedelta(days=5)).isoformat()


def values_for(item: dict, case: Case, when: datetime) -> dict | None:
    """The back-entry's values as the paper form carries them, or None for no back-entry."""
    kind = item["kind"]
    if kind == "admission_notice":
        return {"expected_discharge_date": expected_date(case, when)}
    if kind == "acknowledgement":
        message = Message.objects.filter(public_id=item["ref"]).first()
        known = message and message.kind in ACKNOWLEDGED
        return {"acknowledges": message.kind} if known else None
    if kind == "discharge":
        return {"destination": Case.Destination.HOME, "checklist": CHECKLIST}
    if kind == "answer":
        return {"question": item["ref"], "text": "Besvarat per telefon under driftstoppet."}
    return None


def phone(item: dict, case: Case, when: datetime, report: Report) -> None:
    """What the owing unit did on paper, registered afterwards with its true time."""
    owing = Unit.objects.filter(public_id=item.get("unit") or None).first()
    actor = member(owing, "write_personal") if owing else None
    if actor is None:
        return _leave(report, item, "no_member", owing.name if owing else "okänd enhet")
    if item["kind"] == "sip_call" or _care_request(item) or _other_receipt(item):
        return _ordinary(report, item, actor, case, when)
    values = values_for(item, case, when)
    if values is None or item["kind"] not in reconciliation.BACK_ENTRY_KIND:
        return _leave(report, item, "no_service", _what(item))
    try:
        entry = register_back_entry(
            actor,
            case,
            kind=reconciliation.BACK_ENTRY_KIND[item["kind"]],
            occurred_at=when,
            source=BackEntry.Source.PHONE,
            values=values,
            **caller(actor),
            **callee(case, actor),
        )
    except (ValidationError, PermissionDenied) as error:
        return _leave(report, item, "refused", " ".join(getattr(error, "messages", [str(error)])))
    if not entry.applied:
        _leave(report, item, "waiting", entry.waiting)


def _care_request(item: dict) -> Message | None:
    """An answer owed to a care request: no back-entry kind (the answer kind is a question's)."""
    if item["kind"] != "answer":
        return None
    return Message.objects.filter(public_id=item["ref"], kind=Message.Kind.CARE_REQUEST).first()


def _other_receipt(item: dict) -> Delivery | None:
    """A receipt owed for a message the receipt back-entry does not name (e.g. a care request)."""
    if item["kind"] != "acknowledgement":
        return None
    found = Delivery.objects.filter(message__public_id=item["ref"], unit__public_id=item["unit"])
    return found.exclude(message__kind__in=list(ACKNOWLEDGED)).first()


def _ordinary(report, item, actor, case, when) -> None:
    """Without a back-entry kind the item's own service takes the true time: the SIP call, the
    answer to a care request, the receipt of another message."""
    try:
        if item["kind"] == "sip_call":
            case_services.record_sip_called(actor, case, occurred_at=when)
        elif item["kind"] == "acknowledgement":
            receipts.acknowledge(actor, _other_receipt(item), now=when)
        else:
            text = "Besvarat per telefon under driftstoppet."
            intake.answer_care_request(actor, case, _care_request(item), text=text, now=when)
    except (ValidationError, PermissionDenied) as error:
        _leave(report, item, "refused", " ".join(getattr(error, "messages", [str(error)])))


def _leave(report: Report, item: dict, reason: str, detail: str = "") -> None:
    report.left.append((item, reason, detail))


def _what(item: dict) -> str:
    """What a receipt without a back-entry kind acknowledges (e.g. a care request)."""
    message = Message.objects.filter(public_id=item.get("ref") or None).first()
    return f"kvittens av {message.get_kind_display().lower()}" if message else item["kind"]


def phone_all(report: Report, items: list[dict], window: Window) -> None:
    """Case by case, the calls spread over the window, each after the case's last event."""
    cases = Case.objects.select_related("ward", "patient").in_bulk(
        {i["case"] for i in items}, field_name="public_id"
    )
    started = time.perf_counter()
    for n, (case_id, own) in enumerate(by_case(items).items()):
        case = cases[_uuid(case_id)]
        offset = timedelta(minutes=1 + (n * 7) % SPREAD_MINUTES)
        when = max(window.starts_at + offset, last_event(case) + timedelta(minutes=1))
        for item in own:
            case.refresh_from_db()
            if registered(item, case):
                continue  # e.g. a question another unit answered a moment ago
            if when >= window.ends_at:
                latest = f"senaste händelse {timezone.localtime(last_event(case)):%Y-%m-%d %H:%M}"
                _leave(report, item, "after_window", latest)
            else:
                phone(item, case, when, report)
            when += STEP
    report.to_reconcile = time.perf_counter() - started


def _uuid(value) -> uuid.UUID:
    return uuid.UUID(str(value))


# --- 4. reconcile ----------------------------------------------------------------------------


def lists(downtime: Downtime, snapshots: list[Snapshot], report: Report) -> dict[str, list]:
    """The reconciliation list of every unit, as a member of the unit sees it."""
    found = {}
    for snapshot in snapshots:
        reader = member(snapshot.unit, "read_personal")
        if reader is None:
            report.no_member.append(snapshot.unit.name)
            continue
        found[snapshot.unit.name] = reconciliation.remaining(reader, downtime)
    return found


def settle(report: Report, items: list[dict]) -> None:
    """Count what is registered now; a leftover that got registered after all is dropped."""
    cases = Case.objects.in_bulk({i["case"] for i in items}, field_name="public_id")
    left_keys = {key(i) for i, _, _ in report.left}
    for item in items:
        if registered(item, cases[_uuid(item["case"])]):
            report.reconciled[item["kind"]] += 1
        elif key(item) not in left_keys:
            _leave(report, item, "waiting", "inte registrerad")
    report.left = [x for x in report.left if not registered(x[0], cases[_uuid(x[0]["case"])])]


def unexplained(after: dict[str, list], report: Report) -> int:
    """Rows still on a list that are not a reported leftover (the drill expects none)."""
    left = {(i["case"], i["kind"]) for i, _, _ in report.left}
    return sum(
        1 for rows in after.values() for r in rows if (str(r.case.public_id), r.kind) not in left
    )


# --- the drill -------------------------------------------------------------------------------


def run(*, hours: float = 2, admin: str | None = None, now: datetime | None = None) -> Report:
    """The whole drill; returns its report."""
    now = now or timezone.now()
    window = Window.before(now, hours)
    check_overlap(window)
    sysadmin = system_admin(admin)
    started = time.perf_counter()
    downtime = declare(sysadmin, window)
    report = Report(downtime, window)
    report.snapshots = take_snapshots(window)
    report.planned = planned_runs(downtime, window)
    snapshots = drill_snapshots(downtime)
    report.units = len(snapshots)
    fetch_all(report, snapshots, started)
    items = pending(snapshots)
    report.pending = Counter(i["kind"] for i in items)
    before = lists(downtime, snapshots, report)
    report.lists_before = {name: len(rows) for name, rows in before.items()}
    phone_all(report, items, window)
    settle(report, items)
    after = lists(downtime, snapshots, Report(downtime, window))  # no_member counted once
    report.lists_after = {name: len(rows) for name, rows in after.items()}
    report.unexplained = unexplained(after, report)
    return report
