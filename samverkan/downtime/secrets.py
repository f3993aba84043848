"""The downtime passphrase sealed with the server's key: Fernet (AES-128-CBC + HMAC-SHA256)
under a key derived by HKDF from DOWNTIME_KEY, or SECRET_KEY when that is not set. A database
dump alone does not open it; the server, which must encrypt the PDF, can."""

import base64

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

_INFO = b"samverkan downtime passphrase v1"


def _fernet() -> Fernet:
    secret = (settings.DOWNTIME_KEY or settings.SECRET_KEY).encode()
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_INFO).derive(secret)
    return Fernet(base64.urlsafe_b64encode(key))


def seal(passphrase: str) -> bytes:
    return _fernet().encrypt(passphrase.encode())


def unseal(sealed: bytes) -> str | None:
    """The passphrase, or None when the server's key changed since it was set."""
    try:
        return _fernet().decrypt(bytes(sealed)).decode()
    except InvalidToken:
        return None
