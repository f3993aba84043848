"""The downtime banner on every page: a planned stop ahead, one going on (for a unit, a
principal or the login), and, for BANNER_DAYS after it ended, the window and the link to the
unit's reconciliation list."""

from datetime import timedelta

from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from .models import Downtime
from .reconciliation import SHOWN_DAYS

BANNER_DAYS = 3  # an ended downtime is shown this long
AHEAD_DAYS = 7  # a planned one from this long before
SHOWN = 3  # at most this many at once


def concerning(request, now) -> list[Downtime]:
    """The downtimes that concern the request's unit, from a week ahead to SHOWN_DAYS back
    (the banner's, and the start page's reminders of reconciliation lists), read once per
    request. Without a unit (the login page): the system-wide ones, e.g. that the login
    service is down and emergency accounts are open."""
    if not hasattr(request, "_downtimes"):
        actor = getattr(request, "actor", None)
        request._downtimes = _around(actor.unit if actor else None, now)
    return request._downtimes


def _around(unit, now) -> list[Downtime]:
    if unit is not None:
        found = Downtime.objects.covering_unit(unit)
    else:
        found = Downtime.objects.filter(scope__in=[Downtime.Scope.ALL, Downtime.Scope.IDP])
    recent = Q(ends_at__isnull=True) | Q(ends_at__gt=now - timedelta(days=SHOWN_DAYS))
    found = found.filter(recent, starts_at__lt=now + timedelta(days=AHEAD_DAYS))
    return list(found.select_related("principal", "unit").order_by("starts_at"))


def shown(request, now) -> list[Downtime]:
    """The downtimes the banner shows: planned, going on, or ended BANNER_DAYS ago at most."""
    since = now - timedelta(days=BANNER_DAYS)
    return [d for d in concerning(request, now) if not d.ends_at or d.ends_at > since][:SHOWN]


def reconciliation_url(downtime) -> str:
    """The reconciliation list of the downtime, when that page exists."""
    try:
        return reverse("downtime_reconciliation", args=[downtime.pk])
    except NoReverseMatch:
        return ""


def banner_context(request):
    actor = getattr(request, "actor", None)
    if actor is None and not _login_page(request):
        return {"downtime_banner": []}  # before login only the login page tells
    now = timezone.now()
    items = []
    for d in shown(request, now):
        state = "planned" if d.starts_at > now else "over" if d.ends_at and d.ends_at <= now else ""
        url = reconciliation_url(d) if state == "over" and actor else ""
        items.append({"downtime": d, "state": state or "ongoing", "url": url})
    return {"downtime_banner": items}


def _login_page(request) -> bool:
    match = getattr(request, "resolver_match", None)
    return bool(match and match.url_name == "login")
