"""The emulator over a real socket: serve, 64 concurrent connections, dropped connections, CLI."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from syncform.core.errors import EmulatorError
from syncform.emulator import EmulatorApp, make_server, running_server
from tests.kit.emulator import make_app
from tests.kit.seed import SEED_WITH_EXISTING_OBJECTS

ACME = {"Authorization": "Bearer acme-token"}
POLY = {"Authorization": "Bearer poly-token", "X-Polytomic-Version": "2025-09-18"}


def test_serves_each_vendor_over_http(app: EmulatorApp) -> None:
    with running_server(app) as base_url, httpx.Client(base_url=base_url) as client:
        assert base_url.startswith("http://127.0.0.1:")
        teams = client.get("/tines/acme/api/v1/teams", headers=ACME)
        assert teams.status_code == 200
        assert teams.json()["meta"]["current_page"].startswith(
            f"{base_url}/tines/acme/api/v1/teams?"
        )
        truto = client.get("/truto/integration", headers={"Authorization": "Bearer truto-token"})
        assert truto.json()["result"][0]["name"] == "zendesk"
        poly = client.get("/polytomic/api/syncs", headers=POLY)
        assert poly.headers["x-polytomic-version"] == "2025-09-18"
        created = client.post(
            "/tines/acme/api/v1/admin/sync_destinations",
            headers=ACME,
            json={
                "destination_tenant_url": "https://customer.example.tines.com",
                "destination_tenant_api_key": "cust-key",
                "destination_team_id": 15,
                "team_id": 7,
                "story_ids": [9981],
            },
        )
        assert created.status_code == 201
        deleted = client.delete(
            f"/tines/acme/api/v1/admin/sync_destinations/{created.json()['sync_destination']['id']}",
            headers=ACME,
        )
        assert deleted.status_code == 204 and deleted.content == b""
        assert client.get("/_emulator/requests").json()["requests"][-1]["status"] == 204


def test_keep_alive_reuses_one_connection(app: EmulatorApp) -> None:
    with running_server(app) as base_url, httpx.Client(base_url=base_url, headers=ACME) as client:
        for _ in range(5):
            assert client.get("/tines/acme/api/v1/teams").status_code == 200
        assert client.get("/tines/acme/api/v1/teams").http_version == "HTTP/1.1"


def test_64_concurrent_connections_all_succeed() -> None:
    app = make_app(SEED_WITH_EXISTING_OBJECTS)
    app.add_fault({"match": {"path": "/tines/*"}, "action": "latency", "ms": 100})

    def one_request(index: int) -> int:
        with httpx.Client(base_url=base_url, timeout=30) as client:
            if index % 2:
                return client.get(
                    "/tines/acme/api/v1/admin/sync_destinations", headers=ACME
                ).status_code
            body = {
                "name": f"sync {index}",
                "mode": "create",
                "fields": [
                    {
                        "source": {
                            "model_id": "6f0c5a0e-1b7d-4c8e-9a51-0d7c2b9e4a11",
                            "field": "f",
                        },
                        "target": "t",
                    }
                ],
                "schedule": {"frequency": "manual"},
                "target": {"connection_id": "6f0c5a0e-1b7d-4c8e-9a51-0d7c2b9e4a21", "object": "x"},
            }
            return client.post("/polytomic/api/syncs", headers=POLY, json=body).status_code

    with running_server(app) as base_url, ThreadPoolExecutor(max_workers=64) as pool:
        statuses = list(pool.map(one_request, range(64)))
    assert statuses.count(200) == 64
    assert len(app.snapshot()["polytomic"]["syncs"]) == 1 + 32
    assert len(app.request_log()) == 64


def test_drop_after_commit_closes_the_socket_without_a_response(app: EmulatorApp) -> None:
    app.add_fault({"match": {"method": "DELETE"}, "action": "drop_after_commit"})
    with running_server(app) as base_url, httpx.Client(base_url=base_url, headers=ACME) as client:
        with pytest.raises(httpx.RemoteProtocolError):
            client.delete("/tines/acme/api/v1/admin/sync_destinations/23")
        assert client.get("/tines/acme/api/v1/admin/sync_destinations/23").status_code == 404


def test_chunked_request_bodies_are_read(app: EmulatorApp) -> None:
    body = b'{"manual_sync_only": true}'
    with running_server(app) as base_url:
        host, port = base_url.removeprefix("http://").split(":")
        with socket.create_connection((host, int(port)), timeout=10) as conn:
            conn.sendall(
                b"PATCH /tines/acme/api/v1/admin/sync_destinations/23 HTTP/1.1\r\n"
                b"Host: x\r\nAuthorization: Bearer acme-token\r\n"
                b"Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n"
                b"Connection: close\r\n\r\n"
                + f"{len(body):x}".encode()
                + b"\r\n"
                + body
                + b"\r\n0\r\n\r\n"
            )
            reply = b""
            while chunk := conn.recv(65536):
                reply += chunk
    assert reply.startswith(b"HTTP/1.1 200")
    assert b'"manual_sync_only":true' in reply


def test_port_in_use_is_an_emulator_error(app: EmulatorApp) -> None:
    with running_server(app) as base_url:
        port = int(base_url.rsplit(":", 1)[1])
        with pytest.raises(EmulatorError):
            make_server(app, "127.0.0.1", port)


def _serve(tmp_path: Path, *args: str) -> tuple[subprocess.Popen[str], str]:
    process = subprocess.Popen(
        [sys.executable, "-m", "syncform", "emulator", "serve", "--port", "0", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=tmp_path,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    assert process.stdout is not None
    url = process.stdout.readline().strip()
    return process, url


def _stop(process: subprocess.Popen[str]) -> int:
    process.send_signal(signal.SIGINT)
    try:
        process.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
    return process.returncode


def test_cli_serve_prints_the_url_and_keeps_its_data_file(tmp_path: Path) -> None:
    seed = Path(__file__).resolve().parents[2] / "examples" / "emulator-seed.yaml"
    data = tmp_path / "emulator.json"
    process, url = _serve(tmp_path, "--seed", str(seed), "--data", str(data))
    try:
        assert url.startswith("http://127.0.0.1:")
        headers = {"Authorization": "Bearer acme-owner-demo-token"}
        deleted = httpx.delete(
            f"{url}/tines/acme/api/v1/admin/sync_destinations/24", headers=headers
        )
        assert deleted.status_code == 204
    finally:
        assert _stop(process) == 0
    assert data.exists()
    process, url = _serve(tmp_path, "--seed", str(seed), "--data", str(data))
    try:
        shown = httpx.get(f"{url}/tines/acme/api/v1/admin/sync_destinations/24", headers=headers)
        assert shown.status_code == 404
    finally:
        _stop(process)


def test_cli_error_rate_option(tmp_path: Path) -> None:
    process, url = _serve(tmp_path, "--error-rate", "1")
    try:
        response = httpx.get(
            f"{url}/tines/demo/api/v1/teams", headers={"Authorization": "Bearer tines-demo-token"}
        )
        assert response.status_code == 503
        assert httpx.get(f"{url}/_emulator/state").status_code == 200
    finally:
        _stop(process)


def test_cli_tines_sync_delay_option(tmp_path: Path) -> None:
    seed = Path(__file__).resolve().parents[2] / "examples" / "emulator-seed.yaml"
    process, url = _serve(tmp_path, "--seed", str(seed), "--tines-sync-delay", "3600")
    try:
        destination = f"{url}/tines/acme/api/v1/admin/sync_destinations/24"
        headers = {"Authorization": "Bearer acme-owner-demo-token"}
        assert httpx.post(f"{destination}/manual_sync", headers=headers).status_code == 200
        shown = httpx.get(destination, headers=headers).json()["sync_destination"]
        assert {s["status"] for s in shown["subscriptions"]} == {"requires_sync"}
    finally:
        _stop(process)
