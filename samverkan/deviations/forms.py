"""Forms for reporting and handling deviations; the services hold the rules."""

from django import forms
from django.utils import timezone

from samverkan.directory.models import Principal, Unit
from samverkan.lib import limits

from .models import Category

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def categories():
    return (
        Category.objects.filter(active=True)
        .select_related("parent")
        .order_by("parent__position", "position", "name")
    )


class Versioned(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class ReportForm(forms.Form):
    to_principal = forms.ModelChoiceField(
        label="Till huvudman", queryset=Principal.objects.none(), empty_label="Välj"
    )
    category = forms.ModelChoiceField(label="Kategori", queryset=Category.objects.none())
    occurred_at = forms.DateTimeField(label="När hände det?", widget=DATETIME)
    description = forms.CharField(
        label="Vad hände?",
        max_length=limits.ACCOUNT_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Beskriv händelsen utan fler personuppgifter än som behövs.",
    )
    suggested_action = forms.CharField(
        label="Förslag till åtgärd",
        required=False,
        max_length=limits.ACCOUNT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    case = forms.UUIDField(
        required=False,
        widget=forms.HiddenInput,
        error_messages={"invalid": "Länken till ärendet är ogiltig."},
    )
    sip = forms.UUIDField(
        required=False,
        widget=forms.HiddenInput,
        error_messages={"invalid": "Länken till planen är ogiltig."},
    )
    include_patient = forms.BooleanField(
        label="Ange personen (syns bara för enheter som har tillgång till ärendet eller planen)",
        required=False,
        initial=True,
    )

    def __init__(self, *args, actor=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = categories()
        if actor:
            self.fields["to_principal"].queryset = Principal.objects.exclude(
                pk=actor.unit.principal_id
            ).exclude(deviation_unit=None)


class AssignForm(Versioned):
    unit = forms.ModelChoiceField(label="Ansvarig enhet", queryset=Unit.objects.none())

    def __init__(self, *args, deviation=None, **kwargs):
        super().__init__(*args, **kwargs)
        if deviation:
            self.fields["unit"].queryset = Unit.objects.filter(
                principal=deviation.to_principal_id, active=True
            )


class CategoryForm(Versioned):
    category = forms.ModelChoiceField(label="Ny kategori", queryset=Category.objects.none())

    def __init__(self, *args, **kwargs):
        kwargs.pop("deviation", None)
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = categories()


class ReturnForm(Versioned):
    reason = forms.CharField(label="Varför är avvikelsen felskickad?", max_length=300)


class FeedbackForm(Versioned):
    analysis = forms.CharField(
        label="Analys", max_length=limits.ACCOUNT_MAX, widget=forms.Textarea(attrs={"rows": 4})
    )
    actions = forms.CharField(
        label="Åtgärder", max_length=limits.ACCOUNT_MAX, widget=forms.Textarea(attrs={"rows": 4})
    )


class MoreForm(Versioned):
    text = forms.CharField(
        label="Vad vill ni veta mer om?",
        max_length=limits.MESSAGE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ListFilterForm(forms.Form):
    view = forms.ChoiceField(
        label="Visa",
        required=False,
        choices=[
            ("", "Alla som rör enheten"),
            ("sent", "Rapporterade av oss"),
            ("coordinate", "Att samordna (mottagna av huvudmannen)"),
            ("responsible", "Där vi är ansvarig enhet"),
        ],
    )
    state = forms.ChoiceField(label="Status", required=False)
    year = forms.TypedChoiceField(label="År", required=False, coerce=int, empty_value=None)

    def __init__(self, *args, **kwargs):
        from .models import Deviation

        super().__init__(*args, **kwargs)
        self.fields["state"].choices = [("", "Alla")] + Deviation.State.choices
        this_year = timezone.localdate().year
        self.fields["year"].choices = [("", "Alla")] + [
            (y, y) for y in range(this_year, this_year - 10, -1)
        ]
