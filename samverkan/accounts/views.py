"""Login (identity provider or password), step-up and logout; every attempt is audited and
repeated password failures lock the account a while."""

import time
from dataclasses import asdict

from django import forms
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods

from samverkan.audit.log import record
from samverkan.directory.middleware import client_ip

from . import oidc
from .emergency import REASONS, is_emergency, password_refusal
from .lockout import is_locked
from .providers import client, configured
from .sessions import AUTH_AT, ended_message, login_info

REFUSED = "oidc_refused"  # a refused login's ID token, to end the provider's session with


class LoginForm(AuthenticationForm):
    otp = forms.CharField(
        label="Engångskod (endast reservkonto)",
        required=False,
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )
    error_messages = {
        "invalid_login": "Fel användarnamn eller lösenord.",
        "inactive": "Kontot är avstängt. Kontakta din enhetsadministratör.",
        "locked": "För många misslyckade inloggningar. Kontot är spärrat i %(minutes)s minuter; "
        "kontakta din enhetsadministratör om du inte kommer in.",
        **REASONS,
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
            cleaned = super().clean()
        except forms.ValidationError:
            record(None, "login.failed", ip=ip, detail={"username": username})
            raise
        self._policy(self.get_user(), ip)
        return cleaned

    def _policy(self, user, ip: str) -> None:
        reason = password_refusal(user, self.cleaned_data.get("otp", ""))
        if reason:  # a wrong code counts towards the lock-out like a wrong password
            action = "login.failed" if reason == "otp" else "login.refused"
            record(None, action, user=user, ip=ip, detail={"reason": reason})
            raise forms.ValidationError(self.error_messages[reason], code=reason)


def _safe_next(request, default: str = "") -> str:
    target = request.GET.get("next") or request.POST.get("next") or ""
    ok = url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure())
    return target if ok else default or reverse(settings.LOGIN_REDIRECT_URL)


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            providers=configured(),
            password_login=settings.PASSWORD_LOGIN,
            ended=ended_message(self.request),
            **kwargs,
        )

    def form_valid(self, form):
        response = super().form_valid(form)
        user = form.get_user()
        info = {"method": "password", "emergency": is_emergency(user)}
        self.request.session["login"] = info
        record(None, "login.success", user=user, ip=client_ip(self.request), detail=info)
        return response


class LogoutView(auth_views.LogoutView):
    """Ends the local session, then the identity provider's (RP-initiated logout)."""

    def post(self, request, *args, **kwargs):
        info = login_info(request) or request.session.get(REFUSED) or {}
        if request.user.is_authenticated:
            record(None, "logout", user=request.user, ip=client_ip(request))
        response = super().post(request, *args, **kwargs)
        if "id_token" not in info:
            return response
        _, app = client(info["provider"])
        back = request.build_absolute_uri(reverse("login"))
        url = app.create_logout_url(post_logout_redirect_uri=back, id_token_hint=info["id_token"])
        return HttpResponseRedirect(url["url"])


def _to_provider(request, name, target, step_up=False):
    try:
        return oidc.start(request, name, target, step_up=step_up)
    except oidc.Refused as refused:
        return _refused(request, refused)


@require_GET
def oidc_login(request, name):
    return _to_provider(request, name, _safe_next(request))


def _refused(request, refused, identity=None, template="accounts/refused.html", **context):
    """The Swedish page; the provider's session can still be ended from it (a shared PC)."""
    oidc.refuse(request, refused, identity)
    if identity is not None and not request.user.is_authenticated:
        request.session[REFUSED] = {"provider": identity.provider, "id_token": identity.id_token}
    context.update(identity=identity, message=oidc.REFUSALS.get(refused.reason))
    context["idp_logout"] = REFUSED in request.session
    return render(request, template, context, status=403)


@require_GET
def oidc_callback(request, name):
    try:
        identity = oidc.receive(request, name)
    except oidc.Refused as refused:
        return _refused(request, refused)
    pending = request.session.get(oidc.PENDING) or {}
    try:
        if pending.get("step_up"):
            oidc.step_up(request, identity)
            return redirect(request.session.pop(oidc.PENDING)["next"])
        user = oidc.person(identity)
    except oidc.Refused as refused:
        return _refused(request, refused, identity)
    return _assignments(request, user, identity, pending)


def _assignments(request, user, identity, pending):
    """None matching: whom to ask. One: logged in. Several: the person chooses."""
    choices = oidc.matches(user, identity)
    if not choices:
        units = oidc.whom_to_ask(identity)
        refused, template = oidc.Refused("no_membership"), "accounts/no_membership.html"
        return _refused(request, refused, identity, template, units=units)
    if len(choices) == 1:
        oidc.complete(request, user, identity, choices[0], choices)
        return redirect(request.session.pop(oidc.PENDING)["next"])
    request.session[oidc.PENDING] = {
        **pending,
        "user": user.pk,
        "identity": asdict(identity),
        "choices": choices,
    }
    return redirect("choose_assignment")


@require_http_methods(["GET", "POST"])
def choose_assignment(request):
    pending = request.session.get(oidc.PENDING) or {}
    if "choices" not in pending:
        return redirect("login")
    choices = pending["choices"]
    if request.method == "POST":
        choice = next((c for c in choices if c["membership"] == request.POST.get("uppdrag")), None)
        if choice:
            from django.contrib.auth.models import User

            user = User.objects.get(pk=pending["user"])
            oidc.complete(request, user, oidc.Identity(**pending["identity"]), choice, choices)
            return redirect(request.session.pop(oidc.PENDING)["next"])
    context = {"choices": choices, "error": request.method == "POST"}
    return render(request, "accounts/choose.html", context, status=400 if context["error"] else 200)


class StepUpForm(forms.Form):
    password = forms.CharField(label="Lösenord", widget=forms.PasswordInput, max_length=128)
    otp = LoginForm.base_fields["otp"]


@login_required
@require_http_methods(["GET", "POST"])
def step_up(request):
    """A fresh authentication before a sensitive act: at the provider, or the password again."""
    info, target = login_info(request), _safe_next(request)
    if info.get("method") == "oidc":
        return _to_provider(request, info["provider"], target, step_up=True)
    form = StepUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and _password_again(request, form):
        request.session[AUTH_AT] = int(time.time())
        record(request.actor, "login.step_up", detail={"method": "password"})
        return redirect(target)
    return render(request, "accounts/step_up.html", {"form": form, "next": target})


def _password_again(request, form) -> bool:
    user, data = request.user, form.cleaned_data
    ok = user.check_password(data["password"]) and not password_refusal(user, data["otp"])
    if not ok:
        record(None, "login.failed", user=user, ip=client_ip(request), detail={"step_up": True})
        form.add_error(None, "Fel lösenord eller engångskod.")
    return ok
