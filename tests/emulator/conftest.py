"""Fixtures: an emulator app built from the test seed, and plain httpx clients per vendor."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from syncform.emulator import EmulatorApp
from tests.kit.emulator import client_for, make_app
from tests.kit.seed import SEED_WITH_EXISTING_OBJECTS


@pytest.fixture
def app() -> EmulatorApp:
    return make_app(SEED_WITH_EXISTING_OBJECTS)


@pytest.fixture
def tines(app: EmulatorApp) -> Iterator[httpx.Client]:
    with client_for(
        app, "http://emulator/tines/acme/api/v1", {"Authorization": "Bearer acme-token"}
    ) as client:
        yield client


@pytest.fixture
def truto(app: EmulatorApp) -> Iterator[httpx.Client]:
    with client_for(
        app, "http://emulator/truto", {"Authorization": "Bearer truto-token"}
    ) as client:
        yield client


@pytest.fixture
def polytomic(app: EmulatorApp) -> Iterator[httpx.Client]:
    headers = {"Authorization": "Bearer poly-token", "X-Polytomic-Version": "2025-09-18"}
    with client_for(app, "http://emulator/polytomic", headers) as client:
        yield client


@pytest.fixture
def control(app: EmulatorApp) -> Iterator[httpx.Client]:
    with client_for(app, "http://emulator/_emulator", {}) as client:
        yield client
