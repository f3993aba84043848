#!/usr/bin/env python3
"""Fetch the unit's newest encrypted downtime snapshot onto this downtime PC (stdlib only).

Run by a scheduled task (Windows Task Scheduler, cron, systemd timer) every 15 minutes:

    python fetch_snapshot.py --url https://samverkan.example.se \\
        --token-file C:\\Reserv\\token.txt --out C:\\Reserv\\reservutdrag.pdf

The token (shown once when the unit admin registers the PC) is read from --token-file or the
SAMVERKAN_DEVICE_TOKEN environment variable, never from the command line (process lists are
readable by others). The file is written atomically: a fetch that fails or is cut off leaves the
last good file in place. Exits 0 on success, 1 when the server refused or could not be reached,
2 on wrong use; the message goes to stderr (the task's history shows it)."""

import argparse
import os
import sys
import tempfile
import urllib.error
import urllib.request
from pathlib import Path

PATH = "/api/v1/downtime/snapshot"
PDF_MAGIC = b"%PDF-"
MAX_BYTES = 200 * 1024 * 1024  # a unit's snapshot is far smaller; more is an error


def token_from(args) -> str:
    if args.token_file:
        return Path(args.token_file).read_text(encoding="utf-8").strip()
    return os.environ.get("SAMVERKAN_DEVICE_TOKEN", "").strip()


def fetch(url: str, token: str, timeout: float) -> tuple[bytes, dict]:
    request = urllib.request.Request(
        url.rstrip("/") + PATH,
        headers={"Authorization": f"Bearer {token}", "Accept": "application/pdf"},
    )
    with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - https URL given by the region
        body = response.read(MAX_BYTES + 1)
        headers = dict(response.headers)
    if len(body) > MAX_BYTES or not body.startswith(PDF_MAGIC):
        raise ValueError("svaret är inte en PDF")
    return body, headers


def write_atomically(out: Path, data: bytes) -> None:
    """A temporary file beside the target, flushed to disk, then renamed over it."""
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".reservutdrag-", suffix=".tmp", dir=out.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Hämta enhetens senaste reservutdrag.")
    parser.add_argument(
        "--url", required=True, help="Samverkans adress, t.ex. https://samverkan.example.se"
    )
    parser.add_argument("--out", required=True, help="Filen att skriva, t.ex. reservutdrag.pdf")
    parser.add_argument("--token-file", help="Fil med reservdatorns enhetsnyckel")
    parser.add_argument("--timeout", type=float, default=30.0, help="Sekunder (standard 30)")
    args = parser.parse_args(argv)
    token = token_from(args)
    if not token:
        print(
            "Ingen enhetsnyckel: ange --token-file eller SAMVERKAN_DEVICE_TOKEN.", file=sys.stderr
        )
        return 2
    try:
        data, headers = fetch(args.url, token, args.timeout)
        write_atomically(Path(args.out), data)
    except urllib.error.HTTPError as error:
        print(f"Servern svarade {error.code}; den förra filen ligger kvar.", file=sys.stderr)
        return 1
    except (OSError, ValueError) as error:  # URLError, timeouts, disk: keep the last good file
        print(f"Kunde inte hämta ({error}); den förra filen ligger kvar.", file=sys.stderr)
        return 1
    taken = headers.get("X-Snapshot-Taken-At", "?")
    print(f"Reservutdrag sparat i {args.out} (uppgifter per {taken}).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
