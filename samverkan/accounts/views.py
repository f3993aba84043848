"""Login and logout; every attempt is audited and repeated failures lock the account a while."""

from django import forms
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm

from samverkan.audit.log import record
from samverkan.directory.middleware import client_ip

from .lockout import is_locked


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "Fel användarnamn eller lösenord.",
        "inactive": "Kontot är avstängt. Kontakta din enhetsadministratör.",
        "locked": "För många misslyckade inloggningar. Kontot är spärrat i %(minutes)s minuter; "
        "kontakta din enhetsadministratör om du inte kommer in.",
    }

    def clean(self):
        username = self.cleaned_data.get("username", "")
        ip = client_ip(self.request) if self.request else ""
        if username and is_locked(username):
            record(None, "login.locked", ip=ip, detail={"username": username})
            raise forms.ValidationError(
                self.error_messages["locked"],
                code="locked",
                params={"minutes": settings.LOCKOUT_MINUTES},
            )
        try:
            return super().clean()
        except forms.ValidationError:
            record(None, "login.failed", ip=ip, detail={"username": username})
            raise


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        record(None, "login.success", user=form.get_user(), ip=client_ip(self.request))
        return response


class LogoutView(auth_views.LogoutView):
    def post(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            record(None, "logout", user=request.user, ip=client_ip(request))
        return super().post(request, *args, **kwargs)
