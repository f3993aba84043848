"""A conflict never throws work away. Every case form carries the version it was opened on and
`base`, the values it showed. When another unit saved first, the fields the other change did
not touch are merged and the form is sent again on the new version; a field both changed keeps
the user's input and shows theirs against yours, to be sent again on the new version."""

import json
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from samverkan.core.errors import add_service_error, invalid, run_service

from .models import AdlStatus, Case

KEPT = (
    "Någon annan har ändrat ärendet medan du skrev. Dina uppgifter finns kvar: jämför med "
    "ändringen nedan och skicka igen."
)


@dataclass(frozen=True)
class Fact:
    """A form field that edits a fact of the case: its label, the case's value as the form
    posts it, and how a value reads in Swedish."""

    field: str
    label: str
    read: Callable  # (case, adl_items) -> str
    shown: Callable = lambda v: v or "–"
    prefilled: bool = True  # the form shows the case's value; else blank means "unchanged"


def _date(case, adl):
    return case.expected_discharge_date.isoformat() if case.expected_discharge_date else ""


def _adl_facts() -> list[Fact]:
    facts = []
    for key, label in AdlStatus.ITEMS.items():
        facts += [
            Fact(
                f"{key}_level",
                label,
                lambda c, adl, k=key: adl.get(k, {}).get("level", ""),
                lambda v: AdlStatus.LEVELS.get(v, "–"),
                prefilled=False,
            ),
            Fact(
                f"{key}_note",
                f"{label}, anteckning",
                lambda c, adl, k=key: adl.get(k, {}).get("note", ""),
                prefilled=False,
            ),
        ]
    return facts


EXPECTED = Fact("expected_discharge_date", "Beräknat utskrivningsdatum", _date)
FACTS = {  # by action key; a form without facts only adds (a question, a notice) and merges
    "notice": [EXPECTED],
    "expected": [EXPECTED],
    "care_contact": [
        Fact("name", "Fast vårdkontakt", lambda c, adl: c.care_contact_name),
        Fact("phone", "Direktnummer", lambda c, adl: c.care_contact_phone),
    ],
    "adl": _adl_facts(),
}


def current(key: str, case: Case) -> dict[str, str]:
    """The case's values of the action's facts, as its form posts them."""
    facts = FACTS.get(key, [])
    if not facts:
        return {}
    latest = case.adl_statuses.order_by("-occurred_at", "-id").first() if key == "adl" else None
    adl = latest.items if latest else {}
    return {f.field: f.read(case, adl) for f in facts}


def initial(key: str, case: Case) -> dict:
    """The form's hidden version and base, and the prefilled facts."""
    values = current(key, case)
    prefill = {f.field: values[f.field] for f in FACTS.get(key, []) if f.prefilled}
    return {"version": case.version, "base": json.dumps(values), **prefill}


def _posted(form, field: str) -> str:
    value = form.cleaned_data.get(field)
    return value.isoformat() if hasattr(value, "isoformat") else str(value or "")


def _base(form) -> dict:
    try:
        base = json.loads(form.cleaned_data.get("base") or "{}")
    except ValueError:
        return {}
    return base if isinstance(base, dict) else {}


def three_way(key: str, form, fresh: Case):
    """(data to send again, differences): untouched fields follow the other change; a field
    both changed differently is a difference (label, theirs, yours)."""
    base, theirs = _base(form), current(key, fresh)
    data = form.data.copy()
    data["version"], data["base"] = str(fresh.version), json.dumps(theirs)
    differences = []
    for fact in FACTS.get(key, []):
        yours, seen, now = _posted(form, fact.field), base.get(fact.field), theirs[fact.field]
        if yours == seen or (not fact.prefilled and not yours):
            if fact.prefilled:
                data[form.add_prefix(fact.field)] = now
        elif now not in (seen, yours):
            differences.append((fact.label, fact.shown(now), fact.shown(yours)))
    return data, differences


def _is_conflict(error: ValidationError) -> bool:
    errors = getattr(error, "error_dict", {}).get(NON_FIELD_ERRORS, [])
    return any(e.code == "conflict" for e in errors)


def submit(step, actor, case: Case, form, kwargs_of, make):
    """Run the step's service on the valid form; on a stale version merge and run it once
    more (`make(data, files)` binds a new form), or return the kept form with its differences.
    Returns (result or None, form)."""
    try:
        return step.service(actor, case, **kwargs_of(form)), form
    except ValidationError as error:
        if not _is_conflict(error):
            add_service_error(form, error)
            return None, form
    fresh = Case.objects.get(pk=case.pk)
    data, differences = three_way(step.key, form, fresh)
    for upload in form.files.values():
        upload.seek(0)
    again = make(data, form.files)
    again.merged, again.differences = not differences, differences
    if not again.is_valid():
        return None, again
    if differences:
        again.add_error(None, invalid(None, "conflict", KEPT))
        return None, again
    return run_service(again, step.service, actor, fresh, **kwargs_of(again)), again
