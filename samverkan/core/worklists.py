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


IN_LIST_MAX = 500  # beyond this a subquery plans faster than a long IN list


def among(ids: list, query):
    """The ids when they are of real size, else the query that gave them (a long IN list
    plans slower than the subquery). Either way `filter(pk__in=...)` takes it."""
    return ids if len(ids) <= IN_LIST_MAX else query


def read_once(pks):
    """A worklist's own set (a queryset of pks through a chokepoint), read once as a list when
    it is of real size, so each section is a plain indexed look-up among them; a larger set
    stays a subquery."""
    return among(list(pks[: IN_LIST_MAX + 1]), pks)


def panels(actor, now) -> list[tuple[str, str, list[Entry]]]:
    sections = []
    for path in getattr(settings, "WORKLIST_PANELS", []):
        sections += import_string(path)(actor, now)
    return sections
