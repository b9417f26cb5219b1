"""A list page of a large tenant renders only the page's items (no timing is asserted)."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from syncform.emulator import EmulatorApp, tines_sync
from syncform.emulator import truto as truto_api
from tests.kit.emulator import SD

LARGE = 2000
PAGE = 20


def _counting(monkeypatch: pytest.MonkeyPatch, owner: Any, name: str) -> list[int]:
    """Wrap `owner.name` so that each call is counted; the count is the list's length."""
    calls: list[int] = []
    original: Callable[..., Any] = getattr(owner, name)

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(owner, name, counted)
    return calls


def _grow_tines(app: EmulatorApp) -> None:
    tenant = app.store.data["tines"]["tenants"]["acme"]
    first = tenant["sync_destinations"][0]
    for offset in range(1, LARGE):
        tenant["sync_destinations"].append({**copy.deepcopy(first), "id": first["id"] + offset})


def _grow_truto(app: EmulatorApp) -> None:
    rows = app.store.data["truto"]["integrations"]
    first = rows[0]
    for offset in range(LARGE):
        rows.append({**copy.deepcopy(first), "id": f"grown-{offset}", "name": f"grown_{offset}"})


def test_a_tines_page_renders_only_its_destinations(
    app: EmulatorApp, tines: httpx.Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    _grow_tines(app)
    renders = _counting(monkeypatch, tines_sync, "render_destination")
    indexes = _counting(monkeypatch, tines_sync, "story_index")
    response = tines.get(SD, params={"page": 3, "per_page": PAGE})
    assert response.status_code == 200
    body = response.json()
    assert len(body["sync_destinations"]) == PAGE
    assert body["meta"]["count"] == LARGE
    assert body["sync_destinations"][0]["subscriptions"][0]["story"]["name"]
    assert len(renders) == PAGE
    assert len(indexes) == 1


def test_a_truto_page_renders_only_its_integrations(
    app: EmulatorApp, truto: httpx.Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    _grow_truto(app)
    renders = _counting(monkeypatch, truto_api, "render_integration")
    response = truto.get("/integration", params={"limit": PAGE})
    assert response.status_code == 200
    assert len(response.json()["result"]) == PAGE
    assert len(renders) == PAGE
