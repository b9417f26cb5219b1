"""Offline checks of a Tines sync destination manifest: a story listed twice."""

from __future__ import annotations

from collections.abc import Iterable

from syncform.core.canonical import canonical_json
from syncform.core.findings import Finding
from syncform.core.resources import Resource


def story_duplicates(resource: Resource) -> Iterable[Finding]:
    story_ids = resource.spec.get("story_ids")
    if not isinstance(story_ids, list):
        return
    seen: dict[str, int] = {}  # by canonical JSON: an item of the wrong type may be unhashable
    for index, story_id in enumerate(story_ids):
        first = seen.setdefault(canonical_json(story_id), index)
        if first != index:
            pointer = f"/spec/story_ids/{index}"
            message = f"story {story_id} is listed twice (also at index {first})"
            yield Finding(resource.location_of(pointer), "tines.duplicate-story", message, pointer)
