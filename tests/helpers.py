"""Small assertions shared by the view tests."""

from samverkan.audit.models import AuditEvent


def events(action, **filters):
    return AuditEvent.objects.filter(action=action, **filters)


def text(response) -> str:
    return response.content.decode()


def pdf_upload():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("epikris.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
