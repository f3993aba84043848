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
