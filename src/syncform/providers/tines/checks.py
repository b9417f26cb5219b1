"""Offline checks of a Tines sync destination manifest: a story listed twice."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from syncform.core.findings import Finding
from syncform.core.resources import Resource


def story_duplicates(resource: Resource) -> Iterable[Finding]:
    story_ids = resource.spec.get("story_ids")
    if not isinstance(story_ids, list):
        return
    seen: dict[Any, int] = {}
    for index, story_id in enumerate(story_ids):
        if story_id in seen:
            pointer = f"/spec/story_ids/{index}"
            message = f"story {story_id} is listed twice (also at index {seen[story_id]})"
            yield Finding(resource.location_of(pointer), "tines.duplicate-story", message, pointer)
        else:
            seen[story_id] = index
