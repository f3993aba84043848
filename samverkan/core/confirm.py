"""Confirmation before an irreversible step: a "Jag förstår att …" checkbox that the server
requires, so a POST without it changes nothing and shows the confirmation again. Used by every
form of such a step (interrupt, close, reject, remove a participant, revoke consent)."""

from django import forms
from django.core.exceptions import ValidationError

MESSAGE = "Bekräfta att du förstår vad som händer: bocka i rutan och skicka igen."


class Confirmed(forms.Form):
    """Mix in first; `confirm_text` says, in Swedish, what will happen."""

    confirm_text = "Jag förstår att steget inte går att ångra."
    confirm = forms.BooleanField(required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["confirm"].label = self.confirm_text
        self.fields["confirm"].widget.attrs["class"] = "confirm-box"
        self.order_fields([n for n in self.fields if n != "confirm"] + ["confirm"])

    def clean(self):
        data = super().clean()
        if not data.get("confirm"):
            raise ValidationError(MESSAGE, code="confirm")
        return data
