"""The provider's login page: choose a demo person (and card), give the demo password."""

from django import forms
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpResponse

from .models import Identity


class IdentityLoginForm(AuthenticationForm):
    """Username is one of the provider's identities, chosen from a list."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(i.user.username, str(i)) for i in Identity.objects.select_related("user")]
        self.fields["username"] = forms.ChoiceField(label="Person och kort", choices=choices)
        self.fields["password"].label = "Lösenord (PIN)"

    error_messages = {
        "invalid_login": "Fel lösenord.",
        "inactive": "Kortet är spärrat.",
    }


class LoginView(auth_views.LoginView):
    form_class = IdentityLoginForm
    template_name = "idp/login.html"


def index(request):
    return HttpResponse("Lokal identitetsleverantör för Samverkans demo och tester.")
