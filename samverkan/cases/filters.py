"""The case list's filters: state, overdue, municipality, ward, period and identity number."""

from django import forms
from django.utils import timezone

from samverkan.directory.models import Principal, Unit
from samverkan.lib.periods import check_order, within
from samverkan.patients.services import parse_identity_field

from . import deadlines
from .access import visible_cases
from .models import Case


class CaseFilterForm(forms.Form):
    state = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[("", "Alla öppna"), ("all", "Alla")] + Case.State.choices,
    )
    overdue = forms.BooleanField(label="Bara försenade", required=False)
    municipality = forms.ModelChoiceField(
        label="Kommun",
        required=False,
        queryset=Principal.objects.filter(kind="municipality"),
        empty_label="Alla",
    )
    ward = forms.ModelChoiceField(
        label="Avdelning",
        required=False,
        queryset=Unit.objects.filter(kind__in=["ward_somatic", "ward_psychiatric", "emergency"]),
        empty_label="Alla",
    )
    date_from = forms.DateField(
        label="Inskriven från", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label="Inskriven till", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    identity = forms.CharField(label="Identitetsnummer", required=False, max_length=20)

    def __init__(self, *args, actor=None, **kwargs):
        super().__init__(*args, **kwargs)
        if actor and not actor.unit.looks_up_patients:
            del self.fields["identity"]  # search by number only where the role allows look-ups

    def clean(self):
        data = super().clean()
        if data.get("identity"):
            data["identity"] = parse_identity_field(data["identity"]).number
        check_order(data)
        return data


def filtered_cases(actor, form: CaseFilterForm):
    cases = visible_cases(actor).select_related("patient", "ward").order_by("-admitted_at")
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    state = data.get("state")
    if state and state != "all":
        cases = cases.filter(state=state)
    elif not state:
        cases = cases.exclude(state=Case.State.CLOSED)
    if data.get("overdue"):
        cases = cases.filter(deadlines.overdue_q(timezone.now()))
    if data.get("municipality"):
        cases = cases.filter(patient__registered_municipality=data["municipality"])
    if data.get("ward"):
        cases = cases.filter(ward=data["ward"])
    cases = within(cases, "admitted_at", data)
    if data.get("identity"):
        cases = cases.filter(patient__identity=data["identity"])
    return cases
