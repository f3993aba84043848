"""Nothing lost, nothing twice: the worker killed (kill -9) at each step, two workers at once,
and SMTP servers that refuse, hang, or accept and then lose the worker. Afterwards every
outbox row has exactly one notification, no notification is in two digests, none is marked
mailed unsent, and a message sent again carries the same Message-ID."""

import os
import select
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import timedelta

import pytest
from aiosmtpd.controller import Controller
from django.conf import settings
from django.db import connection
from django.utils import timezone

from samverkan.directory.models import Unit
from samverkan.notifications.delivery import send_digests
from samverkan.notifications.models import Digest, Notification, OutboxItem
from samverkan.testing import build_world

ROOT = settings.BASE_DIR


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Inbox:
    """aiosmtpd handler: keeps what it accepts; refuses the addresses in `refuse` (550)."""

    def __init__(self, refuse=()):
        self.messages, self.refuse = [], set(refuse)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 Mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.rcpt_tos, envelope.content.decode()))
        return "250 Message accepted"

    def message_ids(self, to):
        return [
            line.split(":", 1)[1].strip()
            for rcpt, text in self.messages
            if rcpt == [to]
            for line in text.splitlines()
            if line.lower().startswith("message-id:")
        ]


@pytest.fixture
def smtp(settings):
    inbox = Inbox(refuse={"refuses@test.invalid"})
    port = _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    inbox.port = port
    yield inbox
    controller.stop()


def _db_url() -> str:
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{s['NAME']}"
    return f"postgres://{s['USER']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def _worker(fault="", lease=120, port=None, wait=True):
    env = {
        **os.environ,
        "DATABASE_URL": _db_url(),
        "SAMVERKAN_FAULT": fault,
        "WORKER_LEASE_SECONDS": str(lease),
        "DIGEST_MINUTES": "0",
        "EMAIL_TIMEOUT": "5",
    }
    if port:
        env.update(
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=str(port),
        )
    command = [sys.executable, "manage.py", "run_worker", "--once"]
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE)
    if wait:
        process.wait(timeout=120)
    return process


def _outbox(world, n):
    units = [world.a_needs, world.b_needs, world.pcc, world.ward]
    OutboxItem.objects.bulk_create(
        [OutboxItem(unit=units[i % 4], kind="admission_notice", text=f"Nr {i}") for i in range(n)]
    )


def _exactly_once():
    made = Counter(Notification.objects.values_list("outbox_id", flat=True))
    assert set(made) == set(OutboxItem.objects.values_list("id", flat=True))
    assert max(made.values()) == 1
    assert not OutboxItem.objects.filter(done_at__isnull=True).exists()


@pytest.mark.parametrize("fault", ["outbox.claimed", "outbox.notified"])
def test_a_worker_killed_mid_batch_loses_nothing(transactional_db, fault):
    world = build_world()
    _outbox(world, 60)
    killed = _worker(fault)
    assert killed.returncode == -9
    assert _worker(lease=120).returncode == 0  # the dead worker's lease holds the rows …
    assert OutboxItem.objects.filter(done_at__isnull=True).count() == 60
    assert _worker(lease=0).returncode == 0  # … until it expires; then they are taken again
    _exactly_once()


def test_two_workers_at_once(transactional_db):
    world = build_world()
    _outbox(world, 400)
    workers = [_worker(wait=False) for _ in range(2)]
    assert [w.wait(timeout=120) for w in workers] == [0, 0]
    _worker(lease=0)
    _exactly_once()


def test_a_digest_sent_again_after_a_crash_keeps_its_message_id(transactional_db, smtp):
    world = build_world()
    Unit.objects.update(mailbox="")
    Unit.objects.filter(pk=world.a_needs.pk).update(mailbox="a@test.invalid")
    _outbox(world, 8)
    assert _worker(fault="mail.sent", port=smtp.port).returncode == -9  # accepted, not recorded
    assert _worker(lease=0, port=smtp.port).returncode == 0
    ids = smtp.message_ids("a@test.invalid")
    assert len(ids) == 2 and ids[0] == ids[1]  # at-least-once, the same Message-ID
    digest = Digest.objects.get(unit=world.a_needs)
    assert digest.emailed_at and digest.message_id == ids[0]
    mine = Notification.objects.filter(unit=world.a_needs)
    assert mine.count() == 2 and all(n.digest_id == digest.pk and n.emailed_at for n in mine)


def test_one_refused_mailbox_holds_up_no_other_unit(db, smtp, settings):
    world = build_world()
    Unit.objects.filter(pk=world.a_needs.pk).update(mailbox="refuses@test.invalid")
    Unit.objects.filter(pk=world.b_needs.pk).update(mailbox="b@test.invalid")
    for unit in (world.a_needs, world.b_needs):
        Notification.objects.create(unit=unit, kind="admission_notice", text="x")
    later = timezone.now() + timedelta(hours=1)
    assert send_digests(later) == 1
    assert [to for to, _text in smtp.messages] == [["b@test.invalid"]]
    refused = Digest.objects.get(unit=world.a_needs)
    assert refused.attempts == 1 and refused.next_attempt_at > later and not refused.emailed_at
    assert not Notification.objects.get(unit=world.a_needs).emailed_at  # never marked unsent
    assert send_digests(later) == 0 and Digest.objects.get(pk=refused.pk).attempts == 1  # backoff
    for attempt in range(2, settings.MAIL_MAX_ATTEMPTS + 1):
        send_digests(later + timedelta(days=attempt))
    refused.refresh_from_db()
    assert refused.failed_at and refused.attempts == settings.MAIL_MAX_ATTEMPTS
    assert Digest.objects.count() == 2  # the notification stays in its one digest


def test_a_silent_smtp_server_times_out_and_the_rest_goes_on(db, settings):
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(5)
    held = []
    threading.Thread(target=lambda: held.append(listener.accept()), daemon=True).start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", listener.getsockname()[1]
    settings.EMAIL_TIMEOUT = 0.5
    world = build_world()
    Unit.objects.filter(pk=world.a_needs.pk).update(mailbox="a@test.invalid")
    Notification.objects.create(unit=world.a_needs, kind="admission_notice", text="x")
    began = time.monotonic()
    assert send_digests(timezone.now() + timedelta(hours=1)) == 0
    assert time.monotonic() - began < 5
    assert Digest.objects.get().attempts == 1
    listener.close()


def test_invitations_are_each_their_own_unit_of_work(db, smtp, settings):
    from samverkan.cases.testing import actor
    from samverkan.sip import services as sips
    from samverkan.sip.invitations import send_invitations
    from samverkan.sip.models import Invitation
    from samverkan.sip.testing import consented, started

    world = build_world()
    sip = consented(world, started(world))
    sips.schedule_meeting(
        actor(world.pcc_staff), sip, starts_at=timezone.now() + timedelta(days=2), place="VC"
    )
    meeting = sip.meetings.get()
    first = Invitation.objects.filter(meeting=meeting).first()
    template = dict(meeting=meeting, participant=first.participant, sent_at=timezone.now())
    Invitation.objects.all().delete()
    Invitation.objects.create(**template, email="one@test.invalid")
    Invitation.objects.create(**template, email="refuses@test.invalid")
    Invitation.objects.create(**template, email="two@test.invalid")
    now = timezone.now()
    assert send_invitations(now) == 2 and send_invitations(now) == 0  # each sent once
    assert sorted(to[0] for to, _t in smtp.messages) == ["one@test.invalid", "two@test.invalid"]
    for attempt in range(1, settings.MAIL_MAX_ATTEMPTS + 1):
        send_invitations(now + timedelta(days=attempt))
    failed = Invitation.objects.get(email="refuses@test.invalid")
    assert failed.failed_at and len(smtp.messages) == 2
    told = OutboxItem.objects.filter(unit=meeting.unit, kind="sip_invitation_failed").get()
    assert "refuses@test.invalid" in told.text and "Astrid" not in told.text


def _wait_for_line(process, text: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([process.stdout], [], [], 1)
        if ready and text in process.stdout.readline().decode():
            return
    raise AssertionError(f"the worker never said {text!r}")


def _terminate_other_connections() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_terminate_backend")
@pytest.mark.parametrize("fault", ["outbox.claimed", "outbox.notified"])
def test_a_worker_whose_connection_is_terminated_mid_batch_recovers(transactional_db, fault):
    """The server ends the running worker's connection between claim and commit: that pass
    fails, the worker connects anew and, once the lease expires, delivers every row once."""
    world = build_world()
    _outbox(world, 60)
    env = {**os.environ, "DATABASE_URL": _db_url(), "SAMVERKAN_FAULT": f"pause:{fault}"}
    env.update(WORKER_LEASE_SECONDS="1", DIGEST_MINUTES="0", SAMVERKAN_FAULT_PAUSE="2")
    command = [sys.executable, "manage.py", "run_worker", "--interval", "0.3"]
    worker = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE)
    try:
        _wait_for_line(worker, f"paused at {fault}")
        assert _terminate_other_connections() >= 1
        deadline = time.monotonic() + 60
        while OutboxItem.objects.filter(done_at__isnull=True).exists():
            assert worker.poll() is None, "the worker gave up"
            assert time.monotonic() < deadline, "rows left undelivered"
            time.sleep(0.3)
    finally:
        worker.kill()
        worker.wait(timeout=30)
    _exactly_once()
