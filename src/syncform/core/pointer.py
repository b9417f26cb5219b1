"""JSON Pointers (RFC 6901), the one implementation: escape, join, split, order, walk.

The walkers collect into one list (no generator per level) and escape a segment only when it
holds `~` or `/`. Pick the cheapest that gives what the caller uses:

- `iter_leaves(value, pointer)`: (pointer, leaf) for every leaf (neither dict nor list/tuple);
- `has_leaf(value, types)`: whether any leaf is an instance of `types` (stops at the first);
- `iter_strings(value, pointer)`: (pointer, string) for every string leaf;
- `iter_strings_containing(value, needle, pointer)`: (pointer, string) for the string leaves
  that contain `needle` (`"${"` for a reference scan); a pointer is built only for those;
- `copy_tree(value)`: `map_leaves` with the identity, without pointers;
- `plain_bytes(value)`: whether `value` is plain data (its marshal bytes), at C speed.
"""

from __future__ import annotations

import marshal
from collections.abc import Callable, Iterator
from typing import Any

_CONTAINERS = (dict, list, tuple)
_SEQUENCES = (list, tuple)


def escape_segment(segment: str) -> str:
    """One JSON Pointer segment: `~` -> `~0`, `/` -> `~1`."""
    if "~" in segment:
        segment = segment.replace("~", "~0")
    if "/" in segment:
        segment = segment.replace("/", "~1")
    return segment


def unescape_segment(segment: str) -> str:
    if "~" not in segment:
        return segment
    return segment.replace("~1", "/").replace("~0", "~")


def _segment(segment: Any) -> str:
    """A dict key or list index as one escaped segment."""
    text = segment if type(segment) is str else str(segment)
    if "~" in text or "/" in text:
        return text.replace("~", "~0").replace("/", "~1")
    return text


def join_pointer(pointer: str, segment: str | int) -> str:
    return pointer + "/" + _segment(segment)


def pointer_of(segments: tuple[str | int, ...] | list[str] | list[str | int]) -> str:
    """`("a", "b/c", 0)` -> `"/a/b~1c/0"`; no segments is the root `""`."""
    return "".join("/" + _segment(segment) for segment in segments)


def split_pointer(pointer: str) -> list[str]:
    """`"/a/b~1c"` -> `["a", "b/c"]`; the root `""` -> `[]`. Raises on text that is no pointer."""
    if not pointer:
        return []
    if not pointer.startswith("/"):
        raise ValueError(f"not a JSON Pointer: {pointer!r}")
    parts = pointer.split("/")[1:]
    if "~" not in pointer:
        return parts
    return [unescape_segment(part) for part in parts]


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


def _collect_leaves_at(value: Any, pointer: str, into: list[tuple[str, Any]]) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, _CONTAINERS):
                _collect_leaves_at(item, pointer + "/" + _segment(key), into)
            else:
                into.append((pointer + "/" + _segment(key), item))
    else:
        for index, item in enumerate(value):
            if isinstance(item, _CONTAINERS):
                _collect_leaves_at(item, f"{pointer}/{index}", into)
            else:
                into.append((f"{pointer}/{index}", item))


def iter_leaves(value: Any, pointer: str = "") -> Iterator[tuple[str, Any]]:
    """Every value that is neither a dict nor a list (nor a tuple), with its JSON Pointer,
    depth first in document order. (The walk is done before the first item is yielded.)"""
    if not isinstance(value, _CONTAINERS):
        return iter(((pointer, value),))
    found: list[tuple[str, Any]] = []
    _collect_leaves_at(value, pointer, found)
    return iter(found)


def has_leaf(value: Any, types: type | tuple[type, ...]) -> bool:
    """Whether any leaf below `value` is an instance of `types` (stops at the first)."""
    if not isinstance(value, _CONTAINERS):
        return isinstance(value, types)
    stack = [value]
    while stack:
        current = stack.pop()
        for item in current.values() if isinstance(current, dict) else current:
            if isinstance(item, _CONTAINERS):
                stack.append(item)
            elif isinstance(item, types):
                return True
    return False


def _collect_strings_at(value: Any, pointer: str, into: list[tuple[str, str]]) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, str):
                into.append((pointer + "/" + _segment(key), item))
            elif isinstance(item, _CONTAINERS):
                _collect_strings_at(item, pointer + "/" + _segment(key), into)
    else:
        for index, item in enumerate(value):
            if isinstance(item, str):
                into.append((f"{pointer}/{index}", item))
            elif isinstance(item, _CONTAINERS):
                _collect_strings_at(item, f"{pointer}/{index}", into)


def iter_strings(data: Any, pointer: str = "") -> Iterator[tuple[str, str]]:
    """(JSON Pointer, string) for every string value below `data`, in document order. Use
    `iter_strings_containing` when only a few strings matter."""
    if not isinstance(data, _CONTAINERS):
        return iter(((pointer, data),) if isinstance(data, str) else ())
    found: list[tuple[str, str]] = []
    _collect_strings_at(data, pointer, found)
    return iter(found)


def plain_bytes(value: Any) -> bytes | None:
    """`marshal`'s bytes for `value` when it holds builtin values only (exact dicts, lists,
    tuples, strings, numbers, booleans, None), each string written as its UTF-8 bytes; None
    when it holds anything else (a subclass, a record), or nests too deep. Tells plain data
    apart at C speed."""
    try:
        return marshal.dumps(value)
    except ValueError:
        return None


_WORTH_A_LOOK = 8  # a smaller container is walked without being marshalled first


def _may_contain(container: Any, needle: bytes) -> bool:
    """False when no string (or key) below `container` can contain `needle`."""
    written = plain_bytes(container)
    return written is None or needle in written


def _collect_containing(
    value: Any,
    needle: str,
    encoded: bytes,
    path: list[Any],
    into: list[tuple[tuple[Any, ...], str]],
) -> None:
    for key, item in value.items() if isinstance(value, dict) else enumerate(value):
        if isinstance(item, str):
            if needle in item:
                into.append(((*path, key), item))
        elif isinstance(item, _CONTAINERS):
            if len(item) >= _WORTH_A_LOOK and not _may_contain(item, encoded):
                continue
            path.append(key)
            _collect_containing(item, needle, encoded, path, into)
            path.pop()


def iter_strings_containing(data: Any, needle: str, pointer: str = "") -> Iterator[tuple[str, str]]:
    """(JSON Pointer, string) for every string below `data` that contains `needle`, in
    document order: `iter_strings` filtered, but a pointer is built only for a match. A
    `${...}` reference scan passes `"${"`.

    Most data holds no match, so a container (the whole of `data`, then each large one below)
    is first looked at whole through `plain_bytes`: when its bytes do not contain the needle's,
    no string below does. A container that is not plain data is walked."""
    if not isinstance(data, _CONTAINERS):
        return iter(((pointer, data),) if isinstance(data, str) and needle in data else ())
    encoded = needle.encode("utf-8", "surrogatepass")
    if not _may_contain(data, encoded):
        return iter(())
    found: list[tuple[tuple[Any, ...], str]] = []
    _collect_containing(data, needle, encoded, [], found)
    return iter((pointer + pointer_of(path), text) for path, text in found)


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


def copy_tree(value: Any) -> Any:
    """`map_leaves` with the identity, without pointers: dicts rebuilt, lists and tuples rebuilt
    as lists, every leaf kept as it is."""
    if isinstance(value, dict):
        return {key: _copied_item(item) for key, item in value.items()}
    if isinstance(value, _SEQUENCES):
        return [_copied_item(item) for item in value]
    return value


def _copied_item(value: Any) -> Any:
    kind = type(value)
    if kind is str or kind is int or kind is bool or kind is float or value is None:
        return value
    return copy_tree(value)


def map_leaves(value: Any, transform: Callable[[str, Any], Any], pointer: str = "") -> Any:
    """A copy of `value` with every leaf (neither dict nor list) replaced by
    `transform(pointer, leaf)`; dicts and lists (tuples too) are rebuilt around them."""
    if isinstance(value, dict):
        return {
            key: map_leaves(item, transform, pointer + "/" + _segment(key))
            for key, item in value.items()
        }
    if isinstance(value, list | tuple):
        return [
            map_leaves(item, transform, pointer + "/" + _segment(index))
            for index, item in enumerate(value)
        ]
    return transform(pointer, value)
