"""Log review pages for unit admins (their unit) and system admins (all); the review is logged."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from samverkan.core.private_filters import filter_data, keep_posted, page_query
from samverkan.directory.actor import actor_required
from samverkan.lib.exports import csv_response

from .log import record
from .review import ReviewFilterForm, describe_filter, filter_events, reviewable_events

CSV_COLUMNS = ["tid", "användare", "enhet", "roll", "händelse", "person", "objekt", "från adress"]


def _reviewed(request, action):
    form = ReviewFilterForm(filter_data(request, "patient"))
    if form.is_bound and not form.is_valid():
        return form, None
    data = form.cleaned_data if form.is_bound else {}
    record(request.actor, action, detail=describe_filter(data))
    return form, filter_events(reviewable_events(request.actor), data)


@require_http_methods(["GET", "POST"])
@actor_required("review_audit")
def review(request):
    if request.method == "POST":
        return keep_posted(request, "patient")
    form, events = _reviewed(request, "audit.review")
    page = Paginator(events, 50).get_page(request.GET.get("sida")) if events is not None else None
    context = {"form": form, "page": page, "query": page_query(request)}
    return render(request, "audit/review.html", context, status=400 if page is None else 200)


@require_GET
@actor_required("review_audit")
def export_csv(request):
    form, events = _reviewed(request, "audit.export")
    if events is None:
        return render(request, "audit/review.html", {"form": form}, status=400)
    rows = (_row(e) for e in events.iterator(chunk_size=2000))
    return csv_response("logg.csv", CSV_COLUMNS, rows)


def _row(e) -> list[str]:
    return [
        timezone.localtime(e.at).strftime("%Y-%m-%d %H:%M:%S"),
        e.username,
        e.unit.name if e.unit else "",
        e.role_label,
        e.action_label,
        e.patient.identity_display if e.patient else e.detail.get("identity", ""),
        f"{e.object_type} {e.object_id}".strip(),
        e.ip or "",
    ]
