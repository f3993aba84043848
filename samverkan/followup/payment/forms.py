"""The statement's filters: month (ÅÅÅÅ-MM) and municipality; the average page's year."""

import re
from datetime import date, timedelta

from django import forms
from django.utils import timezone

from samverkan.directory.models import Principal


def last_month() -> date:
    """The last whole month: the one a statement is sent for."""
    return (timezone.localdate().replace(day=1) - timedelta(days=1)).replace(day=1)


class StatementFilter(forms.Form):
    manad = forms.CharField(
        label="Månad", required=False, widget=forms.TextInput(attrs={"type": "month"})
    )
    kommun = forms.ModelChoiceField(
        label="Kommun",
        required=False,
        queryset=Principal.objects.filter(kind=Principal.Kind.MUNICIPALITY),
        to_field_name="code",
        empty_label="Välj kommun",
        error_messages={"invalid_choice": "Kommun: välj en av kommunerna i listan."},
    )

    def __init__(self, data, *, municipalities=None):
        """Without a month: the last whole month. The list offers the municipalities the
        reader sees (chosen when only one); any other still validates, so that asking for it
        is refused (403) rather than taken for a typo."""
        data = data.copy()
        data["manad"] = data.get("manad") or f"{last_month():%Y-%m}"
        offered = list(municipalities) if municipalities is not None else None
        if offered is not None and len(offered) == 1 and not data.get("kommun"):
            data["kommun"] = offered[0].code
        super().__init__(data)
        if offered is not None:
            choices = [(m.code, m.name) for m in offered]
            self.fields["kommun"].choices = [("", "Välj kommun"), *choices]

    def clean_manad(self) -> date:
        value = (self.cleaned_data.get("manad") or "").strip()
        match = re.fullmatch(r"(\d{4})-(\d{2})", value)
        if not match or not 1 <= int(match[2]) <= 12 or not 2018 <= int(match[1]) <= 2100:
            raise forms.ValidationError(
                "Månad: ange år och månad som ÅÅÅÅ-MM, t.ex. 2025-03 (från 2018).", code="format"
            )
        return date(int(match[1]), int(match[2]), 1)


class YearFilter(forms.Form):
    ar = forms.IntegerField(
        label="År",
        required=False,
        min_value=2018,
        max_value=2100,
        error_messages={
            "invalid": "År: ange ett årtal, t.ex. 2025.",
            "min_value": "År: tidigast 2018 (lagen gäller från 2018).",
            "max_value": "År: senast 2100.",
        },
    )

    def __init__(self, data):
        data = data.copy()
        data["ar"] = data.get("ar") or str(timezone.localdate().year)
        super().__init__(data)

    def clean_ar(self) -> int:
        return self.cleaned_data["ar"]
