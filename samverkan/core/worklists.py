"""Worklist sections from other modules (SIP, deviations, …) on the start page, after the LOS
sections. Each module names a function in settings.WORKLIST_PANELS:
`panel(actor, now) -> list[(key, title, [Entry, …])]`, built from small indexed sets."""

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.utils.module_loading import import_string


@dataclass
class Entry:
    """One thing to do: a link, what to do, when it is due; `patient` for the read log."""

    href: str
    title: str
    text: str
    due_at: datetime | None = None
    overdue: bool = False
    detail: str = ""
    patient: object | None = None


def panels(actor, now) -> list[tuple[str, str, list[Entry]]]:
    sections = []
    for path in getattr(settings, "WORKLIST_PANELS", []):
        sections += import_string(path)(actor, now)
    return sections
