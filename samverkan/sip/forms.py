"""SIP forms: they parse and shape input; the services validate the rules."""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS

from samverkan.core.confirm import Confirmed
from samverkan.directory.models import Principal, Unit
from samverkan.lib import limits
from samverkan.lib.weblinks import WebLinkField

from . import services
from .models import Consent, Sip, SipParticipant
from .services import PREVENTIVE_SIGNS

ACTION_ROWS = 6
DATE = forms.DateInput(attrs={"type": "date"})


class SipForm(forms.Form):
    """Service errors for fields the form lacks (e.g. `actions.0.participant`) show on top."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, sip: Sip | None = None, **kwargs):
        self.sip = sip
        super().__init__(*args, **kwargs)

    def add_error(self, field, error):
        if field is None and hasattr(error, "error_dict"):
            unknown = [
                k for k in error.error_dict if k != NON_FIELD_ERRORS and k not in self.fields
            ]
            for key in unknown:
                messages = error.error_dict.pop(key)
                error.error_dict.setdefault(NON_FIELD_ERRORS, []).extend(messages)
        super().add_error(field, error)

    def service_kwargs(self) -> dict:
        return dict(self.cleaned_data)

    def participants(self, **filters):
        return self.sip.participants.filter(active=True, **filters) if self.sip else []


class StartForm(SipForm):
    kind = forms.ChoiceField(label="Typ av SIP", choices=Sip.Kind.choices)
    target_group = forms.ChoiceField(label="Målgrupp", choices=Sip.TargetGroup.choices)
    need_seen_by = forms.CharField(
        label="Vem såg behovet", max_length=200, help_text="T.ex. distriktssköterska, mentor"
    )
    need = forms.CharField(
        label="Vad är behovet av samordning",
        max_length=limits.ACCOUNT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    preventive_signs = forms.MultipleChoiceField(
        label="Checklista för förebyggande SIP",
        choices=PREVENTIVE_SIGNS.items(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Tecken på att personen behöver samordnat stöd. Minst ett för förebyggande SIP.",
    )
    identity = forms.CharField(label="Personnummer eller samordningsnummer", max_length=20)
    given_name = forms.CharField(label="Förnamn", max_length=limits.NAME_MAX, required=False)
    family_name = forms.CharField(label="Efternamn", max_length=limits.NAME_MAX, required=False)

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.pop("version")
        if case is not None:  # the person comes from the case
            for name in ("identity", "given_name", "family_name"):
                self.fields.pop(name)
            self.fields["kind"].choices = [
                c for c in Sip.Kind.choices if c[0] != Sip.Kind.PREVENTIVE
            ]


class ConsentForm(SipForm):
    given_by = forms.ChoiceField(label="Samtycket lämnas av", choices=Consent.GivenBy.choices)
    guardian_name = forms.CharField(label="Vårdnadshavarens namn", max_length=200, required=False)
    principals = forms.ModelMultipleChoiceField(
        label="Huvudmän som får dela uppgifter",
        queryset=Principal.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    outside_parties = forms.MultipleChoiceField(
        label="Externa parter som får ta del",
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    valid_until = forms.DateField(label="Gäller till och med", widget=DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        names = sorted({p.organisation for p in self.participants(kind="outside")})
        self.fields["outside_parties"].choices = [(n, n) for n in names]
        if not names:
            self.fields.pop("outside_parties")


class RevokeForm(Confirmed, SipForm):
    confirm_text = (
        "Jag förstår att samtycket återkallas: inget mer delas med stöd av det, och enheter "
        "som bara deltog genom samtycket ser inte längre planen."
    )

    consent = forms.UUIDField(widget=forms.HiddenInput)

    def service_kwargs(self):
        found = services.consent_of(self.sip, self.cleaned_data["consent"])
        return {"consent": found, "version": self.cleaned_data["version"]}


class HarmForm(SipForm):
    principal = forms.ModelChoiceField(label="Huvudman", queryset=Principal.objects.all())
    may_share = forms.TypedChoiceField(
        label="Bedömning",
        choices=[("1", "Uppgifterna kan lämnas utan men"), ("0", "Uppgifterna lämnas inte")],
        coerce=lambda v: v == "1",
    )
    reason = forms.CharField(
        label="Skäl och lagrum",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=limits.MESSAGE_MAX,
    )


class ParticipantForm(SipForm):
    kind = forms.ChoiceField(
        label="Deltagare",
        choices=[c for c in SipParticipant.Kind.choices if c[0] != "person"],
    )
    unit = forms.ModelChoiceField(
        label="Enhet (region eller kommun)",
        queryset=Unit.objects.filter(active=True).select_related("principal").order_by("name"),
        required=False,
    )
    organisation = forms.CharField(
        label="Organisation (extern part)",
        max_length=120,
        required=False,
        help_text="T.ex. Nättrabyskolan, Försäkringskassan",
    )
    name = forms.CharField(label="Namn på kontaktperson", max_length=120, required=False)
    role = forms.CharField(label="Roll", max_length=120, required=False)
    email = forms.EmailField(label="E-post (för kallelse)", required=False)
    phone = forms.CharField(label="Telefon", max_length=40, required=False)


class RemoveParticipantForm(Confirmed, SipForm):
    confirm_text = "Jag förstår att deltagaren tas bort ur planen och inte längre ser den."

    participant = forms.UUIDField(widget=forms.HiddenInput)

    def service_kwargs(self):
        found = services.participant_of(self.sip, self.cleaned_data["participant"])
        return {"participant": found, "version": self.cleaned_data["version"]}


class MeetingForm(SipForm):
    starts_at = forms.DateTimeField(
        label="Tid", widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    minutes = forms.IntegerField(label="Längd (minuter)", initial=60, min_value=15, max_value=480)
    place = forms.CharField(label="Plats", max_length=200, required=False)
    link = WebLinkField(label="Länk till digitalt möte", required=False)
    note = forms.CharField(
        label="Meddelande i kallelsen",
        max_length=limits.MESSAGE_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )


class AttendanceForm(SipForm):
    meeting = forms.UUIDField(widget=forms.HiddenInput)
    attended = forms.MultipleChoiceField(
        label="Närvarande", widget=forms.CheckboxSelectMultiple, required=False
    )
    person_attended = forms.BooleanField(label="Personen själv deltog", required=False)

    def __init__(self, *args, meeting=None, **kwargs):
        super().__init__(*args, **kwargs)
        meeting = meeting or (
            self.sip.meetings.filter(public_id=self.data.get("meeting")).first()
            if self.sip and self.data.get("meeting")
            else None
        )
        self.meeting = meeting
        invited = meeting.invitations.select_related("participant__unit") if meeting else []
        self.fields["attended"].choices = [
            (str(i.participant.public_id), i.participant.label) for i in invited
        ]
        if meeting:
            self.initial["meeting"] = meeting.public_id

    def service_kwargs(self):
        if self.meeting is None:
            raise forms.ValidationError("Mötet finns inte.")
        data = self.cleaned_data
        return {
            "meeting": self.meeting,
            "attended": data["attended"],
            "person_attended": data["person_attended"],
            "version": data["version"],
        }


class PlanForm(SipForm):
    needs = forms.CharField(
        label="Behov", max_length=limits.ACCOUNT_MAX, widget=forms.Textarea(attrs={"rows": 3})
    )
    goals = forms.CharField(
        label="Vad är viktigt för dig? (personens mål med egna ord)",
        max_length=limits.ACCOUNT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    others = forms.CharField(
        label="Vad andra gör (skola, Försäkringskassan, närstående …)",
        max_length=limits.ACCOUNT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    lead_principal = forms.ModelChoiceField(
        label="Huvudman med övergripande ansvar", queryset=Principal.objects.all()
    )
    follow_up_date = forms.DateField(label="Datum för uppföljning", widget=DATE)
    note = forms.CharField(
        label="Vad ändrades (för versionshistoriken)", max_length=300, required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        owners = [("", "– välj ansvarig –")] + [
            (str(p.public_id), p.label) for p in self.participants()
        ]
        for i in range(ACTION_ROWS):
            self.fields[f"action_{i}_text"] = forms.CharField(
                label=f"Insats {i + 1}", max_length=300, required=False
            )
            self.fields[f"action_{i}_participant"] = forms.ChoiceField(
                label=f"Ansvarig organisation för insats {i + 1}", choices=owners, required=False
            )
            self.fields[f"action_{i}_person"] = forms.CharField(
                label=f"Ansvarig person för insats {i + 1}", max_length=120, required=False
            )

    def action_rows(self):
        return [
            [self[f"action_{i}_{part}"] for part in ("text", "participant", "person")]
            for i in range(ACTION_ROWS)
        ]

    @staticmethod
    def initial_from(plan) -> dict:
        if plan is None:
            return {}
        content = plan.content
        initial = {k: content.get(k) for k in ("needs", "goals", "others", "follow_up_date")}
        initial["lead_principal"] = content.get("lead_principal")
        for i, action in enumerate(content.get("actions", [])[:ACTION_ROWS]):
            initial[f"action_{i}_text"] = action["text"]
            initial[f"action_{i}_participant"] = action["participant"]
            initial[f"action_{i}_person"] = action["person"]
        return initial

    def service_kwargs(self):
        data = dict(self.cleaned_data)
        data["actions"] = [
            {
                "text": data.pop(f"action_{i}_text"),
                "participant": data.pop(f"action_{i}_participant"),
                "person": data.pop(f"action_{i}_person"),
            }
            for i in range(ACTION_ROWS)
        ]
        return data


class AckForm(SipForm):
    number = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def service_kwargs(self):
        return {"number": self.cleaned_data["number"]}


class FollowUpForm(SipForm):
    held_on = forms.DateField(label="Uppföljningen hölls", widget=DATE)
    notes = forms.CharField(
        label="Vad kom uppföljningen fram till",
        max_length=limits.ACCOUNT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    next_follow_up_date = forms.DateField(
        label="Nästa uppföljning",
        widget=DATE,
        required=False,
        help_text="Lämna tomt om planen ska avslutas.",
    )


class CloseForm(Confirmed, SipForm):
    confirm_text = "Jag förstår att planen avslutas och inte kan ändras efteråt."

    reason = forms.CharField(label="Varför avslutas planen", max_length=200)
