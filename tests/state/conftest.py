from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest


class TickingClock:
    """A clock that moves one minute forward on every reading."""

    def __init__(self) -> None:
        self.now = datetime(2026, 3, 1, 12, 0, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        moment = self.now
        self.now += timedelta(minutes=1)
        return moment


@pytest.fixture
def clock() -> TickingClock:
    return TickingClock()
