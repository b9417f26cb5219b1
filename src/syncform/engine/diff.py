"""The diff engine: what differs between a desired spec and the live object, field by field.

Rules (the only module that imports deepdiff):

- Declared fields only. A key the manifest does not set is not managed and never a change, except
  a key the last applied spec had and the manifest dropped: that is a change whose `after` is
  `None` (the removal), provided the live object still has a value there.
- Objects are compared on the keys the manifest declares, recursively (the APIs merge objects);
  an object the live side lacks is compared key by key against nothing, so a secret inside it is
  still judged by its digest (Truto strips credentials from what it returns).
- Lists are sent whole by every API, so a list is one managed value and its elements are opaque:
  they are compared exactly, keys the manifest does not set included (a secret inside a list
  element cannot be matched by digest and always shows as changed). By `x-list-type`:
  `set` ignores order and repeats (one change for the whole list); `map` matches elements by their
  key and reports `/list/<key>` (added or removed element) or `/list/<key>/<field>` (changed), never
  positions; `ordered` (the default) compares positionally (`/list/<index>`). A map list whose
  elements lack a key, or repeat one, is compared as ordered.
- Values compare as canonical JSON: `1 == 1.0`, key order is irrelevant, `true != 1`; a missing key
  equals `null`.
- Secrets (`SecretValue`) are compared by keyed hash only, with the `{"$digest": hex}` kept in the
  last applied spec (the live API never returns them): a new or different digest is a change with
  `sensitive=True` whose before/after are placeholders, never values.
- A `DeferredValue` (a `${ref:}` whose target does not exist yet) is always a change whose after is
  `(known after apply)`.
- `ignore`d pointers (`lifecycle.ignore_changes`, `*` wildcards) are erased from every side first.
- With no live object (a create) every declared top-level field is a change from `None`;
  `ignore_changes` does not apply to a create (as in Terraform).

Changes are sorted by path (list indexes numerically), so the output is deterministic.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from typing import Any

from syncform.core.canonical import canonical, canonical_json
from syncform.core.pointer import join_pointer, pointer_sort_key
from syncform.core.records import DIGEST_KEY, DeferredValue, SecretValue, is_digest_marker
from syncform.engine.ignore import erase_ignored, parse_patterns
from syncform.engine.plan import KNOWN_AFTER_APPLY, SENSITIVE, FieldChange
from syncform.engine.rules import MAP, SET, FieldRules, SchemaPath, SpecBoundRules, list_kind
from syncform.engine.values import contains_secret, display, has_record, keyed_elements

_MISSING: Any = object()
_NOT_PLAIN_LEAVES = (DeferredValue, SecretValue)


def diff_spec(
    desired: dict[str, Any],
    live: dict[str, Any] | None,
    last_applied: dict[str, Any] | None,
    rules: FieldRules,
    ignore: Sequence[str] = (),
) -> list[FieldChange]:
    """The changes that take `live` to `desired` (see the module docstring for the rules)."""
    if live is None:
        changes = [_creation_change(key, value) for key, value in desired.items()]
    else:
        patterns = parse_patterns(ignore)
        rules = SpecBoundRules(rules, desired)
        differ = _Differ(rules)
        changes = list(
            differ.diff_object(
                erase_ignored(desired, patterns, rules),
                erase_ignored(live, patterns, rules),
                erase_ignored(last_applied or {}, patterns, rules),
                (),
                "",
            )
        )
    return sorted(changes, key=lambda change: pointer_sort_key(change.path))


def _plain_text(value: Any) -> str | None:
    """Sorted-key JSON of plain JSON data (C-fast), or None for anything else (secrets, refs).

    Equal texts mean equal data of equal types (1 and 1.0, or 1 and true, differ), so the
    shapes compared by `_Differ.same` are equal too: the fast path for the usual unchanged field.
    """
    try:
        return _PLAIN_ENCODE(value)
    except (TypeError, ValueError):
        return None


def _same_plain_text(want: Any, have: Any) -> bool:
    text = _plain_text(want)
    return text is not None and text == _plain_text(have)


def _not_plain(value: Any) -> Any:
    raise TypeError(type(value).__name__)


# json.dumps(sort_keys=True, separators=(",", ":"), default=_not_plain), built once
_PLAIN_ENCODE = json.JSONEncoder(sort_keys=True, separators=(",", ":"), default=_not_plain).encode


def _unchanged_object(want: dict[str, Any], have: Any, had: Any) -> bool:
    """Whether `diff_object` would find no change, told at C speed: `have` is the same plain
    JSON as `want` (every declared key, list and set compares the same), and `had` names no key
    `want` lacks at any depth (nothing was dropped: it is no dict, or equal to `want`)."""
    if not isinstance(have, dict) or want != have or (isinstance(had, dict) and had != want):
        return False
    return _same_plain_text(want, have)


def _creation_change(key: str, value: Any) -> FieldChange:
    return FieldChange(join_pointer("", key), None, display(value), contains_secret(value))


def _shown(value: Any) -> Any:
    return None if value is _MISSING else display(value)


class _Differ:
    def __init__(self, rules: FieldRules) -> None:
        self.rules = rules

    def diff_object(
        self, want: dict[str, Any], have: dict[str, Any], had: Any, path: SchemaPath, pointer: str
    ) -> Iterator[FieldChange]:
        previous = had if isinstance(had, dict) else {}
        for key, value in want.items():
            yield from self.diff_value(
                value,
                have.get(key, _MISSING),
                previous.get(key, _MISSING),
                (*path, key),
                join_pointer(pointer, key),
            )
        for key, old in previous.items():
            if key not in want:
                yield from _dropped(have.get(key, _MISSING), old, join_pointer(pointer, key))

    def diff_value(
        self, want: Any, have: Any, had: Any, path: SchemaPath, pointer: str
    ) -> Iterator[FieldChange]:
        if isinstance(want, SecretValue):
            yield from _secret(want, had, pointer)
        elif isinstance(want, DeferredValue):
            yield FieldChange(pointer, _shown(have), KNOWN_AFTER_APPLY)
        elif isinstance(want, dict) and (isinstance(have, dict) or have in (_MISSING, None)):
            if _unchanged_object(want, have, had):
                return
            known = have if isinstance(have, dict) else {}
            yield from self.diff_object(want, known, had, path, pointer)
        elif isinstance(want, list) and isinstance(have, list):
            yield from self.diff_list(want, have, path, pointer)
        elif not self.same(want, have, path):
            yield FieldChange(pointer, _shown(have), display(want), contains_secret(want))

    def diff_list(
        self, want: list[Any], have: list[Any], path: SchemaPath, pointer: str
    ) -> Iterator[FieldChange]:
        if has_record(want, _NOT_PLAIN_LEAVES):  # contains_deferred or contains_secret
            yield FieldChange(pointer, display(have), display(want), contains_secret(want))
        elif _same_plain_text(want, have):
            return  # the same plain JSON text is the same list, whatever its list type
        elif list_kind(self.rules, path)[0] == SET:
            if not self.same(want, have, path):
                yield FieldChange(pointer, display(have), display(want))
        elif not self.same(want, have, path):
            yield from self.exact(want, have, path, pointer)

    def same(self, want: Any, have: Any, path: SchemaPath) -> bool:
        have = None if have is _MISSING else have
        if _same_plain_text(want, have):
            return True  # the same plain JSON text has the same shape
        return canonical_json(self.shape(want, path)) == canonical_json(self.shape(have, path))

    def shape(self, value: Any, path: SchemaPath) -> Any:
        """Canonical form for exact comparison: sets sorted and unique, map lists keyed."""
        if isinstance(value, dict):
            return {str(key): self.shape(item, (*path, str(key))) for key, item in value.items()}
        if not isinstance(value, list):
            return canonical(value)
        items = [self.shape(item, (*path, "*")) for item in value]
        list_type, keys = list_kind(self.rules, path)
        if list_type == SET:
            unique = {canonical_json(item): item for item in items}
            return [unique[text] for text in sorted(unique)]
        if list_type == MAP:
            keyed = keyed_elements(items, keys)
            if keyed is not None:
                return keyed
        return items

    def exact(self, want: Any, have: Any, path: SchemaPath, pointer: str) -> Iterator[FieldChange]:
        """Field-level changes between two opaque values, via deepdiff on their shapes."""
        after, before = self.shape(want, path), self.shape(have, path)
        found: dict[str, FieldChange] = {}
        # Imported on first use: most plans compare equal values only, and the import costs
        # every command about 35 ms.
        from deepdiff import DeepDiff  # noqa: PLC0415

        tree = DeepDiff(before, after, view="tree")
        for report in tree.values():
            for level in report:
                segments = self.trim(before, after, level.path(output_format="list"), path)
                if not segments:
                    change = FieldChange(pointer, display(have), display(want))
                else:
                    at = pointer
                    for segment in segments:
                        at = join_pointer(at, segment)
                    old, new = _value_at(before, segments), _value_at(after, segments)
                    change = FieldChange(at, _shown(old), _shown(new), contains_secret(new))
                found[change.path] = change
        yield from found.values()

    def trim(self, before: Any, after: Any, segments: list[Any], path: SchemaPath) -> list[str]:
        """The deepdiff path as pointer segments, cut where a set list starts (sets are whole)."""
        kept: list[str] = []
        sides = [after, before]
        schema = path
        for segment in segments:
            container = next((side for side in sides if isinstance(side, dict | list)), None)
            if container is None:
                break
            list_type, _ = list_kind(self.rules, schema)
            if isinstance(container, list) and list_type == SET:
                break
            keyed_map = isinstance(container, dict) and self.rules.list_type(schema) is not None
            step = "*" if isinstance(container, list) or keyed_map else str(segment)
            schema = (*schema, step)
            kept.append(str(segment))
            sides = [_step(side, segment) for side in sides]
        return kept


def _step(value: Any, segment: Any) -> Any:
    if isinstance(value, dict):
        return value.get(segment, _MISSING)
    if isinstance(value, list) and isinstance(segment, int) and segment < len(value):
        return value[segment]
    return _MISSING


def _value_at(value: Any, segments: list[str]) -> Any:
    for segment in segments:
        index: Any = int(segment) if isinstance(value, list) else segment
        value = _step(value, index)
    return value


def _secret(want: SecretValue, had: Any, pointer: str) -> Iterator[FieldChange]:
    last_digest = had[DIGEST_KEY] if is_digest_marker(had) else None
    if last_digest != want.digest:
        yield FieldChange(pointer, SENSITIVE if last_digest else None, SENSITIVE, True)


def _dropped(have: Any, had: Any, pointer: str) -> Iterator[FieldChange]:
    """A key the last apply set and the manifest no longer declares."""
    if is_digest_marker(had):
        yield FieldChange(pointer, SENSITIVE, None, True)
    elif have is not _MISSING and have is not None:
        yield FieldChange(pointer, display(have), None)
