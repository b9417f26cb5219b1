"""The response record a client returns: plain data, no httpx types."""

from __future__ import annotations

import json as jsonlib
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

import httpx


@dataclass(frozen=True)
class ApiResponse:
    """A successful (2xx) response. Header names are lower-case; `json` is the parsed body,
    or None when the body is empty or not JSON."""

    status: int
    headers: Mapping[str, str]
    json: Any
    text: str

    @classmethod
    def from_httpx(cls, response: httpx.Response) -> ApiResponse:
        text = response.text
        return cls(
            status=response.status_code,
            headers=MappingProxyType({k.lower(): v for k, v in response.headers.items()}),
            json=parse_json(text),
            text=text,
        )


def parse_json(text: str) -> Any:
    """The parsed body, or None when it is empty or not JSON."""
    if not text.strip():
        return None
    try:
        return jsonlib.loads(text)
    except ValueError:
        return None
