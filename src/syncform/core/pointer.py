"""JSON Pointers (RFC 6901), the one implementation: escape, join, split, order, walk."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any


def escape_segment(segment: str) -> str:
    """One JSON Pointer segment: `~` -> `~0`, `/` -> `~1`."""
    return segment.replace("~", "~0").replace("/", "~1")


def unescape_segment(segment: str) -> str:
    return segment.replace("~1", "/").replace("~0", "~")


def join_pointer(pointer: str, segment: str | int) -> str:
    return f"{pointer}/{escape_segment(str(segment))}"


def pointer_of(segments: tuple[str | int, ...] | list[str] | list[str | int]) -> str:
    """`("a", "b/c", 0)` -> `"/a/b~1c/0"`; no segments is the root `""`."""
    return "".join("/" + escape_segment(str(segment)) for segment in segments)


def split_pointer(pointer: str) -> list[str]:
    """`"/a/b~1c"` -> `["a", "b/c"]`; the root `""` -> `[]`. Raises on text that is no pointer."""
    if not pointer:
        return []
    if not pointer.startswith("/"):
        raise ValueError(f"not a JSON Pointer: {pointer!r}")
    return [unescape_segment(part) for part in pointer.split("/")[1:]]


def pointer_sort_key(pointer: str) -> tuple[tuple[int, int, str], ...]:
    """Orders pointers segment by segment, list indexes numerically."""
    return tuple(
        (0, int(part), "") if part.isdigit() else (1, 0, part) for part in split_pointer(pointer)
    )


def value_at(value: Any, segments: list[str]) -> tuple[bool, Any]:
    """(found, value) at the pointer segments; list segments are indexes."""
    current = value
    for segment in segments:
        if isinstance(current, dict) and segment in current:
            current = current[segment]
        elif isinstance(current, list) and segment.isdigit() and int(segment) < len(current):
            current = current[int(segment)]
        else:
            return False, None
    return True, current


def iter_leaves(value: Any, pointer: str = "") -> Iterator[tuple[str, Any]]:
    """Every value that is neither a dict nor a list, with its JSON Pointer."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from iter_leaves(item, join_pointer(pointer, key))
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            yield from iter_leaves(item, join_pointer(pointer, index))
    else:
        yield pointer, value


def iter_strings(data: Any, pointer: str = "") -> Iterator[tuple[str, str]]:
    """(JSON Pointer, string) for every string value below `data`."""
    for where, leaf in iter_leaves(data, pointer):
        if isinstance(leaf, str):
            yield where, leaf


def expand(value: Any, pattern: list[str], prefix: tuple[str, ...] = ()) -> Iterator[list[str]]:
    """The concrete segments in `value` that match `pattern`, where `*` is any key or index."""
    if not pattern:
        yield list(prefix)
        return
    head, rest = pattern[0], pattern[1:]
    if head != "*":
        yield from expand(value_at(value, [head])[1], rest, (*prefix, head))
    elif isinstance(value, dict):
        for key in value:
            yield from expand(value[key], rest, (*prefix, str(key)))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from expand(item, rest, (*prefix, str(index)))


def values_matching(value: Any, pointer_pattern: str) -> list[Any]:
    """Every value in `value` at a place matching the pattern (`*` = any key or index)."""
    found = []
    for segments in expand(value, split_pointer(pointer_pattern)):
        present, item = value_at(value, segments)
        if present:
            found.append(item)
    return found


def map_leaves(value: Any, transform: Callable[[str, Any], Any], pointer: str = "") -> Any:
    """A copy of `value` with every leaf (neither dict nor list) replaced by
    `transform(pointer, leaf)`; dicts and lists (tuples too) are rebuilt around them."""
    if isinstance(value, dict):
        return {
            key: map_leaves(item, transform, join_pointer(pointer, key))
            for key, item in value.items()
        }
    if isinstance(value, list | tuple):
        return [
            map_leaves(item, transform, join_pointer(pointer, index))
            for index, item in enumerate(value)
        ]
    return transform(pointer, value)
