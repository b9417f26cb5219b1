"""A desired resource: one manifest document after loading and envelope checks."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from syncform.core.address import Address, SourceLocation, nearest_location


@dataclass(frozen=True)
class Lifecycle:
    protect: bool = False
    ignore_changes: tuple[str, ...] = ()
    create_before_destroy: bool = False
    keep_stories_on_delete: bool = False


@dataclass(frozen=True)
class Resource:
    """What a manifest asks for.

    `spec` is the manifest's spec as plain JSON-like data; reference strings such as
    `${env:NAME}`, `${file:PATH}` and `${ref:Kind/name.field}` stay verbatim until resolution.
    `locations` maps JSON Pointers inside the document ("/spec/story_ids/1") to where they stand
    (a manifest's are worked out on first use).
    """

    address: Address
    connection: str | None
    spec: dict[str, Any]
    lifecycle: Lifecycle = Lifecycle()
    depends_on: tuple[Address, ...] = ()
    import_id: str | None = None  # metadata.importId: adopt this remote object when not in state
    location: SourceLocation = field(default_factory=lambda: SourceLocation("<memory>"))
    locations: Mapping[str, SourceLocation] = field(default_factory=dict, compare=False, repr=False)

    @property
    def kind(self) -> str:
        return self.address.kind

    @property
    def name(self) -> str:
        return self.address.name

    def location_of(self, pointer: str) -> SourceLocation:
        """The nearest known location of a JSON Pointer inside this document."""
        return nearest_location(self.locations, pointer, self.location)
