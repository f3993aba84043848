"""Uploaded files judged by their own bytes, never by the name or the client's content type."""

import re

import filetype

from samverkan.core.errors import invalid

ALLOWED_TYPES = {  # content type -> extension of the stored file; the one list of what may come in
    "application/pdf": ".pdf",
    "image/png": ".png",
    "image/jpeg": ".jpg",
    "text/plain": ".txt",
}
MAX_BYTES = 10 * 1024 * 1024
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def sniff(data: bytes) -> str | None:
    """The content type the bytes show (magic numbers), "text/plain" for plain UTF-8 text."""
    kind = filetype.guess(data)
    if kind is not None:
        return kind.mime
    return "text/plain" if _plain_text(data) else None


def _plain_text(data: bytes) -> bool:
    """UTF-8 without control characters, and not markup (HTML, SVG, XML a browser would run)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return False
    return not text.lstrip().startswith("<") and not _CONTROL.search(text)


def checked_upload(upload, field: str = "file") -> tuple[bytes, str]:
    """The upload's bytes and sniffed content type; a ValidationError naming `field` if refused."""
    if upload.size > MAX_BYTES:
        raise invalid(field, "size", "Filen får vara högst 10 MB.")
    data = upload.read()
    if not data:
        raise invalid(field, "empty", "Filen är tom.")
    content_type = sniff(data)
    if content_type not in ALLOWED_TYPES:
        raise invalid(
            field,
            "type",
            "Filen är inte en PDF, PNG, JPEG eller textfil (UTF-8) enligt sitt innehåll.",
        )
    return data, content_type
