"""Choosing units in a form: the listed units as checkboxes naming their principal, and "add a
unit" by searching the directory (principal, then unit). The field's value is a list of HSA-ids,
checked on the server: active units only (each once: the service's rule)."""

import re

from django import forms
from django.template.loader import render_to_string

from .models import Principal, Unit
from .search import filtered_units

CHOOSABLE = Unit.objects.filter(active=True).exclude(kind=Unit.Kind.ADMINISTRATION)
CHOICES_SHOWN = 20
FIELD_NAME = re.compile(r"[a-z_]{1,30}")
MAX_UNITS = 50


def picked_field(params) -> str:
    """The form field the search's checkboxes belong to (a plain name, else "recipients")."""
    name = params.get("falt", "")
    return name if FIELD_NAME.fullmatch(name) else "recipients"


class UnitPicker(forms.Widget):
    """Checkboxes for the listed units (ticked when chosen) and a directory search, answered
    by HTMX or, without JavaScript, by a plain GET of the form's own page (`search`)."""

    use_fieldset = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.listed: list[Unit] = []
        self.search = None  # the GET of a search without JavaScript

    def _found(self, name, rows) -> dict:
        if self.search is None or not searched(self.search):
            return {"search": {}, "asked": False, "choices": []}
        listed = {u.hsa_id for u in rows}
        choices = [c for c in found_choices(self.search, name) if c[0].hsa_id not in listed]
        return {"search": self.search, "asked": True, "choices": choices}

    def value_from_datadict(self, data, files, name):
        return data.getlist(name) if hasattr(data, "getlist") else list(data.get(name) or [])

    def value_omitted_from_data(self, data, files, name):
        return False  # no box ticked is a value: the empty list

    def format_value(self, value):
        return [getattr(v, "hsa_id", v) for v in value or []]

    def render(self, name, value, attrs=None, renderer=None):
        chosen = self.format_value(value)
        extra = list(CHOOSABLE.filter(hsa_id__in=chosen).select_related("principal"))
        rows = _unique([*self.listed, *extra])
        context = {
            "name": name,
            "id": (attrs or {}).get("id") or f"id_{name}",
            "rows": [(u, u.hsa_id in chosen) for u in rows],
            "principals": Principal.objects.all(),
            "limit": CHOICES_SHOWN,
            **self._found(name, rows),
        }
        return render_to_string("directory/_unit_picker.html", context)


def _unique(units) -> list[Unit]:
    seen, result = set(), []
    for unit in units:
        if unit.pk not in seen:
            seen.add(unit.pk)
            result.append(unit)
    return result


class UnitsField(forms.Field):
    """A list of unit HSA-ids; cleaned to the active units in the order given."""

    widget = UnitPicker
    default_error_messages = {
        "required": "Välj minst en mottagare.",
        "unknown": "Okänd eller inaktiv enhet: {hsa_id}.",
        "too_many": f"Välj högst {MAX_UNITS} enheter.",
    }

    def to_python(self, value) -> list[str]:
        return [str(v).strip() for v in value or [] if str(v).strip()]

    def validate(self, value):
        super().validate(value)
        if len(value) > MAX_UNITS:
            raise forms.ValidationError(self.error_messages["too_many"], code="too_many")

    def clean(self, value):
        ids = super().clean(value)
        units = {u.hsa_id: u for u in CHOOSABLE.filter(hsa_id__in=ids).select_related("principal")}
        for hsa_id in ids:
            if hsa_id not in units:
                message = self.error_messages["unknown"].format(hsa_id=hsa_id[:40])
                raise forms.ValidationError(message, code="unknown")
        return [units[h] for h in ids]

    def offer(self, listed, search=None) -> None:
        """The units listed as checkboxes, and the finds of a search without JavaScript."""
        self.widget.listed = list(listed)
        self.widget.search = search


def searched(params) -> bool:
    return bool(params.get("principal") or params.get("q", "").strip())


def found_choices(params, name: str) -> list[tuple[Unit, bool]]:
    """(unit, ticked): the units ticked among earlier finds, then the search's matches, leaving
    out the units the form lists (`listade`)."""
    listed = set(params.getlist("listade"))
    ticked_ids = [h for h in params.getlist(name)[:MAX_UNITS] if h not in listed]
    ticked = list(CHOOSABLE.filter(hsa_id__in=ticked_ids).select_related("principal"))
    skip = listed | {u.hsa_id for u in ticked}
    matches = filtered_units(params, CHOOSABLE) if searched(params) else []
    found = [u for u in matches if u.hsa_id not in skip][:CHOICES_SHOWN]
    return [(u, True) for u in ticked] + [(u, False) for u in found]
