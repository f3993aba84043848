"""Starts the provider as its own process on 127.0.0.1 (tests and the demo) and waits for it."""

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(home: Path, identities: list, clients: list, port: int | None = None):
    """The running provider as (process, issuer URL); its output goes to home/idp.log."""
    port = port or free_port()
    home.mkdir(parents=True, exist_ok=True)
    (home / "identities.json").write_text(json.dumps(identities))
    (home / "clients.json").write_text(json.dumps(clients))
    env = {**os.environ, "IDP_HOME": str(home), "IDP_PORT": str(port)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    log = (home / "idp.log").open("w")
    command = [sys.executable, "-m", "samverkan_idp", "--port", str(port)]
    command += ["--identities", str(home / "identities.json")]
    command += ["--clients", str(home / "clients.json")]
    proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    issuer = f"http://127.0.0.1:{port}/o"
    wait_ready(proc, issuer, home / "idp.log")
    return proc, issuer


def wait_ready(proc, issuer: str, log: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the IdP stopped: {log.read_text()[-2000:]}")
        try:
            if requests.get(f"{issuer}/.well-known/openid-configuration", timeout=2).ok:
                return
        except requests.ConnectionError:
            pass
        time.sleep(0.2)
    proc.terminate()
    raise RuntimeError(f"the IdP did not answer within {timeout} s: {log.read_text()[-2000:]}")


def stop(proc) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
