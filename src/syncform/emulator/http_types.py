"""The framework-free request and response records the emulator core speaks."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

JsonObject = dict[str, Any]
HEADER_NAME = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")  # an RFC 9110 token
HEADER_VALUE_FORBIDDEN = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")  # controls but tab


@dataclass(frozen=True)
class EmulatorRequest:
    """One HTTP request as the app sees it; header names are lower-case."""

    method: str
    path: str
    query: dict[str, list[str]] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    origin: str = "http://emulator"

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())

    def param(self, name: str) -> str | None:
        values = self.query.get(name)
        return values[-1] if values else None


@dataclass(frozen=True)
class EmulatorResponse:
    """One HTTP response: status, headers (name -> value) and raw body bytes."""

    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""

    def with_headers(self, extra: dict[str, str]) -> EmulatorResponse:
        return EmulatorResponse(self.status, {**self.headers, **extra}, self.body)

    def json(self) -> Any:
        return json.loads(self.body) if self.body else None


class ConnectionDropped(Exception):
    """The change was committed but the connection must close without a response."""


class VendorError(Exception):
    """An API error a vendor module renders in its own error shape."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        details: Any = None,
        key: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.details = details
        self.key = key
        self.headers = headers or {}


def json_response(
    status: int, payload: Any, headers: dict[str, str] | None = None
) -> EmulatorResponse:
    body = json.dumps(payload, separators=(",", ":")).encode()
    return EmulatorResponse(
        status, {"Content-Type": "application/json; charset=utf-8", **(headers or {})}, body
    )


def empty_response(status: int, headers: dict[str, str] | None = None) -> EmulatorResponse:
    return EmulatorResponse(status, dict(headers or {}), b"")


def read_json_body(request: EmulatorRequest, *, required: bool = True) -> Any:
    """Parse the body as JSON; a missing body is None unless required."""
    if not request.body.strip():
        if required:
            raise VendorError(400, "A JSON request body is required")
        return None
    content_type = (request.header("content-type") or "").lower()
    if "json" not in content_type:
        raise VendorError(400, "Request body must be sent as Content-Type: application/json")
    try:
        return json.loads(request.body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise VendorError(400, f"Malformed JSON body: {exc}") from exc


def read_json_object(request: EmulatorRequest) -> JsonObject:
    payload = read_json_body(request)
    if not isinstance(payload, dict):
        raise VendorError(400, "The JSON body must be an object")
    return payload


def bearer_token(request: EmulatorRequest) -> str | None:
    value = request.header("authorization")
    if not value:
        return None
    scheme, _, token = value.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


def header_problem(name: str, value: str) -> str | None:
    """Why a header cannot be sent as it is (CR/LF would split the response), or None."""
    if not HEADER_NAME.fullmatch(name):
        return f"header name {name[:40]!r} must be a token (letters, digits, !#$%&'*+-.^_`|~)"
    if HEADER_VALUE_FORBIDDEN.search(value):
        return f"header {name} has a control character (CR, LF, NUL...) in its value"
    return None
