"""Forms for the case page's actions; each names the service it feeds (the services hold the
rules)."""

from django import forms

from samverkan.core.confirm import Confirmed
from samverkan.directory.models import Unit
from samverkan.directory.picker import UnitsField
from samverkan.lib import limits
from samverkan.lib.phone import PhoneField

from .clock import EXPECTED_CONFIRM_DAYS
from .models import AdlStatus, Case, Delivery
from .services import CHECKLIST, INTERRUPTION_REASONS

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class Versioned(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=2**31 - 1)
    base = forms.CharField(  # what the form showed (cases.merge), to merge a later change
        widget=forms.HiddenInput, required=False, max_length=10_000
    )


class WhenMixin(forms.Form):
    occurred_at = forms.DateTimeField(
        label="Tidpunkt (om annan än nu)",
        required=False,
        widget=DATETIME,
        help_text="Fyll i bara när du registrerar i efterhand, t.ex. efter driftstopp.",
    )


class ConfirmDateMixin(forms.Form):
    confirm_date = forms.BooleanField(
        label="Bekräfta datumet",
        required=False,
        help_text=f"Krävs när datumet ligger mer än {EXPECTED_CONFIRM_DAYS} dagar fram.",
    )


class OpenCaseForm(ConfirmDateMixin):
    admitted_at = forms.DateTimeField(
        label="Inskriven", required=False, widget=DATETIME, help_text="Lämna tomt för nu."
    )
    expected_discharge_date = forms.DateField(
        label="Beräknat utskrivningsdatum", required=False, widget=DATE
    )


class AdmitForm(Versioned):
    ward = forms.ModelChoiceField(
        label="Vårdavdelning",
        queryset=Unit.objects.filter(kind__in=["ward_somatic", "ward_psychiatric"], active=True),
    )


class Recipients(forms.Form):
    """Recipients as ticked checkboxes with their principal, plus a directory search."""

    recipients = UnitsField(
        label="Mottagare",
        help_text="Förvalda enligt folkbokföring och listning. Bocka ur en enhet som inte ska "
        "ha meddelandet, eller lägg till en ur katalogen.",
    )

    def __init__(self, *args, suggested=(), search=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("recipients", [u.hsa_id for u in suggested])
        self.fields["recipients"].offer(suggested, search)


class NoticeForm(Recipients, Versioned, WhenMixin, ConfirmDateMixin):
    expected_discharge_date = forms.DateField(label="Beräknat utskrivningsdatum", widget=DATE)
    field_order = ["expected_discharge_date", "confirm_date", "recipients", "occurred_at"]


class ExpectedDateForm(Versioned, WhenMixin, ConfirmDateMixin):
    expected_discharge_date = forms.DateField(label="Nytt beräknat utskrivningsdatum", widget=DATE)
    reason = forms.CharField(
        label="Anledning till ändringen",
        required=False,
        max_length=limits.SHORT_TEXT_MAX,
        help_text="Krävs när datumet kom från journalen.",
    )
    field_order = ["expected_discharge_date", "confirm_date", "reason", "occurred_at"]


class CareContactForm(Versioned):
    name = forms.CharField(label="Fast vårdkontakt (namn, titel)", max_length=120)
    phone = PhoneField(
        label="Direktnummer till den fasta vårdkontakten",
        help_text="T.ex. 0455-73 10 00. Lämna tomt om vårdcentralens nummer gäller.",
    )


ADL_LEVELS = [("", "oförändrad")] + list(AdlStatus.LEVELS.items())


class AdlForm(Versioned, WhenMixin):
    """One level and note per ADL item; blank levels are left as they were."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, label in AdlStatus.ITEMS.items():
            self.fields[f"{key}_level"] = forms.ChoiceField(
                label=label, choices=ADL_LEVELS, required=False
            )
            self.fields[f"{key}_note"] = forms.CharField(
                label=f"{label}, anteckning", required=False, max_length=limits.ADL_NOTE_MAX
            )

    def service_kwargs(self):
        data = self.cleaned_data
        items = {
            k: {"level": data[f"{k}_level"], "note": data[f"{k}_note"]}
            for k in AdlStatus.ITEMS
            if data.get(f"{k}_level")
        }
        return {"version": data["version"], "occurred_at": data["occurred_at"], "items": items}


class TextForm(Versioned):
    text = forms.CharField(
        label="Text", max_length=limits.MESSAGE_MAX, widget=forms.Textarea(attrs={"rows": 3})
    )


class AnswerForm(TextForm):
    question = forms.UUIDField(widget=forms.HiddenInput)


class AnswerRequestForm(TextForm):
    care_request = forms.UUIDField(widget=forms.HiddenInput)


class ReadyForm(Versioned, WhenMixin):
    sip_needed = forms.TypedChoiceField(
        label="Behövs SIP (insatser från både region och kommun)?",
        choices=[("", "Välj"), ("1", "Ja"), ("0", "Nej")],
        coerce=lambda v: v == "1",
    )
    sip_consent = forms.TypedChoiceField(
        label="Samtycker patienten till SIP?",
        required=False,
        empty_value=None,
        choices=[("", "Ej aktuellt"), ("1", "Ja"), ("0", "Nej")],
        coerce=lambda v: v == "1",
    )


class LeaveForm(Versioned, WhenMixin):
    text = forms.CharField(
        label="Anteckning (t.ex. planerad återkomst)",
        required=False,
        max_length=limits.SHORT_TEXT_MAX,
    )


class LeaveEndForm(Versioned, WhenMixin):
    """Back from a permission: only when, if not now."""


class RetractForm(Versioned, WhenMixin):
    reason = forms.CharField(
        label="Varför är patienten inte längre utskrivningsklar?",
        required=False,
        help_text="Krävs när utskrivningsklar kom från journalen.",
        max_length=limits.SHORT_TEXT_MAX,
    )


class DischargeForm(Versioned, WhenMixin):
    destination = forms.ChoiceField(
        label="Skrivs ut till", choices=[("", "Välj")] + Case.Destination.choices
    )
    medication_list = forms.BooleanField(label=CHECKLIST["medication_list"], required=False)
    medicines_three_days = forms.BooleanField(
        label=CHECKLIST["medicines_three_days"], required=False
    )
    assistive_devices = forms.CharField(
        label=CHECKLIST["assistive_devices"], required=False, max_length=limits.CHECKLIST_TEXT_MAX
    )
    care_report = forms.CharField(
        label=CHECKLIST["care_report"],
        required=False,
        max_length=limits.CHECKLIST_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    transport = forms.CharField(
        label=CHECKLIST["transport"], required=False, max_length=limits.CHECKLIST_TEXT_MAX
    )

    def service_kwargs(self):
        data = self.cleaned_data
        return {
            "version": data["version"],
            "occurred_at": data["occurred_at"],
            "destination": data["destination"],
            "checklist": {k: data[k] for k in CHECKLIST},
        }


class InterruptForm(Confirmed, Versioned, WhenMixin):
    confirm_text = (
        "Jag förstår att processen avbryts: utan vald enhet avslutas ärendet för alla "
        "deltagare, med vald enhet tas den enheten bort ur ärendet. Det går inte att ångra."
    )

    unit = forms.ModelChoiceField(
        label="Gäller bara enheten (lämna tomt för hela ärendet)",
        required=False,
        queryset=Unit.objects.filter(active=True).exclude(kind="administration"),
    )
    reason = forms.ChoiceField(
        label="Orsak", choices=[("", "Välj")] + list(INTERRUPTION_REASONS.items())
    )
    text = forms.CharField(label="Kommentar", required=False, max_length=limits.SHORT_TEXT_MAX)


class AddUnitForm(Versioned):
    unit = forms.ModelChoiceField(
        label="Enhet",
        queryset=Unit.objects.filter(active=True)
        .exclude(kind="administration")
        .select_related("principal"),
    )


class CloseForm(Confirmed, Versioned):
    confirm_text = (
        "Jag förstår att ärendet avslutas för alla deltagare och inte kan öppnas igen; "
        "ett nytt vårdtillfälle blir ett nytt ärende."
    )


class ResendForm(Recipients, Versioned):
    """Skicka till rätt enhet: the rejected message, as it was, to another unit."""

    delivery = forms.UUIDField(widget=forms.HiddenInput)


class RejectForm(Confirmed):
    confirm_text = (
        "Jag förstår att meddelandet avvisas och att vår enhet lämnar ärendet och inte "
        "längre ser det; avsändaren får veta orsaken."
    )
    reason = forms.ChoiceField(label="Orsak", choices=Delivery.RejectReason.choices)


class ForwardForm(forms.Form):
    to = forms.ModelChoiceField(label="Till enhet", queryset=Unit.objects.none())

    def __init__(self, *args, actor=None, **kwargs):
        super().__init__(*args, **kwargs)
        if actor:
            self.fields["to"].queryset = Unit.objects.filter(
                principal=actor.unit.principal, active=True
            ).exclude(pk=actor.unit.pk)


def account(label: str, rows: int | None = None) -> forms.CharField:
    """An optional free text of at most ACCOUNT_MAX characters (a textarea given rows)."""
    widget = forms.Textarea(attrs={"rows": rows}) if rows else None
    return forms.CharField(
        label=label, required=False, max_length=limits.ACCOUNT_MAX, widget=widget
    )


class CareRequestForm(forms.Form):
    identity = forms.CharField(
        label="Personnummer, samordningsnummer eller reservnummer", max_length=20
    )
    given_name = forms.CharField(
        label="Förnamn (om personen är ny i systemet)", required=False, max_length=limits.NAME_MAX
    )
    family_name = forms.CharField(
        label="Efternamn (om personen är ny i systemet)", required=False, max_length=limits.NAME_MAX
    )
    hospital_unit = forms.ModelChoiceField(
        label="Till",
        queryset=Unit.objects.filter(
            kind__in=["emergency", "ward_somatic", "ward_psychiatric"], active=True
        ),
    )
    consent = forms.BooleanField(
        label="Patienten samtycker till att uppgifterna lämnas", required=False
    )
    health_status = account("Aktuellt hälsotillstånd", rows=3)
    adl = account("ADL-status", rows=2)
    medications = account("Läkemedelslista", rows=2)
    assistive_devices = account("Hjälpmedel")
    ongoing_support = account("Pågående insatser")
    contact = account("Kontaktuppgifter (namn, telefon)")

    CONTENT = (
        "health_status",
        "adl",
        "medications",
        "assistive_devices",
        "ongoing_support",
        "contact",
    )

    def service_kwargs(self):
        data = self.cleaned_data
        return {
            "identity": data["identity"],
            "hospital_unit": data["hospital_unit"],
            "consent": data["consent"],
            "given_name": data["given_name"],
            "family_name": data["family_name"],
            "data": {k: data[k] for k in self.CONTENT},
        }


class AttachmentForm(Versioned):
    file = forms.FileField(label="Fil (PDF, bild eller text, högst 10 MB)")
