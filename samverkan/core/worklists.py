"""Worklist sections from other modules (SIP, deviations, …) on the start page, after the LOS
sections. Each module named in settings.WORKLIST_PANELS has
`probe(actor) -> QuerySet | None`: what it would show anything from (None: nothing for this
actor), and `panel(actor, now) -> list[(key, title, [Entry, …])]`, built from small indexed sets.
One query asks all the probes at once; only the modules that found something build their
sections, so a unit with nothing there pays one query, not one per module."""

from dataclasses import dataclass
from datetime import datetime
from importlib import import_module

from django.conf import settings
from django.db.models import Exists

from samverkan.directory.models import Unit


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
    modules = [import_module(path) for path in getattr(settings, "WORKLIST_PANELS", [])]
    probes = {f"m{i}": m.probe(actor) for i, m in enumerate(modules)}
    found = anything({key: query for key, query in probes.items() if query is not None}, actor)
    sections = []
    for key, module in zip(probes, modules, strict=True):
        if found.get(key):
            sections += module.panel(actor, now)
    return sections


def anything(probes: dict, actor) -> dict[str, bool]:
    """Whether each queryset finds a row, in one query (on the actor's unit: one row)."""
    if not probes:
        return {}
    one = Unit.objects.filter(pk=actor.unit.pk)
    return one.values(**{key: Exists(query) for key, query in probes.items()}).first() or {}
