"""Fault points for the fault-injection tests: SAMVERKAN_FAULT=<name> kills the process
(SIGKILL, as kill -9 would) when it reaches that point. Unset in production: a no-op."""

import os
import signal


def point(name: str) -> None:
    if os.environ.get("SAMVERKAN_FAULT") == name:
        os.kill(os.getpid(), signal.SIGKILL)
