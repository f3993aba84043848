"""Moving Notification, OutboxItem and Digest from cases to their own app keeps every row: a
database at the last migration before the move, with a delivered notification in a sent
digest and a pending outbox row, is migrated forward; all rows are there, linked as before,
the unique outbox_id still holds, the worker takes up the pending row, and the content types
(with any permissions) belong to the new app."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from samverkan.notifications.models import Digest, Notification, OutboxItem
from samverkan.testing import build_world
from samverkan.worker import run_once

UNMOVED = ("cases", "0009_mail_each_on_its_own")  # the state notifications 0001 starts from


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(UNMOVED, at_end=True).apps


def _old_rows(old, world) -> dict:
    """Rows written by the models as they were in cases before the move."""
    digest = old.get_model("cases", "Digest").objects.create(
        unit_id=world.a_needs.pk, body="1 × Inskrivningsmeddelande", emailed_at=timezone.now()
    )
    outbox = old.get_model("cases", "OutboxItem")
    done = outbox.objects.create(unit_id=world.a_needs.pk, kind="admission_notice", text="Klar")
    pending = outbox.objects.create(unit_id=world.a_home.pk, kind="ready", text="Väntar")
    note = old.get_model("cases", "Notification").objects.create(
        unit_id=world.a_needs.pk, kind="admission_notice", text="Klar", outbox_id=done.pk
    )
    note.digest_id = digest.pk
    note.save()
    return {"digest": digest.pk, "done": done.pk, "pending": pending.pk, "note": note.pk}


@pytest.mark.django_db(transaction=True)
def test_moving_the_models_keeps_their_rows():
    world = build_world()
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    ids = _old_rows(_migrate([("notifications", None)]), world)  # the move undone
    _migrate(latest)

    note = Notification.objects.get(pk=ids["note"])
    assert (note.unit, note.outbox_id) == (world.a_needs, ids["done"])
    assert Digest.objects.get(pk=ids["digest"]).notifications.get() == note
    assert set(OutboxItem.objects.values_list("id", flat=True)) == {ids["done"], ids["pending"]}
    with pytest.raises(IntegrityError), transaction.atomic():
        Notification.objects.create(unit=world.a_home, kind="x", text="x", outbox_id=ids["done"])
    OutboxItem.objects.filter(pk=ids["done"]).update(done_at=timezone.now())
    assert run_once()["notifications"] == 1
    assert Notification.objects.get(outbox_id=ids["pending"]).unit == world.a_home
    moved = ContentType.objects.filter(model__in=["notification", "outboxitem", "digest"])
    assert set(moved.values_list("app_label", flat=True)) == {"notifications"}  # permissions too
