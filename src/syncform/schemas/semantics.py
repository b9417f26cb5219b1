"""Per-field semantics of a kind, read from the extension keywords of its spec schema.

A field path is a tuple of keys from the spec's root. In the rules, `"*"` stands for a list item
or any map key, `"**"` for any number of segments (recursive schemas) and `"/regex/"` for the
keys matched by a `patternProperties` entry. Concrete paths passed to the methods may hold list
indices ("0") or `"*"`.

Rules found under an `if`/`then`/`else` carry the condition; methods that take a `spec` honour
it (e.g. TrutoSyncJob `resources` is a map keyed by name only when default_runtime_version is 4).
Without a spec every branch counts, and the first rule found wins.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cache, cached_property
from typing import Any

from syncform.core.pointer import split_pointer
from syncform.schemas import spec_schema
from syncform.schemas.validation import is_valid

Path = tuple[str, ...]
ANY = "*"
ANY_DEPTH = "**"


@dataclass(frozen=True)
class Condition:
    """Holds when the value at `at` validates against `if_schema` (JSON text) as `expect`."""

    at: Path
    if_schema: str
    expect: bool

    def holds(self, spec: Mapping[str, Any]) -> bool:
        value: Any = spec
        for key in self.at:
            if key == ANY or not isinstance(value, Mapping) or key not in value:
                return True  # cannot tell: count both branches
            value = value[key]
        return is_valid(value, json.loads(self.if_schema)) is self.expect


@dataclass(frozen=True)
class FieldRule:
    path: Path
    immutable: bool = False
    list_type: str | None = None
    map_keys: tuple[str, ...] = ()
    secret: bool = False
    read_only: bool = False
    write_only: bool = False
    opaque: bool = False
    when: tuple[Condition, ...] = ()

    def applies(self, spec: Mapping[str, Any] | None) -> bool:
        return spec is None or all(c.holds(spec) for c in self.when)


@dataclass(frozen=True)
class KindSemantics:
    kind: str
    natural_key: tuple[str, ...]
    rules: tuple[FieldRule, ...] = field(repr=False)

    def _matching(self, path: Sequence[str], spec: Mapping[str, Any] | None) -> Iterator[FieldRule]:
        concrete = tuple(str(part) for part in path)
        # The path test is cheap; applies() may validate the spec against a schema.
        return (r for r in self.rules if path_matches(r.path, concrete) and r.applies(spec))

    def _flag_on_prefix(
        self, path: Sequence[str], flag: str, spec: Mapping[str, Any] | None
    ) -> bool:
        """Whether `path` or one of its ancestors carries `flag`."""
        concrete = tuple(str(part) for part in path)
        return any(rule.applies(spec) for rule in self._rules_on_prefix(flag, concrete))

    def _rules_on_prefix(self, flag: str, concrete: tuple[str, ...]) -> tuple[FieldRule, ...]:
        """The rules carrying `flag` whose path matches `concrete` or one of its ancestors.
        Paths repeat across documents and list items, so each is worked out once."""
        key = (flag, concrete)
        found = self._prefix_rules.get(key)
        if found is None:
            flagged = [rule for rule in self.rules if getattr(rule, flag)]
            found = tuple(
                rule
                for size in range(1, len(concrete) + 1)
                for rule in flagged
                if path_matches(rule.path, concrete[:size])
            )
            self._prefix_rules[key] = found
        return found

    @cached_property
    def _prefix_rules(self) -> dict[tuple[str, tuple[str, ...]], tuple[FieldRule, ...]]:
        return {}

    def is_immutable(self, path: Sequence[str], spec: Mapping[str, Any] | None = None) -> bool:
        return self._flag_on_prefix(path, "immutable", spec)

    def is_secret(self, path: Sequence[str], spec: Mapping[str, Any] | None = None) -> bool:
        return self._flag_on_prefix(path, "secret", spec)

    def is_read_only(self, path: Sequence[str], spec: Mapping[str, Any] | None = None) -> bool:
        return self._flag_on_prefix(path, "read_only", spec)

    def is_write_only(self, path: Sequence[str], spec: Mapping[str, Any] | None = None) -> bool:
        """Never returned by the API (writeOnly or x-write-only-on-read): not diffable by value."""
        return self._flag_on_prefix(path, "write_only", spec)

    def list_type(
        self, path: Sequence[str], spec: Mapping[str, Any] | None = None
    ) -> tuple[str, tuple[str, ...]] | None:
        """("ordered" | "set" | "map", map keys) for a list field, None when not declared."""
        for rule in self._matching(path, spec):
            if rule.list_type:
                return rule.list_type, rule.map_keys
        return None

    def secret_paths(self) -> tuple[Path, ...]:
        return tuple(sorted({r.path for r in self.rules if r.secret}))

    def immutable_paths(self) -> tuple[Path, ...]:
        return tuple(sorted({r.path for r in self.rules if r.immutable}))

    def pointer_can_match(self, pointer: str) -> bool:
        """Whether a `lifecycle.ignore_changes` JSON Pointer can match a field of the spec.

        `*` matches any key or index. Anything under an opaque object matches. The empty pointer
        (the whole spec) does not.
        """
        if not pointer.startswith("/"):
            return False
        parts = tuple(split_pointer(pointer))
        for rule in self.rules:
            if path_matches(rule.path, parts, wildcards=True):
                return True
            if rule.opaque and any(
                path_matches(rule.path, parts[:size], wildcards=True) for size in range(len(parts))
            ):
                return True
        return False


def path_matches(pattern: Sequence[str], path: Sequence[str], wildcards: bool = False) -> bool:
    """Whether a rule path (with *, ** and /regex/ segments) matches a path.

    In `path`, "*" is a list item; with `wildcards` (pointers) it matches any segment instead.
    """
    if not pattern:
        return not path
    head, rest = pattern[0], pattern[1:]
    if head == ANY_DEPTH:
        return any(path_matches(rest, path[size:], wildcards) for size in range(len(path) + 1))
    if not path:
        return False
    return _segment_matches(head, path[0], wildcards) and path_matches(rest, path[1:], wildcards)


def _segment_matches(pattern: str, segment: str, wildcards: bool) -> bool:
    if pattern == ANY or (wildcards and segment == ANY):
        return True
    if len(pattern) > 1 and pattern.startswith("/") and pattern.endswith("/"):
        return re.search(pattern[1:-1], segment) is not None
    return pattern == segment


@cache
def semantics_for(kind: str) -> KindSemantics:
    """The semantics of a kind's spec, built once from its schema."""
    return build_semantics(kind, spec_schema(kind))


def build_semantics(kind: str, schema: Mapping[str, Any]) -> KindSemantics:
    walker = _SchemaWalker(schema)
    walker.walk(schema, (), ())
    natural_key = tuple(str(k) for k in schema.get("x-natural-key", ()))
    return KindSemantics(kind, natural_key, walker.finished_rules())


class _SchemaWalker:
    """Walks properties, items, $defs ($ref), allOf/anyOf/oneOf and if/then/else."""

    def __init__(self, root: Mapping[str, Any]) -> None:
        self._root = root
        self._rules: list[FieldRule] = []
        self._stack: dict[str, Path] = {}
        self._recursive_at: set[Path] = set()
        self._structured: set[Path] = set()

    def walk(self, schema: Any, path: Path, when: tuple[Condition, ...]) -> None:
        if not isinstance(schema, Mapping):
            return
        self._rules.append(_rule_of(schema, path, when))
        if any(key in schema for key in _CHILDREN):
            self._structured.add(path)
        ref = schema.get("$ref")
        if isinstance(ref, str):
            self._walk_ref(ref, path, when)
        for key in ("allOf", "anyOf", "oneOf"):
            for sub in schema.get(key, ()):
                self.walk(sub, path, when)
        self._walk_conditional(schema, path, when)
        for child, sub in _child_schemas(schema, path):
            self.walk(sub, child, when)

    def _walk_ref(self, ref: str, path: Path, when: tuple[Condition, ...]) -> None:
        if ref in self._stack:
            entry = self._stack[ref]
            self._recursive_at.add(entry)
            self._rules.append(FieldRule((*entry, ANY_DEPTH), when=when))
            return
        self._stack[ref] = path
        self.walk(self._resolve(ref), path, when)
        del self._stack[ref]

    def _walk_conditional(
        self, schema: Mapping[str, Any], path: Path, when: tuple[Condition, ...]
    ) -> None:
        if "if" not in schema:
            return
        condition = json.dumps(schema["if"], sort_keys=True)
        for branch, expect in (("then", True), ("else", False)):
            if branch in schema:
                self.walk(schema[branch], path, (*when, Condition(path, condition, expect)))

    def _resolve(self, ref: str) -> Any:
        if not ref.startswith("#/"):
            raise ValueError(f"only local $refs are supported in spec schemas: {ref!r}")
        node: Any = self._root
        for part in split_pointer(ref[1:]):
            node = node[part]
        return node

    def finished_rules(self) -> tuple[FieldRule, ...]:
        """Rules with `**` inserted below every recursive entry point."""
        rules = []
        for found in self._rules:
            rule = found
            if rule.opaque and rule.path in self._structured:
                rule = replace(rule, opaque=False)  # another branch gives this field a shape
            for entry in self._recursive_at:
                if _strictly_under(rule.path, entry):
                    rule = replace(rule, path=(*entry, ANY_DEPTH, *rule.path[len(entry) :]))
            rules.append(rule)
        return tuple(dict.fromkeys(rules))


def _strictly_under(path: Path, entry: Path) -> bool:
    return len(path) > len(entry) and path[: len(entry)] == entry and path[len(entry)] != ANY_DEPTH


def _rule_of(schema: Mapping[str, Any], path: Path, when: tuple[Condition, ...]) -> FieldRule:
    list_type = schema.get("x-list-type")
    return FieldRule(
        path=path,
        immutable=bool(schema.get("x-immutable")),
        list_type=str(list_type) if list_type else None,
        map_keys=tuple(str(k) for k in schema.get("x-list-map-keys", ())),
        secret=bool(schema.get("x-secret")),
        read_only=bool(schema.get("readOnly")),
        write_only=bool(schema.get("writeOnly") or schema.get("x-write-only-on-read")),
        opaque=_is_opaque(schema),
        when=when,
    )


_STRUCTURE = (
    "properties",
    "patternProperties",
    "items",
    "prefixItems",
    "$ref",
    "allOf",
    "anyOf",
    "oneOf",
    "if",
)
_CHILDREN = ("properties", "patternProperties", "additionalProperties", "items", "prefixItems")
_SCALARS = {"string", "integer", "number", "boolean", "null"}


def _is_opaque(schema: Mapping[str, Any]) -> bool:
    """Any JSON may sit below: no structure declared and not a scalar-only type."""
    if any(key in schema for key in _STRUCTURE) or "const" in schema or "enum" in schema:
        return False
    if isinstance(schema.get("additionalProperties"), Mapping | bool):
        return False
    declared = schema.get("type")
    types = {declared} if isinstance(declared, str) else set(declared or ())
    return not types or not types <= _SCALARS


def _open_object(schema: Mapping[str, Any]) -> bool:
    """An object with known properties and, as JSON Schema defaults, any others too.

    Not so for a branch (no `type`) or an object whose applicators may close it.
    """
    applicators = ("allOf", "anyOf", "oneOf", "if", "$ref")
    return (
        schema.get("type") == "object"
        and "properties" in schema
        and not any(key in schema for key in applicators)
    )


def _child_schemas(schema: Mapping[str, Any], path: Path) -> Iterator[tuple[Path, Any]]:
    for key, sub in schema.get("properties", {}).items():
        yield (*path, str(key)), sub
    for pattern, sub in schema.get("patternProperties", {}).items():
        yield (*path, f"/{pattern}/"), sub
    extra = schema.get("additionalProperties")
    if isinstance(extra, Mapping):
        yield (*path, ANY), extra
    elif extra is None and _open_object(schema):
        yield (*path, ANY), {}
    items = schema.get("items")
    if isinstance(items, Mapping):
        yield (*path, ANY), items
    for sub in schema.get("prefixItems", ()):
        yield (*path, ANY), sub
