"""The provider's login page: choose a demo person (and card), give the demo password."""

from urllib.parse import parse_qs, urlparse

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


EID_SCOPE = "https://id.oidc.se/scope/naturalPersonNumber"


class LoginView(auth_views.LoginView):
    form_class = IdentityLoginForm
    template_name = "idp/login.html"

    def get_context_data(self, **kwargs):
        """An e-ID login (Min plan asks for the personnummer scope) is titled as one."""
        target = self.request.POST.get("next") or self.request.GET.get("next", "")
        scope = parse_qs(urlparse(target).query).get("scope", [""])[0]
        return super().get_context_data(eid=EID_SCOPE in scope.split(), **kwargs)


def index(request):
    return HttpResponse("Lokal identitetsleverantör för Samverkans demo och tester.")
