"""Forms for members and unit contact details."""

from django import forms

from .models import Unit
from .roles import GRANTABLE_BY_UNIT_ADMIN
from .services import CONTACT_FIELDS

ROLE_CHOICES = [(r.value, r.label) for r in GRANTABLE_BY_UNIT_ADMIN]


class AddMemberForm(forms.Form):
    username = forms.CharField(label="Användarnamn", max_length=150)
    role = forms.ChoiceField(label="Roll", choices=ROLE_CHOICES)
    first_name = forms.CharField(label="Förnamn (nytt konto)", required=False, max_length=150)
    last_name = forms.CharField(label="Efternamn (nytt konto)", required=False, max_length=150)
    email = forms.EmailField(label="E-post (nytt konto)", required=False)
    password = forms.CharField(
        label="Första lösenord (nytt konto)",
        required=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )


class RoleForm(forms.Form):
    role = forms.ChoiceField(label="Roll", choices=ROLE_CHOICES)


class UnitContactForm(forms.ModelForm):
    class Meta:
        model = Unit
        fields = CONTACT_FIELDS


class SwitchUnitForm(forms.Form):
    membership = forms.UUIDField()
