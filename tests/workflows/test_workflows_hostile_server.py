"""`plan` against a hostile Tines server on loopback: syncform.yaml's limits reach every request
(the run deadline, a connection's request deadline, response cap and page cap), and the run
ends with an error naming the connection and the endpoint."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest

from syncform.core.errors import DeadlineExceeded, ProviderError, ResponseTooLarge
from syncform.manifests.config import DEFAULT_RUN_DEADLINE_SECONDS, load_config
from syncform.providers.tines.client import SYNC_DESTINATIONS_PATH
from syncform.session import Runtime
from syncform.workflows.plan import PlanRequest, plan
from syncform.workflows.sources import Sources
from tests.kit.http import TOKEN
from tests.kit.loopback import LoopbackServer, Reply, drip, send_json, send_json_by_query
from tests.kit.specs import ENVIRON as SPEC_ENVIRON
from tests.kit.specs import TINES_SPEC

ENVIRON = {"T_TOKEN": TOKEN, "SYNCFORM_STATE_KEY": "ab" * 32, **SPEC_ENVIRON}
ENDPOINT = f"connection 'tines-acme': GET {SYNC_DESTINATIONS_PATH}"
LISTING = json.dumps({"sync_destinations": [], "meta": {"next_page_number": None}}).encode()


def _write_project(
    root: Path, url: str, connection: dict[str, Any], defaults: dict[str, Any] | None = None
) -> Sources:
    tines = {"provider": "tines", "url": url, "token": "${env:T_TOKEN}", **connection}
    config: dict[str, Any] = {
        "apiVersion": "syncform/v1",
        "kind": "Config",
        "connections": {"tines-acme": tines},
    }
    if defaults:
        config["defaults"] = defaults
    manifest = {
        "apiVersion": "syncform/v1",
        "kind": "TinesSyncDestination",
        "metadata": {"name": "security-to-dr", "connection": "tines-acme"},
        "spec": TINES_SPEC,
    }
    (root / "syncform.yaml").write_text(json.dumps(config))
    (root / "manifests.yaml").write_text(json.dumps(manifest))
    return Sources((root / "manifests.yaml",), root / "syncform.yaml")


def _plan_error(
    tmp_path: Path,
    reply: Reply,
    connection: dict[str, Any],
    defaults: dict[str, Any] | None = None,
) -> tuple[ProviderError, float]:
    """The error `plan` ends with against a server playing `reply`, and how long it took."""
    with LoopbackServer(reply) as server:
        sources = _write_project(tmp_path, server.url, connection, defaults)
        started = time.monotonic()
        with pytest.raises(ProviderError) as caught:
            plan(PlanRequest(sources), Runtime(ENVIRON))
        return caught.value, time.monotonic() - started


def test_the_limits_are_read_from_syncform_yaml(tmp_path: Path) -> None:
    connection = {"request_deadline_seconds": 7.5, "max_response_bytes": 2048, "max_pages": 9}
    _write_project(tmp_path, "https://acme.tines.com", connection, {"run_deadline_seconds": 60})
    loaded = load_config(tmp_path / "syncform.yaml", tmp_path)
    assert loaded.findings == ()
    limits = loaded.config.connections["tines-acme"].limits
    assert (limits.request_deadline, limits.max_response_bytes, limits.max_pages) == (
        7.5,
        2048,
        9,
    )
    assert loaded.config.run_deadline_seconds == 60


def test_without_settings_the_defaults_apply(tmp_path: Path) -> None:
    _write_project(tmp_path, "https://acme.tines.com", {})
    config = load_config(tmp_path / "syncform.yaml", tmp_path).config
    limits = config.connections["tines-acme"].limits
    assert (limits.request_deadline, limits.max_response_bytes, limits.max_pages) == (
        120.0,
        64 * 1024 * 1024,
        10_000,
    )
    assert config.run_deadline_seconds == DEFAULT_RUN_DEADLINE_SECONDS == 1800


@pytest.mark.parametrize(
    ("connection", "defaults", "pointer"),
    [
        ({"request_deadline_seconds": 0}, None, "/connections/tines-acme/request_deadline_seconds"),
        ({"max_response_bytes": 0}, None, "/connections/tines-acme/max_response_bytes"),
        ({"max_pages": 1.5}, None, "/connections/tines-acme/max_pages"),
        ({}, {"run_deadline_seconds": -1}, "/defaults/run_deadline_seconds"),
    ],
)
def test_unusable_limits_are_config_findings(
    tmp_path: Path, connection: dict[str, Any], defaults: dict[str, Any] | None, pointer: str
) -> None:
    _write_project(tmp_path, "https://acme.tines.com", connection, defaults)
    findings = load_config(tmp_path / "syncform.yaml", tmp_path).findings
    assert [finding.pointer for finding in findings] == [pointer]


def test_plan_stops_at_the_run_deadline(tmp_path: Path) -> None:
    error, elapsed = _plan_error(
        tmp_path, drip(LISTING, every=0.05), {"timeout_seconds": 5}, {"run_deadline_seconds": 0.5}
    )
    assert isinstance(error, DeadlineExceeded)
    assert elapsed < 2.5
    assert "the run deadline of 0.5 s passed" in error.message
    assert "defaults.run_deadline_seconds" in error.message
    assert ENDPOINT in error.message
    assert "per_page" not in error.message and TOKEN not in error.message


def test_plan_stops_at_the_connection_request_deadline(tmp_path: Path) -> None:
    connection = {"timeout_seconds": 5, "request_deadline_seconds": 0.4}
    error, elapsed = _plan_error(tmp_path, drip(LISTING, every=0.05), connection)
    assert isinstance(error, DeadlineExceeded)
    assert elapsed < 2.5
    assert f"{ENDPOINT}: stopped, the request deadline of 0.4 s passed" in error.message


def test_plan_stops_at_the_connection_response_cap(tmp_path: Path) -> None:
    huge = {"sync_destinations": [], "meta": {}, "padding": "z" * 5000}
    error, _ = _plan_error(tmp_path, send_json(200, huge), {"max_response_bytes": 1000})
    assert isinstance(error, ResponseTooLarge)
    assert f"{ENDPOINT}: the response body passed the cap of 1000 bytes" in error.message


def _endless_pages(query: dict[str, list[str]]) -> dict[str, Any]:
    following = f"https://acme.tines.com{SYNC_DESTINATIONS_PATH}?page={int(query['page'][0]) + 1}"
    return {"sync_destinations": [], "meta": {"next_page": following}}


def test_plan_stops_at_the_connection_page_cap(tmp_path: Path) -> None:
    error, _ = _plan_error(tmp_path, send_json_by_query(_endless_pages), {"max_pages": 3})
    assert f"{ENDPOINT}: stopped after 3 pages, the page cap" in error.message
