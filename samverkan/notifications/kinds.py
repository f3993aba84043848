"""The notification kinds and their Swedish labels, declared by each app's AppConfig
(`notification_kinds`, a dotted path) and gathered once when the apps are ready."""

from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

LABELS: dict[str, str] = {}  # kind -> label; the e-mail digest counts by these


def collect(app_configs) -> None:
    """Fill LABELS from every app that declares kinds; a kind declared twice is an error."""
    LABELS.clear()
    for config in app_configs:
        path = getattr(config, "notification_kinds", None)
        if path:
            _add(config.label, import_string(path))


def _add(app_label: str, kinds: dict[str, str]) -> None:
    twice = LABELS.keys() & kinds.keys()
    if twice:
        raise ImproperlyConfigured(f"{app_label} declares notification kinds again: {twice}")
    LABELS.update(kinds)


def label(kind: str) -> str:
    return LABELS.get(kind, kind)  # a kind no longer declared still counts


def check(kind: str) -> None:
    """Only declared kinds are notified: the digest must be able to name each."""
    if kind not in LABELS:
        raise ValueError(f"undeclared notification kind {kind!r}")
