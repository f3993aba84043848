"""The unit's Reservrutin page and its downtime PCs: passphrase, device token shown once, the
PC's fetch logged as a read of every person, refused tokens logged, revoking, the script."""

import io
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pikepdf
import pytest
from django.urls import reverse

from samverkan.audit.models import AuditEvent
from samverkan.cases.testing import actor, in_patients, ready
from samverkan.downtime import services as downtime
from samverkan.downtime.models import DowntimePC, Passphrase, Snapshot
from samverkan.downtime.snapshot import take

from .helpers import events, text
from .test_downtime_snapshot import PHRASE, pdf_text

URL = "/api/v1/downtime/snapshot"


def bearer(token):
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


@pytest.fixture
def pc(world):
    downtime.set_passphrase(actor(world.ward_admin), PHRASE)
    found, token = downtime.register_pc(actor(world.ward_admin), "Expeditionen avd 31")
    return found, token


def test_the_unit_admin_sets_the_passphrase_on_the_page(client, world):
    client.force_login(world.ward_admin)
    page = client.get(reverse("downtime_unit"))
    assert page.status_code == 200 and "Ingen lösenfras är satt" in text(page)
    data = {"passphrase": PHRASE, "repeated": PHRASE}
    assert client.post(reverse("downtime_passphrase"), data).status_code == 302
    assert Passphrase.objects.get(unit=world.ward).set_by == world.ward_admin
    assert PHRASE not in text(client.get(reverse("downtime_unit")))
    event = events("downtime.passphrase", user=world.ward_admin).get()
    assert PHRASE not in str(event.detail)


@pytest.mark.parametrize(
    "data, message",
    [
        ({"passphrase": "kort", "repeated": "kort"}, "åtminstone har 12 tecken"),
        ({"passphrase": PHRASE, "repeated": PHRASE + "x"}, "inte lika"),
        ({"passphrase": "x" * 129, "repeated": "x" * 129}, "128 tecken"),
    ],
)
def test_a_bad_passphrase_is_refused(client, world, data, message):
    client.force_login(world.ward_admin)
    response = client.post(reverse("downtime_passphrase"), data)
    assert response.status_code == 400 and message in text(response)
    assert not Passphrase.objects.exists()


def test_staff_take_and_download_but_do_not_manage(client, world, pc):
    ready(world)
    client.force_login(world.ward_staff)
    page = text(client.get(reverse("downtime_unit")))
    assert "Ta fram nytt utdrag nu" in page and "Registrera reservdator" not in page
    assert client.post(reverse("downtime_take")).status_code == 302
    response = client.get(reverse("downtime_download"))
    assert response["Content-Type"] == "application/pdf"
    assert "Testsson" in pdf_text(response.content)
    assert events("downtime.read", user=world.ward_staff, patient=world.patient).count() == 1
    data = {"passphrase": PHRASE, "repeated": PHRASE}
    assert client.post(reverse("downtime_passphrase"), data).status_code == 403
    assert client.post(reverse("downtime_pc_register"), {"name": "X"}).status_code == 403
    assert client.get(reverse("downtime_take")).status_code == 405


def test_registering_shows_the_token_once_and_stores_its_hash(client, world):
    client.force_login(world.ward_admin)
    response = client.post(reverse("downtime_pc_register"), {"name": "Expeditionen"})
    pc = DowntimePC.objects.get()
    token = response.context["token"]["value"]
    assert token in text(response) and token not in pc.token_hash and len(pc.token_hash) == 64
    assert token not in text(client.get(reverse("downtime_unit")))
    assert events("downtime.pc_register", user=world.ward_admin).exists()
    again = client.post(reverse("downtime_pc_register"), {"name": "Expeditionen"})
    assert again.status_code == 400 and "redan en reservdator" in text(again)
    assert client.post(reverse("downtime_pc_register"), {"name": ""}).status_code == 400


def test_a_fetch_is_one_read_per_person_in_it(client, world, pc):
    found, token = pc
    ready(world)
    in_patients(world, 3)
    snapshot = take(world.ward)
    assert len(snapshot.people) == 4
    response = client.get(URL, **bearer(token))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["X-Snapshot-Taken-At"] == snapshot.taken_at.isoformat()
    with pytest.raises(pikepdf.PasswordError):
        pikepdf.open(io.BytesIO(response.content))
    assert "Testsson" in pdf_text(response.content)
    reads = events("downtime.read")
    assert reads.count() == 4 and set(reads.values_list("patient", flat=True)) == set(
        snapshot.people
    )
    assert {(e.unit_id, e.username, e.user_id) for e in reads} == {
        (world.ward.pk, "Reservdator: Expeditionen avd 31", None)
    }
    client.get(URL, **bearer(token))
    assert events("downtime.read").count() == 8  # every fetch again
    found.refresh_from_db()
    assert found.last_fetch_at is not None


@pytest.mark.parametrize("header", [None, "Bearer svpc_not-a-real-token", "Basic abc"])
def test_an_unknown_token_is_refused_and_logged(client, world, pc, header):
    ready(world)
    take(world.ward)
    extra = {"HTTP_AUTHORIZATION": header} if header else {}
    response = client.get(URL, **extra)
    assert response.status_code == 401 and response.json()["errors"][0]["field"] == "Authorization"
    refused = events("downtime.fetch_refused").get()
    assert refused.detail["reason"] in {"missing", "unknown"} and refused.patient is None
    assert not events("downtime.read").exists()


def test_a_revoked_pc_is_refused_and_logged(client, world, pc):
    found, token = pc
    ready(world)
    take(world.ward)
    client.force_login(world.ward_admin)
    assert client.post(reverse("downtime_pc_revoke", args=[found.public_id])).status_code == 302
    client.logout()
    assert client.get(URL, **bearer(token)).status_code == 401
    refused = events("downtime.fetch_refused").get()
    assert refused.detail == {"reason": "revoked"} and refused.unit == world.ward
    assert refused.username == "Reservdator: Expeditionen avd 31"
    assert not events("downtime.read").exists()


def test_no_pdf_yet_is_404_and_logged(client, world, pc):
    _, token = pc
    response = client.get(URL, **bearer(token))
    assert response.status_code == 404 and "lösenfras" in response.json()["errors"][0]["message"]
    assert events("downtime.fetch_refused").get().detail == {"reason": "none"}


def test_a_pc_gets_only_its_own_units_snapshot(client, world, pc):
    _, token = pc
    ready(world)
    downtime.set_passphrase(actor(world.a_admin), PHRASE)
    mine, theirs = take(world.ward), take(world.a_needs)
    response = client.get(URL, **bearer(token))
    assert response.content == bytes(Snapshot.objects.get(pk=mine.pk).pdf)
    assert response.content != bytes(Snapshot.objects.get(pk=theirs.pk).pdf)


def test_another_units_pc_cannot_be_revoked(client, world, pc):
    found, _ = pc
    client.force_login(world.a_admin)
    assert client.post(reverse("downtime_pc_revoke", args=[found.public_id])).status_code == 404
    client.force_login(world.ward_reader)
    assert client.post(reverse("downtime_pc_revoke", args=[found.public_id])).status_code == 403
    found.refresh_from_db()
    assert found.revoked_at is None


def test_the_api_states_the_endpoint():
    from samverkan.api.urls import api

    spec = api.get_openapi_schema()
    responses = {str(k): v for k, v in spec["paths"][URL]["get"]["responses"].items()}
    assert list(responses["200"]["content"]) == ["application/pdf"]
    assert {"401", "404"} <= set(responses)


# -- scripts/fetch_snapshot.py against a small local server


class Server:
    """Answers the script's fetch with a PDF, an error, or nothing."""

    def __init__(self):
        self.status, self.body = 200, b"%PDF-1.7 encrypted"
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 - http.server's name
                owner.auth = self.headers.get("Authorization")
                self.send_response(owner.status)
                self.send_header("X-Snapshot-Taken-At", "2026-12-02T08:00:00+01:00")
                self.end_headers()
                self.wfile.write(owner.body)

            def log_message(self, *args):
                pass

        self.httpd = HTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.httpd.server_port}"


@pytest.fixture
def server():
    found = Server()
    yield found
    found.httpd.shutdown()


def run_script(*args):
    import runpy

    module = runpy.run_path("scripts/fetch_snapshot.py", run_name="fetch_snapshot")
    return module["main"](list(args))


def test_the_script_writes_the_file_and_keeps_the_last_good_one(server, tmp_path, capsys):
    token, out = tmp_path / "token.txt", tmp_path / "reserv" / "reservutdrag.pdf"
    token.write_text("svpc_abc\n")
    common = ["--url", server.url, "--token-file", str(token), "--out", str(out)]
    assert run_script(*common) == 0
    assert out.read_bytes() == b"%PDF-1.7 encrypted" and server.auth == "Bearer svpc_abc"
    server.status, server.body = 401, b'{"errors": []}'
    assert run_script(*common) == 1
    server.status, server.body = 200, b"<html>proxy login</html>"
    assert run_script(*common) == 1
    server.httpd.shutdown()
    server.httpd.server_close()
    assert run_script(*common, "--timeout", "2") == 1
    assert out.read_bytes() == b"%PDF-1.7 encrypted"  # the last good file stays
    assert [p.name for p in out.parent.iterdir()] == ["reservutdrag.pdf"]  # no temp files left
    assert "förra filen ligger kvar" in capsys.readouterr().err


def test_the_script_needs_a_token(tmp_path, monkeypatch):
    monkeypatch.delenv("SAMVERKAN_DEVICE_TOKEN", raising=False)
    assert run_script("--url", "http://127.0.0.1:9", "--out", str(tmp_path / "x.pdf")) == 2


def test_the_token_never_reaches_the_log(client, world, pc):
    _, token = pc
    client.get(URL, **bearer(token))
    assert not AuditEvent.objects.filter(detail__icontains=token[5:]).exists()
