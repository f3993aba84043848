"""Reading a unit's newest encrypted snapshot, by its downtime PC or a member in the browser:
only the unit's own, and every fetch logged as a read of every person in it (one row each)."""

from django.http import Http404
from django.utils import timezone

from samverkan.audit.log import record, record_reads

from .models import DowntimePC, Snapshot

MISSING = (
    "Enheten har inget krypterat reservutdrag ännu: enhetsadministratören anger en lösenfras "
    "under Reservrutin, sedan tas ett fram vid nästa avstämningstid eller med knappen."
)


def newest(unit) -> Snapshot | None:
    return Snapshot.objects.filter(unit=unit, pdf__isnull=False).first()


def _read(actor, snapshot: Snapshot | None) -> Snapshot:
    if snapshot is None:
        record(actor, "downtime.fetch_refused", obj=actor.unit, detail={"reason": "none"})
        raise Http404(MISSING)
    record_reads(actor, "downtime.read", snapshot.people)
    return snapshot


def fetch_for_device(actor) -> Snapshot:
    """The PC's fetch: the newest PDF of its unit."""
    snapshot = _read(actor, newest(actor.unit))
    DowntimePC.objects.filter(pk=actor.pc.pk).update(last_fetch_at=timezone.now())
    return snapshot


def fetch_for_member(actor) -> Snapshot:
    """A member's download in the browser (the same file the PCs fetch)."""
    actor.require("read_personal")
    return _read(actor, newest(actor.unit))


def filename(snapshot: Snapshot) -> str:
    stamp = timezone.localtime(snapshot.taken_at).strftime("%Y%m%d-%H%M")
    return f"reservutdrag-{snapshot.unit.hsa_id}-{stamp}.pdf"
