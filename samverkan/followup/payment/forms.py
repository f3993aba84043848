"""The statement's filters: month (ÅÅÅÅ-MM) and municipality; the average page's year."""

import re
from datetime import date

from django import forms
from django.utils import timezone

from samverkan.directory.models import Principal


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

    def __init__(self, *args, municipalities=None, **kwargs):
        super().__init__(*args, **kwargs)
        if municipalities is not None:
            self.fields["kommun"].queryset = municipalities

    def clean_manad(self) -> date:
        value = (self.cleaned_data.get("manad") or "").strip()
        if not value:
            return timezone.localdate().replace(day=1)
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

    def clean_ar(self) -> int:
        return self.cleaned_data.get("ar") or timezone.localdate().year
