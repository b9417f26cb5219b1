from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.kit.postgres import postgres_server  # noqa: F401 (a session fixture)
from tests.kit.state_stores import StoreSpec

BACKENDS = ["sqlite", "postgres"]


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


@pytest.fixture(params=BACKENDS)
def store_spec(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[StoreSpec]:
    """A fresh, empty state of each backend (PostgreSQL: a schema of its own on one throwaway
    server for the whole session). The state-store contract tests take this one fixture."""
    if request.param == "sqlite":
        yield StoreSpec("sqlite", path=str(tmp_path / ".syncform" / "state.db"))
        return
    server = request.getfixturevalue("postgres_server")
    spec = StoreSpec("postgres", dsn=server.dsn(), schema=server.new_schema())
    try:
        yield spec
    finally:
        spec.drop()
