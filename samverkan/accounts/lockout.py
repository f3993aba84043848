"""Lock-out after repeated failed logins, counted from the audit log itself."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from samverkan.audit.models import AuditEvent


def is_locked(username: str) -> bool:
    """Too many failures for this username since its last success, within the window."""
    since = timezone.now() - timedelta(minutes=settings.LOCKOUT_MINUTES)
    events = AuditEvent.objects.filter(username__iexact=username, at__gte=since)
    last_ok = events.filter(action="login.success").order_by("-at").values("at").first()
    failures = events.filter(action="login.failed")
    if last_ok:
        failures = failures.filter(at__gt=last_ok["at"])
    return failures.count() >= settings.LOCKOUT_FAILURES
