"""The downtime drill's report in Swedish, as `manage.py downtime_drill` prints it."""

from collections import Counter

from django.utils import timezone

from .drill import LEFT, Report
from .models import Snapshot


def _seconds(value) -> str:
    return "–" if value is None else f"{value:.1f} s".replace(".", ",")


def _local(moment) -> str:
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}"


def _counts(counter: Counter, labels: dict) -> list[str]:
    return [f"    {labels.get(k, k)}: {n}" for k, n in sorted(counter.items())] or ["    inga"]


def lines(report: Report) -> list[str]:
    """The report in Swedish, as printed."""
    w = report.window
    out = [
        f"Övning av reservrutinen (driftstopp {report.downtime.pk}, gäller hela Samverkan)",
        f"  Virtuell tidslinje: utdrag {_local(w.taken_at)}, driftstopp {_local(w.starts_at)}"
        f"–{_local(w.ends_at)}, efterregistrering nu",
        f"  Tid till första utdraget på avdelningen: {_seconds(report.to_first)}",
        f"  Tid till alla utdrag: {_seconds(report.to_all)}",
        f"  Enheter: {report.units}; utdrag tagna: {report.snapshots} (före det planerade "
        f"stoppet: {report.planned}, övriga: avstämningstiden före); hämtade av reservdator: "
        f"{report.fetched}; pdf kontrollerade (öppnas med lösenfrasen, inte utan): "
        f"{report.pdfs_checked}",
    ]
    out += _units("Utan lösenfras (inget krypterat utdrag)", report.no_passphrase)
    out += _units("Utan enhetsadministratör (ingen reservdator)", report.no_admin)
    out += _units("Utan medlem (ingen avstämningslista)", report.no_member)
    out += ["  Väntande poster i utdragen:", *_counts(report.pending, Snapshot.PENDING_KINDS)]
    out += ["  Avstämda poster:", *_counts(report.reconciled, Snapshot.PENDING_KINDS)]
    out += ["  Kvar, per orsak:", *_counts(report.left_by_reason(), LEFT)]
    out += _leftovers(report.left)
    out += [
        f"  Tid att efterregistrera: {_seconds(report.to_reconcile)}",
        f"  Avstämningslistorna: {sum(report.lists_before.values())} rader före, "
        f"{sum(report.lists_after.values())} efter; utan redovisad orsak: {report.unexplained}",
    ]
    return out


def _units(title: str, names: list) -> list[str]:
    if not names:
        return []
    shown = ", ".join(names[:8]) + (f" och {len(names) - 8} till" if len(names) > 8 else "")
    return [f"  {title}: {len(names)} ({shown})"]


def _leftovers(left: list, shown: int = 10) -> list[str]:
    rows = [f"      – {_label(i)}: {d}" for i, _, d in left]
    more = [f"      … och {len(rows) - shown} till"] if len(rows) > shown else []
    return rows[:shown] + more


def _label(item: dict) -> str:
    short = item["case"][:8].upper()  # as the case is named on its page: "Ärende 05DE6D79"
    return f"{Snapshot.PENDING_KINDS.get(item['kind'], item['kind'])}, ärende {short}"
