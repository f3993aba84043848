"""Small assertions shared by the view tests."""

from samverkan.audit.models import AuditEvent


def events(action, **filters):
    return AuditEvent.objects.filter(action=action, **filters)


def text(response) -> str:
    return response.content.decode()
