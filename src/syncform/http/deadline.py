"""Deadlines: the moment a request, one call with its retries, or a whole run must be over by.

httpx's timeouts are per operation (one connect, one read), so a server that sends one byte
every few seconds never trips them. A `Deadline` is a point on a monotonic clock instead; the
client checks it before each attempt, before each wait between attempts and between the chunks
of a response body, and never gives httpx a timeout that reaches past it.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from syncform.core.errors import ConfigError


@dataclass(frozen=True)
class Deadline:
    """`seconds` after it was set. `name` says in messages which deadline it is, `setting`
    where it is configured."""

    name: str
    setting: str
    seconds: float
    expires_at: float
    clock: Callable[[], float] = field(default=time.monotonic, compare=False, repr=False)

    @classmethod
    def after(
        cls,
        seconds: float,
        name: str,
        setting: str,
        clock: Callable[[], float] = time.monotonic,
    ) -> Deadline:
        if not seconds > 0:
            raise ConfigError(f"{setting}: must be a positive number of seconds, got {seconds}")
        return cls(name, setting, seconds, clock() + seconds, clock)

    def remaining(self) -> float:
        """Seconds left; 0.0 once it has passed."""
        return max(0.0, self.expires_at - self.clock())

    @property
    def passed(self) -> bool:
        return self.remaining() <= 0.0

    def describe(self) -> str:
        return f"the {self.name} of {self.seconds:g} s"


class DeadlinePassed(Exception):
    """Raised inside the HTTP layer when `deadline` passes; the client turns it into
    `DeadlineExceeded` naming the connection and the endpoint."""

    def __init__(self, deadline: Deadline) -> None:
        super().__init__(deadline.describe())
        self.deadline = deadline


def earliest(deadlines: Iterable[Deadline]) -> Deadline:
    """The deadline with the least time left (the first one on a tie)."""
    return min(deadlines, key=Deadline.remaining)


def check(deadlines: Iterable[Deadline]) -> None:
    """Raise `DeadlinePassed` for the first of `deadlines` that has passed."""
    for deadline in deadlines:
        if deadline.passed:
            raise DeadlinePassed(deadline)
