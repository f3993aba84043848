"""Min plan's forms: sharing with a next of kin, staff's release or holding back of an item."""

from django import forms

from samverkan.lib.limits import NAME_MAX

from .models import RELATION_MAX
from .services import REASON_MAX


class ShareForm(forms.Form):
    identity = forms.CharField(label="Personnummer (ÅÅÅÅMMDD-NNNN)", max_length=13)
    name = forms.CharField(label="Namn", max_length=NAME_MAX)
    relation = forms.CharField(
        label="Relation till dig (t.ex. dotter, make)", max_length=RELATION_MAX
    )


class GuardianForm(ShareForm):
    relation = forms.CharField(label="Relation", max_length=RELATION_MAX, initial="Vårdnadshavare")


class DecisionForm(forms.Form):
    item = forms.CharField(max_length=80)
    decision = forms.ChoiceField(choices=[("release", "Släpp nu"), ("hold_back", "Håll inne")])
    reason = forms.CharField(
        label="Skäl (menprövning)", max_length=REASON_MAX, required=False, widget=forms.Textarea
    )
