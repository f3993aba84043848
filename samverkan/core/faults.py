"""Fault points for the fault-injection tests: SAMVERKAN_FAULT=<name> kills the process
(SIGKILL, as kill -9 would) when it reaches that point; SAMVERKAN_FAULT=pause:<name> says
"paused at <name>" on stdout and sleeps SAMVERKAN_FAULT_PAUSE seconds there, once, so a test
can act meanwhile (end the database connection). Unset in production: a no-op."""

import os
import signal
import sys
import time

_paused: set[str] = set()


def point(name: str) -> None:
    fault = os.environ.get("SAMVERKAN_FAULT")
    if fault == name:
        os.kill(os.getpid(), signal.SIGKILL)
    if fault == f"pause:{name}" and name not in _paused:
        _paused.add(name)
        print(f"paused at {name}", file=sys.stdout, flush=True)
        time.sleep(float(os.environ.get("SAMVERKAN_FAULT_PAUSE", "3")))
