from __future__ import annotations

from typing import Any

import httpx
import pytest

from syncform.core.errors import (
    AuthError,
    ClientError,
    ConflictError,
    NotFoundError,
    ProviderError,
    RateLimitedError,
    ServerError,
)
from syncform.http import RetryPolicy
from syncform.secrets.scrubber import Scrubber
from tests.kit.http import TOKEN, ScriptedServer, json_response, make_client


def error_for(vendor: str, response: httpx.Response, **options: Any) -> ProviderError:
    server = ScriptedServer(response)
    options.setdefault("retry", RetryPolicy(max_attempts=1))
    client, _ = make_client(server, vendor=vendor, **options)
    with pytest.raises(ProviderError) as caught:
        client.get("/api/things/1", params={"api_key": "query-secret"})
    return caught.value


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            {"errors": [{"message": "Story not found", "details": "id 9981"}]},
            "Story not found (id 9981)",
        ),
        ({"errors": [{"message": "a"}, {"message": "b"}]}, "a; b"),
        (
            ["team_id is required", "story_ids is invalid"],
            "team_id is required; story_ids is invalid",
        ),
        ({"error": "Forbidden for this key"}, "Forbidden for this key"),
        ({"message": "Owner only"}, "Owner only"),
    ],
)
def test_tines_error_shapes(body: Any, expected: str) -> None:
    error = error_for("tines", json_response(422, body))
    assert error.message.endswith(expected)
    assert error.message.startswith("GET /api/things/1: HTTP 422 Unprocessable")


def test_truto_envelope_with_failures() -> None:
    body = {
        "statusCode": 400,
        "error": "Bad Request",
        "message": "Validation failed",
        "details": {
            "failures": [
                {"path": ["config", "base_url"], "message": "Required"},
                {"field": "name", "message": "Too long"},
            ]
        },
    }
    error = error_for("truto", json_response(400, body))
    assert isinstance(error, ClientError)
    assert (
        "Validation failed (failures: config.base_url: Required; name: Too long)" in error.message
    )


def test_truto_failures_are_kept_brief() -> None:
    failures = [{"path": f"f{index}", "message": "bad"} for index in range(9)]
    body = {"statusCode": 400, "message": "Invalid", "details": {"failures": failures}}
    error = error_for("truto", json_response(400, body))
    assert "f4: bad; and 4 more" in error.message
    assert "f5" not in error.message


def test_truto_version_mismatch_is_a_conflict() -> None:
    body = {"statusCode": 400, "error": "Bad Request", "message": "Version mismatch: expected 4"}
    error = error_for("truto", json_response(400, body))
    assert isinstance(error, ConflictError)
    assert "Version mismatch" in error.message


def test_a_400_mentioning_version_is_only_a_conflict_for_truto() -> None:
    error = error_for("tines", json_response(400, {"message": "bad version"}))
    assert type(error) is ClientError


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            {"status": 422, "message": "invalid mode", "key": "validation_error", "metadata": {}},
            "invalid mode [validation_error]",
        ),
        (
            {"code": 401, "status": "Unauthorized", "error": "bad api key", "context": {}},
            "bad api key",
        ),
    ],
)
def test_polytomic_error_shapes(body: Any, expected: str) -> None:
    status = body["status"] if isinstance(body["status"], int) else body["code"]
    error = error_for("polytomic", json_response(status, body))
    assert error.message.endswith(expected)


def test_raw_text_is_the_fallback_and_whitespace_is_collapsed() -> None:
    error = error_for("tines", httpx.Response(500, text="<html>\n  Bad   gateway\n</html>"))
    assert isinstance(error, ServerError)
    assert error.message.endswith("<html> Bad gateway </html>")


def test_long_messages_are_truncated() -> None:
    error = error_for("truto", json_response(400, {"message": "x" * 5000}))
    assert len(error.message) < 600
    assert error.message.endswith("...")


@pytest.mark.parametrize(
    ("status", "error_class"),
    [
        (401, AuthError),
        (403, AuthError),
        (404, NotFoundError),
        (409, ConflictError),
        (429, RateLimitedError),
        (500, ServerError),
        (503, ServerError),
        (418, ClientError),
        (405, ClientError),
    ],
)
def test_status_maps_to_exception_class(status: int, error_class: type[ProviderError]) -> None:
    error = error_for("polytomic", json_response(status, {"message": "m"}))
    assert type(error) is error_class
    assert (error.status, error.method) == (status, "GET")


def test_message_names_the_path_but_not_the_query() -> None:
    error = error_for("tines", json_response(404, {"message": "gone"}))
    assert "/api/things/1" in error.message
    assert "query-secret" not in error.message
    assert error.url == "https://acme.tines.com/api/things/1"


def test_token_and_registered_secrets_are_scrubbed_from_error_messages() -> None:
    scrubber = Scrubber()
    scrubber.add("dr-tenant-key-777")
    body = {
        "errors": [
            {"message": f"token {TOKEN} is not allowed", "details": "key dr-tenant-key-777 bad"},
            {"message": "header was Authorization: Bearer someone-elses-token"},
        ]
    }
    error = error_for("tines", json_response(403, body), scrubber=scrubber)
    assert isinstance(error, AuthError)
    for secret in (TOKEN, "dr-tenant-key-777", "someone-elses-token"):
        assert secret not in error.message
        assert secret not in str(error)
    assert "token *** is not allowed" in error.message


def test_secrets_are_scrubbed_from_retry_exhaustion_and_transport_messages() -> None:
    server = ScriptedServer(httpx.ConnectError(f"cannot reach, token was {TOKEN}"))
    client, _ = make_client(server, retry=RetryPolicy(max_attempts=2, jitter=lambda c: c))
    with pytest.raises(ProviderError) as caught:
        client.get("/api/a")
    assert TOKEN not in str(caught.value)
    assert "***" in caught.value.message


def test_secret_in_a_request_path_is_scrubbed() -> None:
    server = ScriptedServer(json_response(404, {}))
    scrubber = Scrubber(("path-secret-42",))
    client, _ = make_client(server, scrubber=scrubber)
    with pytest.raises(NotFoundError) as caught:
        client.get("/api/keys/path-secret-42")
    assert "path-secret-42" not in caught.value.message
    assert caught.value.url is not None and "path-secret-42" not in caught.value.url
