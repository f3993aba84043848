"""Forms of the follow-up call, the trust survey and the SIP experience; bounded as the API is."""

from django import forms
from django.utils import timezone

from .models import Agreement, Answerer, CallAttempt, KnowsContact
from .rules import CONTACT_QUESTION, CTM_ITEMS

TEXT_MAX = 500
RADIO = forms.RadioSelect


def _agreement(label: str, required: bool = False) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label, choices=Agreement.choices, coerce=int, widget=RADIO, required=required
    )


class CallForm(forms.Form):
    """One attempt; when reached, the script's answers."""

    outcome = forms.ChoiceField(label="Utfall", choices=CallAttempt.Outcome.choices, widget=RADIO)
    answered_by = forms.ChoiceField(
        label="Vem svarade", choices=Answerer.choices, widget=RADIO, required=False
    )
    knows_contact = forms.ChoiceField(
        label=CONTACT_QUESTION, choices=KnowsContact.choices, widget=RADIO, required=False
    )
    comment = forms.CharField(
        label="Kommentar", max_length=TEXT_MAX, required=False, widget=forms.Textarea({"rows": 3})
    )
    needs_action = forms.BooleanField(label="Svaret behöver åtgärdas", required=False)
    action_text = forms.CharField(
        label="Vad behöver göras",
        max_length=TEXT_MAX,
        required=False,
        widget=forms.Textarea({"rows": 2}),
        help_text="Skickas som notis till den valda enheten; kommer inte med i statistiken.",
    )
    action_unit = forms.ChoiceField(label="Enhet som ska åtgärda", required=False)
    REACHED_REQUIRED = ["answered_by", "knows_contact", *(name for name, _ in CTM_ITEMS)]

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        for name, text in CTM_ITEMS:
            self.fields[name] = _agreement(text)
        self.units = {str(u.pk): u for u in units}
        self.fields["action_unit"].choices = [(k, u.name) for k, u in self.units.items()]
        self.order_fields(["outcome", "answered_by", *(n for n, _ in CTM_ITEMS)])

    def clean(self):
        data = super().clean()
        if data.get("outcome") == CallAttempt.Outcome.REACHED:
            for name in self.REACHED_REQUIRED:
                if data.get(name) in (None, ""):
                    self.add_error(name, "Fyll i svaret när personen nåtts.")
        data["action_unit"] = self.units.get(data.get("action_unit") or "")
        return data

    def answers(self) -> dict | None:
        data = self.cleaned_data
        if data["outcome"] != CallAttempt.Outcome.REACHED:
            return None
        return {k: v for k, v in data.items() if k != "outcome"}


class TrustForm(forms.Form):
    """One score 1–5 per other organisation, or "kan inte bedöma"."""

    SCALE = [("", "Kan inte bedöma")] + [(str(i), str(i)) for i in range(1, 6)]

    def __init__(self, *args, principals=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.principals = list(principals)
        for p in self.principals:
            self.fields[f"p{p.pk}"] = forms.TypedChoiceField(
                label=f"Mitt förtroende för samarbetet med {p.name}",
                choices=self.SCALE,
                coerce=int,
                empty_value=None,
                required=False,
                widget=RADIO,
            )

    def scores(self) -> dict:
        found = ((p, self.cleaned_data.get(f"p{p.pk}")) for p in self.principals)
        return {p: s for p, s in found if s is not None}


class SipExperienceForm(forms.Form):
    """After a held SIP meeting: three statements, who answered."""

    meeting = forms.ChoiceField(label="SIP-möte")
    answered_by = forms.ChoiceField(label="Vem svarade", choices=Answerer.choices[:2], widget=RADIO)
    took_part = _agreement("Jag fick vara med och påverka min plan.", required=True)
    what_matters = _agreement("Det som är viktigt för mig finns med i planen.", required=True)
    knows_next = _agreement("Jag vet vad som ska hända härnäst och vem som gör vad.", required=True)

    def __init__(self, *args, meetings=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.meetings = {str(m.public_id): m for m in meetings}
        self.fields["meeting"].choices = [
            (k, f"{timezone.localtime(m.starts_at):%Y-%m-%d %H:%M}")
            for k, m in self.meetings.items()
        ]

    def values(self) -> dict:
        data = dict(self.cleaned_data)
        data["meeting"] = self.meetings[data["meeting"]]
        return data
