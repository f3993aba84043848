"""Session limits: one shift from the login, an idle timeout, and step-up before sensitive acts.

Every login (password, identity provider, a test's force_login) passes Django's login(), whose
signal stamps the session with its time; the middleware below reads that stamp.
"""

import dataclasses
import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode

from samverkan.audit.log import record
from samverkan.directory.actor import StepUpRequired
from samverkan.directory.middleware import LOGIN_KEY as LOGIN
from samverkan.directory.middleware import client_ip

AUTH_AT = "auth_at"  # when the person last authenticated (login or step-up), epoch seconds
SEEN_AT = "seen_at"  # the session's last request
ENDED = "session_ended"  # why the last session ended (shift, idle)
PROMPT_LOGIN = "prompt_login"  # the next identity-provider login must authenticate anew


@receiver(user_logged_in)
def stamp_login(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session[AUTH_AT] = request.session[SEEN_AT] = int(time.time())


def login_info(request) -> dict:
    return request.session.get(LOGIN) or {}


def is_fresh(request) -> bool:
    return time.time() - request.session.get(AUTH_AT, 0) <= settings.STEP_UP_SECONDS


def expiry(session, now: float) -> str | None:
    """Why the session is over ("shift" or "idle"), or None."""
    if now - session.get(AUTH_AT, 0) > settings.SESSION_SHIFT_SECONDS:
        return "shift"
    if now - session.get(SEEN_AT, 0) > settings.SESSION_IDLE_SECONDS:
        return "idle"
    return None


EXPIRED = {
    "shift": "Arbetspasset är slut: du har varit inloggad för länge. Logga in igen.",
    "idle": "Du loggades ut efter en stund utan aktivitet. Logga in igen.",
}


class SessionLimitsMiddleware:
    """Ends a session after the shift or when idle (audited), so a shared ward PC is safe."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = time.time()
            reason = expiry(request.session, now)
            if reason:
                return self._end(request, reason)
            if (
                now - request.session.get(SEEN_AT, 0) > 30
            ):  # write the session at most twice a minute
                request.session[SEEN_AT] = int(now)
        return self.get_response(request)

    def _end(self, request, reason):
        record(None, "logout", user=request.user, ip=client_ip(request), detail={"reason": reason})
        was_oidc = login_info(request).get("method") == "oidc"
        logout(request)
        request.session[ENDED] = reason  # said on the login page
        if was_oidc:  # the next login at the provider asks for the card, not its session
            request.session[PROMPT_LOGIN] = True
        if request.path.startswith("/api/"):
            return self.get_response(request)
        return redirect(f"{reverse('login')}?{urlencode({'next': request.get_full_path()})}")


def ended_message(request) -> str:
    return EXPIRED.get(request.session.pop(ENDED, ""), "")


def step_up_key(match) -> str:
    action = match.kwargs.get("action")
    return f"{match.url_name}:{action}" if action else match.url_name


class StepUpMiddleware:
    """The views named in STEP_UP_VIEWS need a fresh login; otherwise to the step-up page. A
    view of one object (a `public_id`) steps up only after its access chokepoint found it, so
    an outsider gets 404 first (core.access.fetch, Actor.require_fresh)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view, args, kwargs):
        match = request.resolver_match
        if not request.user.is_authenticated or match is None:
            return None
        if step_up_key(match) not in settings.STEP_UP_VIEWS or is_fresh(request):
            return None
        actor = getattr(request, "actor", None)
        if "public_id" in kwargs and actor is not None:
            request.actor = dataclasses.replace(actor, step_up=True)
            return None
        return step_up(request)

    def process_exception(self, request, exception):
        return step_up(request) if isinstance(exception, StepUpRequired) else None


def step_up(request):
    """To the step-up page, and back here afterwards."""
    messages.info(request, "Bekräfta din inloggning innan du fortsätter.")
    target = reverse("step_up") + "?" + urlencode({"next": return_to(request)})
    if request.headers.get("HX-Request"):
        response = HttpResponseRedirect(target)
        response["HX-Redirect"] = target
        return response
    return redirect(target)


def return_to(request) -> str:
    """Where to come back after the step-up: the page itself (GET) or the page posted from."""
    if request.method == "GET":
        return request.get_full_path()
    referer = request.headers.get("Referer", "")
    if url_has_allowed_host_and_scheme(referer, {request.get_host()}, request.is_secure()):
        return referer
    return reverse("start")
