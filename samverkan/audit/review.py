"""Log review: which events a reviewer may see, filtered by person, user and period."""

from django import forms
from django.db.models import QuerySet

from samverkan.directory.roles import Role
from samverkan.lib.periods import check_order, within
from samverkan.patients.services import parse_identity_field

from .models import AuditEvent


class ReviewFilterForm(forms.Form):
    patient = forms.CharField(label="Person (identitetsnummer)", required=False, max_length=20)
    user = forms.CharField(label="Användare", required=False, max_length=150)
    date_from = forms.DateField(
        label="Från och med", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label="Till och med", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self):
        data = super().clean()
        if data.get("patient"):
            data["patient"] = parse_identity_field(data["patient"], "patient").number
        check_order(data)
        return data


def reviewable_events(actor) -> QuerySet[AuditEvent]:
    """A system admin reviews all; a unit admin the events made in their unit."""
    events = AuditEvent.objects.select_related("patient", "unit")
    return events if actor.role == Role.SYSADMIN else events.filter(unit=actor.unit)


def filter_events(events: QuerySet[AuditEvent], data: dict) -> QuerySet[AuditEvent]:
    if data.get("patient"):
        events = events.filter(patient__identity=data["patient"])
    if data.get("user"):
        events = events.filter(username__iexact=data["user"])
    return within(events, "at", data)


def describe_filter(data: dict) -> dict:
    return {k: str(v) for k, v in data.items() if v}
