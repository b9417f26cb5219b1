"""How a run paces its HTTP requests: the retry policy and the sleep used for waits."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from syncform.http import RetryPolicy


@dataclass(frozen=True)
class HttpSettings:
    retry: RetryPolicy | None = None  # None: the HTTP layer's default policy
    sleep: Callable[[float], None] = time.sleep  # benchmarks and tests pass a recorder
