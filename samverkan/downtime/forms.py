"""Forms of the backup routine: the passphrase, a downtime PC, a declared downtime."""

from django import forms

from samverkan.cases.forms import DATETIME
from samverkan.directory.models import Principal, Unit

from .models import Downtime
from .services import PASSPHRASE_MAX, PASSPHRASE_MIN, PC_NAME_MAX

SECRET = forms.PasswordInput(attrs={"autocomplete": "new-password"})


class PassphraseForm(forms.Form):
    passphrase = forms.CharField(
        label="Ny lösenfras",
        min_length=PASSPHRASE_MIN,
        max_length=PASSPHRASE_MAX,
        strip=False,
        widget=SECRET,
        help_text=f"{PASSPHRASE_MIN}–{PASSPHRASE_MAX} tecken, gärna fyra eller fem ord.",
    )
    repeated = forms.CharField(
        label="Upprepa lösenfrasen", max_length=PASSPHRASE_MAX, strip=False, widget=SECRET
    )

    def clean(self):
        data = super().clean()
        if data.get("passphrase") and data.get("passphrase") != data.get("repeated"):
            self.add_error("repeated", "Lösenfraserna är inte lika.")
        return data


class PcForm(forms.Form):
    name = forms.CharField(
        label="Datorns namn",
        max_length=PC_NAME_MAX,
        help_text="T.ex. datornamnet eller platsen: ”Expeditionen avd 31”.",
    )


class DowntimeForm(forms.ModelForm):
    starts_at = forms.DateTimeField(label="Från", widget=DATETIME)
    ends_at = forms.DateTimeField(
        label="Till", widget=DATETIME, required=False, help_text="Tomt: pågår tills vidare."
    )
    principal = forms.ModelChoiceField(
        Principal.objects.all(), label="Huvudman", required=False, help_text="Om det gäller en."
    )
    unit = forms.ModelChoiceField(
        Unit.objects.filter(active=True).select_related("principal"),
        label="Enhet",
        required=False,
        help_text="Om det gäller en enhet.",
    )

    class Meta:
        model = Downtime
        fields = ["starts_at", "ends_at", "scope", "principal", "unit", "reason"]


class EndForm(forms.Form):
    ends_at = forms.DateTimeField(
        label="Slut", widget=DATETIME, required=False, help_text="Tomt: nu."
    )
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
