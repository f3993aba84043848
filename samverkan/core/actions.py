"""A page action: which form feeds which service, and when the page offers it. The services
keep the final word; `offered` only decides what to show."""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Action:
    key: str
    label: str
    form: type
    service: Callable
    offered: Callable  # (actor, subject[, context]) -> bool
