"""Forms for persons: they coerce types; the services hold the rules."""

from django import forms

from samverkan.directory.models import Principal, Unit

from .models import NextOfKin, Patient
from .services import PERSON_FIELDS


class LookupForm(forms.Form):
    identity = forms.CharField(
        label="Personnummer, samordningsnummer eller reservnummer",
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autofocus": True, "placeholder": "ÅÅÅÅMMDD-NNNN"}
        ),
    )


class PersonForm(forms.ModelForm):
    class Meta:
        model = Patient
        fields = PERSON_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["registered_municipality"].queryset = Principal.objects.filter(
            kind=Principal.Kind.MUNICIPALITY
        )
        self.fields["listed_primary_care"].queryset = Unit.objects.filter(
            kind=Unit.Kind.PRIMARY_CARE, active=True
        )


class RegisterForm(PersonForm):
    identity = forms.CharField(label="Identitetsnummer", max_length=20)
    field_order = ["identity", *PERSON_FIELDS]


class EditForm(PersonForm):
    version = forms.IntegerField(widget=forms.HiddenInput)


class NextOfKinForm(forms.ModelForm):
    class Meta:
        model = NextOfKin
        fields = ("name", "relation", "phone", "note")
