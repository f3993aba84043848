"""The dashboard's filter form: period, grouping, narrowing and the baseline period."""

from datetime import date, timedelta

from django import forms
from django.utils import timezone

from samverkan.core.errors import invalid
from samverkan.directory.models import Principal, Unit
from samverkan.lib.periods import check_order

from .indicators import AGE_GROUPS, CARE_TYPES, DIMENSIONS, Filters

DATE = forms.DateInput(attrs={"type": "date"})
MAX_DAYS = 366 * 10  # a period longer than ten years is a typing error
FIRST, LAST = date(2000, 1, 1), date(2100, 12, 31)  # dates outside are typing errors


def last_whole_months(months: int, before: date | None = None) -> tuple[date, date]:
    """The `months` whole calendar months ending before `before` (default: today)."""
    end = (before or timezone.localdate()).replace(day=1) - timedelta(days=1)
    start = end.replace(day=1)
    for _ in range(months - 1):
        start = (start - timedelta(days=1)).replace(day=1)
    return start, end


class DashboardForm(forms.Form):
    date_from = forms.DateField(label="Utskrivna från", required=False, widget=DATE)
    date_to = forms.DateField(label="Utskrivna till", required=False, widget=DATE)
    by = forms.ChoiceField(label="Gruppera efter", required=False, choices=DIMENSIONS.items())
    municipality = forms.ModelChoiceField(
        label="Kommun",
        required=False,
        queryset=Principal.objects.filter(kind=Principal.Kind.MUNICIPALITY),
        empty_label="Alla",
    )
    ward = forms.ModelChoiceField(
        label="Vårdenhet",
        required=False,
        queryset=Unit.objects.filter(kind__in=[Unit.Kind.WARD_SOMATIC, Unit.Kind.WARD_PSYCHIATRIC]),
        empty_label="Alla",
    )
    age = forms.ChoiceField(
        label="Åldersgrupp",
        required=False,
        choices=[("", "Alla")] + [(g, f"{g} år") for g, _, _ in AGE_GROUPS],
    )
    care = forms.ChoiceField(
        label="Somatik/psykiatri", required=False, choices=[("", "Alla"), *CARE_TYPES.items()]
    )
    baseline_from = forms.DateField(label="Basperiod från", required=False, widget=DATE)
    baseline_to = forms.DateField(label="Basperiod till", required=False, widget=DATE)

    def clean(self):
        data = super().clean()
        for name in ("date_from", "date_to", "baseline_from", "baseline_to"):
            if data.get(name) and not FIRST <= data[name] <= LAST:
                label = self.fields[name].label
                raise invalid(name, "range", f"{label}: ange ett datum från 2000 till 2100.")
        start, end = last_whole_months(12)
        data["date_from"] = data.get("date_from") or start
        data["date_to"] = data.get("date_to") or end
        check_order(data)
        if (data["date_to"] - data["date_from"]).days > MAX_DAYS:
            raise invalid("date_to", "range", "Perioden får vara högst tio år.")
        length = data["date_to"] - data["date_from"]
        data["baseline_to"] = data.get("baseline_to") or data["date_from"] - timedelta(days=1)
        data["baseline_from"] = data.get("baseline_from") or data["baseline_to"] - length
        if data["baseline_from"] > data["baseline_to"]:
            raise invalid("baseline_to", "order", "Basperiodens slut måste vara efter dess start.")
        if (data["baseline_to"] - data["baseline_from"]).days > MAX_DAYS:
            raise invalid("baseline_from", "range", "Basperioden får vara högst tio år.")
        if data["baseline_from"] < FIRST:
            raise invalid("baseline_from", "range", "Basperioden kan börja tidigast år 2000.")
        data["by"] = data.get("by") or "month"
        self._show(data)
        return data

    def _show(self, data: dict) -> None:
        """The form shows the period and baseline it counted, defaults included."""
        self.data = self.data.copy()
        for name in ("date_from", "date_to", "baseline_from", "baseline_to", "by"):
            if not self.data.get(name):
                self.data[name] = str(data[name])

    def counted(self, period: Filters, baseline: Filters | None = None) -> None:
        """The form shows the periods as counted (whole months for some viewers)."""
        shown = {"date_from": period.date_from, "date_to": period.date_to}
        if baseline:
            shown |= {"baseline_from": baseline.date_from, "baseline_to": baseline.date_to}
        for name, value in shown.items():
            self.data[name] = str(value)

    def filters(self) -> Filters:
        d = self.cleaned_data
        return Filters(
            d["date_from"],
            d["date_to"],
            d["municipality"].pk if d.get("municipality") else None,
            d["ward"].pk if d.get("ward") else None,
            d.get("age") or "",
            d.get("care") or "",
        )

    def baseline(self) -> Filters:
        d = self.cleaned_data
        return self.filters().shifted(d["baseline_from"], d["baseline_to"])
