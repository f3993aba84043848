"""A downtime PC as the actor of its fetches: no user, named in the log by its name."""

from dataclasses import dataclass

from ninja.security import HttpBearer

from samverkan.audit.log import record
from samverkan.directory.middleware import client_ip

from .models import DowntimePC
from .services import digest


@dataclass(frozen=True)
class DeviceActor:
    """Who fetched: the PC, in its unit, from an address (the audit log's actor)."""

    pc: DowntimePC
    ip: str = ""
    user: None = None
    role: str = ""

    @property
    def unit(self):
        return self.pc.unit

    @property
    def label(self) -> str:
        return f"Reservdator: {self.pc.name}"[:150]


class DeviceAuth(HttpBearer):
    """The device token of a registered, not revoked downtime PC; every refusal is logged."""

    def __call__(self, request):
        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not token:
            return refuse(request, "missing")
        return self.authenticate(request, token.strip())

    def authenticate(self, request, token):
        pc = DowntimePC.objects.select_related("unit").filter(token_hash=digest(token)).first()
        if pc is None:
            return refuse(request, "unknown")
        actor = DeviceActor(pc, client_ip(request))
        if pc.revoked_at is not None:
            record(actor, "downtime.fetch_refused", obj=pc, detail={"reason": "revoked"})
            return None
        request.actor = actor
        return actor


def refuse(request, reason: str) -> None:
    record(None, "downtime.fetch_refused", detail={"reason": reason}, ip=client_ip(request))
    return None
