"""Where things stand and what they are called: source locations and resource addresses."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

API_VERSION = "syncform/v1"


@dataclass(frozen=True, order=True)
class SourceLocation:
    """Where something stands in a file; line and column are 1-based (0 = unknown)."""

    file: str
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


@dataclass(frozen=True, order=True)
class Address:
    """The identity of a managed resource: Kind/name."""

    kind: str
    name: str

    def __str__(self) -> str:
        return f"{self.kind}/{self.name}"

    @classmethod
    def parse(cls, text: str) -> Address:
        kind, sep, name = text.partition("/")
        if not sep or not kind or not name:
            raise ValueError(f"not an address (Kind/name): {text!r}")
        return cls(kind, name)


def nearest_location(
    locations: Mapping[str, SourceLocation], pointer: str, default: SourceLocation
) -> SourceLocation:
    """The location of a JSON Pointer, or of its nearest located ancestor."""
    probe = pointer
    while probe:
        if probe in locations:
            return locations[probe]
        probe = probe.rsplit("/", 1)[0]
    return locations.get("", default)
