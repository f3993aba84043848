"""Pre-filled paper forms per case for a downtime: each field is a back-entry field (the same
name and label as the form and the API), so entering it afterwards is a copy."""

from dataclasses import dataclass

from django import forms
from django.utils import timezone

from .backentry_forms import KIND_FIELDS, BackEntryForm
from .models import BackEntry

K = BackEntry.Kind
KINDS = {
    K.ADMISSION_NOTICE: "Inskrivningsmeddelande",
    K.READY: "Utskrivningsklar",
    K.DISCHARGE: "Information vid utskrivning",
}
BLANK = ["occurred_at", "form_number", "caller_name", "caller_unit", "callee_name", "callee_unit"]


@dataclass
class Line:
    """One field of the paper form: its API name, label, a known value or the choices to tick."""

    name: str
    label: str
    value: str = ""
    choices: tuple[str, ...] = ()


def known(case, kind: str) -> dict:
    """The values Samverkan knows before the downtime."""
    values = {"source": BackEntry.Source.PAPER.label}
    if kind == K.ADMISSION_NOTICE and case.expected_discharge_date:
        values["expected_discharge_date"] = case.expected_discharge_date.isoformat()
    if kind == K.DISCHARGE and case.checklist:
        values |= {k: _shown(v) for k, v in case.checklist.items() if v not in ("", None)}
    return values


def _shown(value) -> str:
    return {True: "Ja", False: "Nej"}.get(value, str(value))


def lines(case, kind: str) -> list[Line]:
    form, values = BackEntryForm(questions=None), known(case, kind)
    names = [*BLANK[:1], "source", *BLANK[1:], *KIND_FIELDS[kind]]
    return [_line(name, form.fields[name], values.get(name, "")) for name in names]


def _line(name: str, field, value: str) -> Line:
    choices = ()
    if isinstance(field, forms.BooleanField):
        choices = ("Ja", "Nej")
    elif isinstance(field, forms.ChoiceField) and not value:
        choices = tuple(str(label) for key, label in field.choices if key != "")
    return Line(name, str(field.label), value, choices)


def context(case, kind: str, recipients) -> dict:
    return {
        "case": case,
        "patient": case.patient,
        "kind": kind,
        "title": KINDS[kind],
        "lines": lines(case, kind),
        "recipients": recipients,
        "printed_at": timezone.now(),
    }
