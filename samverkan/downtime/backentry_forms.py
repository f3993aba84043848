"""The back-entry form: the common fields (true time, source, who phoned whom) and each kind's
fields, taken from the case page's own forms so that labels and names are the same as there,
in the API schema and on the pre-filled paper forms."""

import copy

from django import forms

from samverkan.cases import forms as case_forms
from samverkan.cases.services import CHECKLIST

from .backentry import ACKNOWLEDGED
from .models import FORM_NUMBER_MAX, PERSON_MAX, BackEntry

K = BackEntry.Kind
OWN = {  # kind: (the case page's form, the fields taken from it)
    K.ADMISSION_NOTICE: (case_forms.NoticeForm, ["expected_discharge_date"]),
    K.READY: (case_forms.ReadyForm, ["sip_needed", "sip_consent"]),
    K.READY_RETRACTED: (case_forms.RetractForm, ["reason"]),
    K.DISCHARGE: (case_forms.DischargeForm, ["destination", *CHECKLIST]),
    K.ANSWER: (case_forms.AnswerForm, ["text"]),
}
KIND_FIELDS = {k: names for k, (_form, names) in OWN.items()} | {
    K.ACKNOWLEDGEMENT: ["acknowledges"],
    K.ANSWER: ["question", "text"],
}
COMMON = [
    "kind",
    "occurred_at",
    "source",
    "form_number",
    "caller_name",
    "caller_unit",
    "callee_name",
    "callee_unit",
]


def _person(label: str) -> forms.CharField:
    return forms.CharField(label=label, required=False, max_length=PERSON_MAX)


class BackEntryForm(forms.Form):
    """One back-entry; only the chosen kind's fields are read (the service checks them)."""

    kind = forms.ChoiceField(label="Händelse", choices=[("", "Välj")] + K.choices)
    occurred_at = forms.DateTimeField(
        label="När det hände", widget=case_forms.DATETIME, help_text="Den verkliga tidpunkten."
    )
    source = forms.ChoiceField(label="Källa", choices=[("", "Välj")] + BackEntry.Source.choices)
    form_number = forms.CharField(
        label="Blankettnummer",
        required=False,
        max_length=FORM_NUMBER_MAX,
        help_text="Krävs när källan är en pappersblankett.",
    )
    caller_name = _person("Vem ringde eller lämnade uppgiften")
    caller_unit = _person("Från enhet")
    callee_name = _person("Till vem")
    callee_unit = _person("På enhet")
    acknowledges = forms.ChoiceField(
        label="Vilket meddelande kvitterades",
        required=False,
        choices=[("", "Välj")] + list(ACKNOWLEDGED.items()),
    )
    question = forms.ModelChoiceField(
        label="Fråga som besvarades", required=False, queryset=None, to_field_name="public_id"
    )

    def __init__(self, *args, questions=None, **kwargs):
        super().__init__(*args, **kwargs)
        for form, names in OWN.values():
            for name in names:
                self.fields[name] = field = copy.deepcopy(form.base_fields[name])
                field.required = False
        self.fields["question"].queryset = questions
        self.order_fields(COMMON)

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        kwargs = {name: data[name] for name in COMMON}
        kwargs["values"] = values_of(data["kind"], data)
        return kwargs


def values_of(kind: str, data: dict) -> dict:
    """A kind's values from a form's or the API's flat fields, as the service stores them."""
    names = KIND_FIELDS[kind]
    if kind == K.DISCHARGE:
        checklist = data.get("checklist") or {k: data.get(k) for k in CHECKLIST}
        return {"destination": data.get("destination") or "", "checklist": checklist}
    values = {n: data.get(n) for n in names if data.get(n) not in (None, "")}
    if kind == K.READY and data.get("sip_needed") is not None:
        values["sip_consent"] = data.get("sip_consent")
    if "expected_discharge_date" in values:
        values["expected_discharge_date"] = values["expected_discharge_date"].isoformat()
    if "question" in values:
        question = values["question"]
        values["question"] = str(getattr(question, "public_id", question))
    return values
