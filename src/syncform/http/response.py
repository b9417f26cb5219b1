"""The response records of the HTTP layer (plain data, no httpx types) and JSON parsing."""

from __future__ import annotations

import json as jsonlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

MAX_JSON_DEPTH = 100  # arrays and objects inside each other; real vendor bodies stay far below


class JsonTooDeep(Exception):
    """A body whose arrays and objects nest deeper than `MAX_JSON_DEPTH`; the client names the
    endpoint. Parsed as it is, such a body would end in a `RecursionError` here or later."""


@dataclass(frozen=True)
class ReceivedResponse:
    """Any response as received: status, lower-case header names and the decoded body text."""

    status: int
    headers: Mapping[str, str]
    text: str


@dataclass(frozen=True)
class ApiResponse:
    """A successful (2xx) response. Header names are lower-case; `json` is the parsed body,
    or None when the body is empty or not JSON."""

    status: int
    headers: Mapping[str, str]
    json: Any
    text: str

    @classmethod
    def from_received(cls, received: ReceivedResponse) -> ApiResponse:
        """Raises `JsonTooDeep` for a body nested past `MAX_JSON_DEPTH`."""
        return cls(
            status=received.status,
            headers=received.headers,
            json=parse_json(received.text),
            text=received.text,
        )


def parse_json(text: str) -> Any:
    """The parsed body, or None when it is empty or not JSON; `JsonTooDeep` when it nests
    deeper than `MAX_JSON_DEPTH`."""
    if not text.strip():
        return None
    try:
        parsed = jsonlib.loads(text)
    except RecursionError:
        raise JsonTooDeep(f"nested deeper than {MAX_JSON_DEPTH} levels") from None
    except ValueError:
        return None
    if json_depth(parsed) > MAX_JSON_DEPTH:
        raise JsonTooDeep(f"nested deeper than {MAX_JSON_DEPTH} levels")
    return parsed


def json_depth(value: Any) -> int:
    """How many arrays and objects nest inside each other in `value` (0 for a scalar), as
    parsed JSON holds them (plain dicts and lists). Level by level, so any depth is measured
    without recursion, and each level keeps only its containers: a leaf costs one type test."""
    depth, level = 0, [value] if value.__class__ in _CONTAINERS else []
    while level:
        depth += 1
        below: list[Any] = []
        for item in level:
            children = item.values() if item.__class__ is dict else item
            below += [child for child in children if child.__class__ in _CONTAINERS]
        level = below
    return depth


_CONTAINERS = (dict, list)
