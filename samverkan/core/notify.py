"""The one way to notify units: outbox rows in the caller's transaction; the worker turns them
into in-app notifications and e-mail digests (counts by kind, never personal data)."""

# kind -> Swedish label for the digest; each module adds its kinds when its models load.
LABELS: dict[str, str] = {"rejected": "Avvisat meddelande"}


def notify(units, kind: str, text: str, *, case=None, link: str = "") -> None:
    from samverkan.cases.models import OutboxItem

    OutboxItem.objects.bulk_create(
        [OutboxItem(unit=u, case=case, link=link, kind=kind, text=text[:300]) for u in units]
    )


def label(kind: str) -> str:
    return LABELS.get(kind, kind)
