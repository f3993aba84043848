"""Forms of the forum pages; every input bounded, the services hold the rules."""

from django import forms
from django.utils import timezone

from samverkan.core.confirm import Confirmed
from samverkan.directory.models import Principal
from samverkan.lib import limits
from samverkan.lib.weblinks import WebLinkField

from .figures import SOURCES
from .models import (
    ITEM_KINDS,
    Attendance,
    Decision,
    Forum,
    GroupMember,
    Member,
    Referral,
    WorkingGroup,
)

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MAX_PLANNED = 24  # meetings in one year plan


def _text(label, max_length, rows=3, required=False, **kw):
    widget = forms.Textarea(attrs={"rows": rows}) if rows else forms.TextInput()
    return forms.CharField(
        label=label, max_length=max_length, required=required, widget=widget, **kw
    )


def principals():
    return forms.ModelChoiceField(
        label="Organisation", queryset=Principal.objects.all(), required=False, empty_label="Välj"
    )


class Blank(forms.Form):
    """A one-button action."""

    def __init__(self, *args, meeting=None, **kwargs):
        super().__init__(*args, **kwargs)


class MeetingForm(Blank):
    starts_at = forms.DateTimeField(label="Börjar", widget=DATETIME)
    ends_at = forms.DateTimeField(label="Slutar", widget=DATETIME)
    place = _text("Plats", limits.LINE_MAX, rows=0)
    web_link = WebLinkField(label="Länk till digitalt möte", max_length=500, required=False)


class YearPlanForm(forms.Form):
    dates = forms.CharField(
        label="Datum",
        max_length=MAX_PLANNED * 11,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Ett datum per rad (ÅÅÅÅ-MM-DD), högst 24.",
    )
    start = forms.TimeField(label="Börjar kl.", widget=forms.TimeInput(attrs={"type": "time"}))
    end = forms.TimeField(label="Slutar kl.", widget=forms.TimeInput(attrs={"type": "time"}))
    place = _text("Plats", limits.LINE_MAX, rows=0)
    web_link = WebLinkField(label="Länk till digitalt möte", max_length=500, required=False)

    def clean_dates(self):
        field = forms.DateField()
        lines = [line.strip() for line in self.cleaned_data["dates"].splitlines() if line.strip()]
        if len(lines) > MAX_PLANNED:
            raise forms.ValidationError("Högst 24 möten i en årsplan.", code="too_many")
        try:
            return sorted({field.clean(line) for line in lines})
        except forms.ValidationError:
            raise forms.ValidationError(
                "Ange datum som ÅÅÅÅ-MM-DD, ett per rad.", code="date"
            ) from None


class KindsField(forms.MultipleChoiceField):
    """B, I and/or D, stored as one string."""

    def __init__(self, **kwargs):
        choices = [(k, f"({k}) {v}") for k, v in ITEM_KINDS.items()]
        super().__init__(
            label="Typ", choices=choices, widget=forms.CheckboxSelectMultiple, **kwargs
        )

    def clean(self, value):
        return "".join(super().clean(value))


class ItemForm(Blank):
    title = _text("Rubrik", 200, rows=0, required=True)
    kinds = KindsField()
    presenter_name = _text("Föredragande", 120, rows=0)
    presenter_principal = principals()
    description = _text("Underlag", limits.ACCOUNT_MAX)
    secret = forms.BooleanField(
        label="Sekretess (hålls utanför det publicerade protokollet)", required=False
    )


class NotesForm(Blank):
    notes = _text("Anteckningar i protokollet", 10_000, rows=5)
    secret = forms.BooleanField(label="Sekretess", required=False)


class MonthField(forms.DateField):
    input_formats = ["%Y-%m"]
    widget = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")


class DecisionForm(Blank):
    CREATES = [
        ("", "Inget mer"),
        ("assignment", "Ett uppdrag"),
        ("group", "En arbetsgrupp"),
        ("referral", "En remiss till ett annat forum"),
    ]
    text = _text("Beslut", 1000, rows=2, required=True, help_text="Skrivs som ”att …”.")
    creates = forms.ChoiceField(label="Beslutet ger", choices=CREATES, required=False)
    owner = forms.ModelChoiceField(
        label="Uppdraget till (ledamot)", queryset=Member.objects.none(), required=False
    )
    owner_name = _text("… eller namn", 120, rows=0)
    principal = principals()
    task = _text("Uppdraget", 500, rows=0, help_text="Tomt: beslutets text.")
    due_date = forms.DateField(label="Klart senast", widget=DATE, required=False)
    due_month = MonthField(label="… eller under månad", required=False)
    group_name = _text("Arbetsgruppens namn", 120, rows=0)
    mandate = _text("Arbetsgruppens uppdrag", limits.ACCOUNT_MAX)
    convenor = forms.ModelChoiceField(
        label="Sammankallande", queryset=Member.objects.none(), required=False
    )
    to_forum = forms.ModelChoiceField(
        label="Remiss till forum", queryset=Forum.objects.none(), required=False
    )
    question = _text("Frågan", 1000, rows=2)

    def __init__(self, *args, meeting=None, **kwargs):
        super().__init__(*args, **kwargs)
        if meeting is not None:
            members = _forum_members(meeting.forum)
            self.fields["owner"].queryset = self.fields["convenor"].queryset = members
            self.fields["to_forum"].queryset = Forum.objects.exclude(pk=meeting.forum_id)


class DocumentForm(Blank):
    upload = forms.FileField(label="Handling (PDF, PNG, JPEG eller text, högst 10 MB)")


class AttendanceForm(Blank):
    substitute_name = _text("Ersättare (namn)", 120, rows=0)
    substitute_principal = principals()

    def __init__(self, *args, meeting=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.members = list(meeting.forum.members.filter(active=True).select_related("user"))
        given = {a.member_id: a.status for a in meeting.attendance.all()}
        choices = [("", "–"), *Attendance.Status.choices[:2]]
        for m in self.members:
            self.fields[f"m{m.pk}"] = forms.ChoiceField(
                label=str(m), choices=choices, required=False, initial=given.get(m.pk, "")
            )

    def clean(self):
        data = super().clean()
        if data.get("substitute_name") and not data.get("substitute_principal"):
            self.add_error("substitute_principal", "Ange ersättarens organisation.")
        statuses = {m: data[f"m{m.pk}"] for m in self.members if data.get(f"m{m.pk}")}
        name, principal = data.get("substitute_name"), data.get("substitute_principal")
        return {"statuses": statuses, "substitutes": [(name, principal)] if name else []}


class AdjustingForm(Blank):
    adjusters = forms.ModelMultipleChoiceField(
        label="Justerare",
        queryset=Member.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    adjust_by = forms.DateField(
        label="Justeras senast", widget=DATE, required=False, help_text="Tomt: forumets dagar."
    )
    at_next = forms.BooleanField(label="Justeras vid nästa möte", required=False)

    def __init__(self, *args, meeting=None, **kwargs):
        super().__init__(*args, **kwargs)
        if meeting is not None:
            self.fields["adjusters"].queryset = meeting.forum.members.filter(active=True)


class AnswerForm(Blank):
    referral = forms.ModelChoiceField(label="Remiss", queryset=Referral.objects.none())
    answer = _text("Svar", limits.ACCOUNT_MAX, required=True)

    def __init__(self, *args, meeting=None, **kwargs):
        super().__init__(*args, **kwargs)
        if meeting is not None:
            open_ = meeting.forum.referrals_received.filter(answered_at__isnull=True)
            self.fields["referral"].queryset = open_.select_related("from_forum")


class FiguresForm(Blank):
    source = forms.ChoiceField(label="Tabell", choices=list(SOURCES.items()))
    year = forms.IntegerField(label="År", min_value=2018, max_value=2100)
    month = MonthField(
        label="Månad (betalningsansvar)", required=False, help_text="Tomt: innevarande månad."
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year


class CompleteForm(forms.Form):
    note = _text("Återkoppling", 1000, rows=2)


class SearchForm(forms.Form):
    q = forms.CharField(label="Sök", max_length=limits.LINE_MAX, min_length=2)


class WithdrawForm(Confirmed, Blank):
    """Stryk beslutet: one of the item's decisions, after the confirmation."""

    confirm_text = (
        "Jag förstår att beslutet och det det skapade (uppdrag, arbetsgrupp, remiss) stryks."
    )
    decision = forms.ModelChoiceField(
        queryset=Decision.objects.none(), widget=forms.HiddenInput, label="Beslut"
    )

    def __init__(self, *args, meeting=None, item=None, **kwargs):
        super().__init__(*args, **kwargs)
        if item is not None:
            self.fields["decision"].queryset = item.decisions.all()

    def clean(self):
        data = super().clean()
        data.pop("confirm", None)
        return data


class ForGroup(forms.Form):
    """A form of one working group: `for_group` narrows its choices to the group's forum."""

    def __init__(self, *args, group=None, **kwargs):
        super().__init__(*args, **kwargs)
        if group is not None:
            self.for_group(group)

    def for_group(self, group) -> None:
        self.fields["member"].queryset = _forum_members(group.forum)


def _member(label):
    return forms.ModelChoiceField(label=label, queryset=Member.objects.none(), required=False)


class GroupForm(ForGroup):
    """The secretary's change of a working group."""

    mandate = _text("Uppdrag", limits.ACCOUNT_MAX, rows=4)
    status = forms.ChoiceField(label="Status", choices=WorkingGroup.Status.choices)
    convenor = _member("Sammankallande (ledamot)")
    convenor_name = _text("… eller namn", 120, rows=0)
    principal = principals()

    def for_group(self, group) -> None:
        self.fields["convenor"].queryset = _forum_members(group.forum)


class GroupMemberForm(ForGroup):
    member = _member("Ledamot i forumet")
    name = _text("… eller namn", 120, rows=0)
    principal = principals()


class GroupRemoveForm(ForGroup):
    person = forms.ModelChoiceField(
        queryset=GroupMember.objects.none(), widget=forms.HiddenInput, label="Person"
    )

    def for_group(self, group) -> None:
        self.fields["person"].queryset = group.members.all()


def _forum_members(forum):
    return forum.members.filter(active=True).select_related("user", "principal")
