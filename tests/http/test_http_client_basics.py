from __future__ import annotations

import logging

import httpx
import pytest

from syncform import __version__
from syncform.core.errors import ConfigError, ProviderError, ReadOnlyViolation
from syncform.http import ApiClient, ApiResponse
from syncform.providers.registry import vendor_named
from syncform.providers.tines.http import TINES
from tests.kit.http import TOKEN, ScriptedServer, json_response, make_client


@pytest.mark.parametrize("vendor", ["tines", "truto", "polytomic"])
def test_every_vendor_gets_bearer_auth_user_agent_and_accept(vendor: str) -> None:
    server = ScriptedServer()
    client, _ = make_client(server, vendor=vendor)
    client.get("/api/x")
    sent = server.requests[0].headers
    assert sent["authorization"] == f"Bearer {TOKEN}"
    assert sent["user-agent"] == f"syncform/{__version__}"
    assert sent["accept"] == "application/json"
    assert ("x-polytomic-version" in sent) == (vendor == "polytomic")


def test_polytomic_version_defaults_and_can_be_pinned() -> None:
    server = ScriptedServer()
    default, _ = make_client(server, vendor="polytomic")
    pinned, _ = make_client(server, vendor="polytomic", api_version="2024-02-08")
    default.get("/api/syncs")
    pinned.get("/api/syncs")
    versions = [request.headers["x-polytomic-version"] for request in server.requests]
    assert versions == ["2025-09-18", "2024-02-08"]


def test_no_token_sends_no_authorization_header() -> None:
    server = ScriptedServer()
    client, _ = make_client(server, token=None)
    client.get("/api/v1/info")
    assert "authorization" not in server.requests[0].headers


def test_response_record_carries_status_headers_json_and_text() -> None:
    server = ScriptedServer(json_response(201, {"id": 7}, {"X-Echo": "yes"}))
    client, _ = make_client(server)
    response = client.post("/api/v1/admin/sync_destinations", json={"team_id": 7})
    assert response == ApiResponse(201, response.headers, {"id": 7}, '{"id": 7}')
    assert response.headers["x-echo"] == "yes"
    assert server.requests[0].content == b'{"team_id":7}'


def test_empty_or_non_json_body_gives_json_none() -> None:
    server = ScriptedServer(httpx.Response(204), httpx.Response(200, text="plain words"))
    client, _ = make_client(server)
    assert client.delete("/api/v1/x/1", json={"keep_stories": True}).json is None
    assert client.get("/api/v1/x").text == "plain words"
    assert server.requests[0].content == b'{"keep_stories":true}'


def test_base_url_path_prefix_is_kept_and_params_are_sent() -> None:
    server = ScriptedServer()
    client, _ = make_client(server, base_url="http://127.0.0.1:8080/tines/acme/")
    client.get("/api/v1/teams", params={"page": 2, "per_page": 500})
    url = server.requests[0].url
    assert (url.host, url.port, url.path) == ("127.0.0.1", 8080, "/tines/acme/api/v1/teams")
    assert dict(url.params) == {"page": "2", "per_page": "500"}


@pytest.mark.parametrize(
    "path",
    [
        "https://evil.example/api",
        "http://acme.tines.com/api",
        "//evil.example/api",
        "api/v1/teams",
        "/tines/../../other/api",
        "/%2e%2e/other",
        "/api v1",
        "/api\\evil",
        "",
    ],
)
def test_paths_that_could_leave_the_base_url_are_refused_before_sending(path: str) -> None:
    server = ScriptedServer()
    client, _ = make_client(server, base_url="http://127.0.0.1:8080/tines/acme")
    with pytest.raises(ProviderError):
        client.get(path)
    assert server.requests == []


def test_redirect_is_not_followed_and_names_the_target_origin() -> None:
    server = ScriptedServer(
        httpx.Response(302, headers={"location": "https://evil.example:8443/steal?token=abc"})
    )
    client, _ = make_client(server)
    with pytest.raises(ProviderError) as caught:
        client.get("/api/v1/teams")
    assert "https://evil.example:8443" in caught.value.message
    assert "/steal" not in caught.value.message
    assert caught.value.status == 302
    assert [request.url.host for request in server.requests] == ["acme.tines.com"]


@pytest.mark.parametrize(
    "url",
    [
        "https://acme.tines.com",
        "http://127.0.0.1:8080/tines",
        "http://localhost:9000",
        "http://[::1]:9000/x",
    ],
)
def test_https_and_loopback_http_are_accepted(url: str) -> None:
    ApiClient(url, vendor=TINES, token=TOKEN).close()


@pytest.mark.parametrize(
    "url",
    [
        "http://acme.tines.com",
        "http://10.0.0.5:8080",
        "ftp://acme.tines.com",
        "https://user:pw@acme.tines.com",
        "https://acme.tines.com/?token=x",
        "not a url",
    ],
)
def test_other_base_urls_are_refused(url: str) -> None:
    with pytest.raises(ConfigError):
        ApiClient(url, vendor=TINES, token=TOKEN)


def test_unknown_vendor_and_bad_token_are_config_errors_that_hide_the_token() -> None:
    with pytest.raises(ConfigError):
        vendor_named("zapier")
    with pytest.raises(ConfigError) as caught:
        ApiClient("https://a.example", vendor=TINES, token="abc\r\nX-Evil: 1")
    assert "abc" not in caught.value.message
    with pytest.raises(ConfigError, match="non-ASCII") as caught:
        ApiClient("https://a.example", vendor=TINES, token="tökén-abc")
    assert "abc" not in caught.value.message


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
def test_read_only_client_refuses_mutations_before_sending(method: str) -> None:
    server = ScriptedServer()
    client, _ = make_client(server, read_only=True)
    with pytest.raises(ReadOnlyViolation) as caught:
        client.request(method, "/api/v1/admin/sync_destinations/1", json={"a": 1})
    with pytest.raises(ReadOnlyViolation):
        getattr(client, method.lower())("/api/v1/admin/sync_destinations/1")
    assert method in caught.value.message
    assert server.requests == []
    assert client.counters.requests_sent == 0
    client.get("/api/v1/admin/sync_destinations")
    assert [request.method for request in server.requests] == ["GET"]


def test_caller_cannot_override_auth_or_version_headers() -> None:
    server = ScriptedServer()
    client, _ = make_client(server, vendor="polytomic")
    for name in ("Authorization", "X-Polytomic-Version", "Host"):
        with pytest.raises(ProviderError):
            client.post("/api/syncs", json={}, headers={name: "x"})
    assert server.requests == []


def test_closed_client_refuses_and_context_manager_closes() -> None:
    server = ScriptedServer()
    client, _ = make_client(server)
    with client as same:
        same.get("/api/a")
    with pytest.raises(ProviderError, match="closed"):
        client.get("/api/b")
    assert len(server.requests) == 1


def test_unknown_method_is_refused() -> None:
    server = ScriptedServer()
    client, _ = make_client(server)
    with pytest.raises(ProviderError, match="unsupported"):
        client.request("TRACE", "/api")
    assert server.requests == []


def test_debug_log_names_method_path_status_but_no_secrets(
    caplog: pytest.LogCaptureFixture,
) -> None:
    server = ScriptedServer(json_response(200, {"secret": TOKEN}))
    client, _ = make_client(server)
    with caplog.at_level(logging.DEBUG, logger="syncform.http"):
        client.get("/api/v1/teams", params={"q": "hidden-query"})
    lines = [record.getMessage() for record in caplog.records if record.name == "syncform.http"]
    assert len(lines) == 1
    assert "GET /api/v1/teams -> 200" in lines[0]
    assert TOKEN not in lines[0]
    assert "hidden-query" not in lines[0]
