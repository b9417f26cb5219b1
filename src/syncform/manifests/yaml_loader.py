"""The only module that imports yaml: safe, bounded, located loading of YAML documents.

- Safe loading only (`yaml.SafeLoader` underneath, C-accelerated when available).
- Duplicate mapping keys are reported, not silently resolved last-one-wins.
- YAML timestamps stay strings, so they validate as JSON strings.
- Only JSON's types are built. A tag that names another type (`!!binary`, `!!set`, `!!python/...`,
  `!custom`), a tag on a node of the wrong shape (`!!map [1]`) or a value the tag cannot hold
  (`!!int abc`) is a `yaml.tag` problem, and an integer over `MAX_INTEGER_DIGITS` digits a
  `yaml.number` problem; the node is kept as written (its text, list or mapping).
- Files over `MAX_FILE_BYTES` and documents whose alias expansion exceeds `MAX_EXPANDED_NODES`
  (a "billion laughs" file) fail fast, before any expansion is built.
- Documents are built as plain data the fast way (`yaml_plain`) when they have nothing to report;
  otherwise the located construction here builds them and reports each problem where it stands.
- Every document can tell the file, line and column of any JSON Pointer inside it
  (`LoadedDocument.locations`). They are worked out on first use, by parsing the file again the
  located way, so a valid estate never pays for them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

from syncform.core.address import SourceLocation
from syncform.core.errors import FileRefused, ManifestError
from syncform.core.files import read_regular_file
from syncform.core.pointer import join_pointer
from syncform.manifests.yaml_plain import (
    CORE_TAG,
    MAX_INTEGER_DIGITS,
    NeedsLocatedBuild,
    build_plain,
    has_too_many_digits,
    is_too_large,
)

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_EXPANDED_NODES = 200_000


class LocatedDict(dict[str, Any]):
    """A mapping that remembers where it and each of its keys stand."""

    loc: SourceLocation
    key_locs: dict[str, SourceLocation]


class LocatedList(list[Any]):
    """A sequence that remembers where it and each of its items stand."""

    loc: SourceLocation
    item_locs: list[SourceLocation]


@dataclass(frozen=True)
class YamlProblem:
    """A problem inside a document that does not stop loading (a duplicate key)."""

    location: SourceLocation
    rule: str
    message: str


@dataclass(frozen=True)
class LoadedDocument:
    data: Any  # plain dicts, lists and JSON scalars
    location: SourceLocation
    index: int  # 0-based position among the file's non-empty documents
    problems: tuple[YamlProblem, ...]
    locations: Mapping[str, SourceLocation]  # JSON Pointer -> where it stands, on first use


def _resolvers_without_timestamps() -> dict[Any, list[Any]]:
    resolvers: dict[Any, list[Any]] = {}
    for first, entries in yaml.SafeLoader.yaml_implicit_resolvers.items():
        kept = [(tag, rx) for tag, rx in entries if tag != "tag:yaml.org,2002:timestamp"]
        resolvers[first] = kept
    return resolvers


# libyaml when PyYAML was built with it; the pure-Python loader otherwise.
_SAFE_BASE: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _LocatingLoader(_SAFE_BASE):  # type: ignore[valid-type,misc]
    yaml_implicit_resolvers = _resolvers_without_timestamps()

    def __init__(self, stream: str, file: str) -> None:
        super().__init__(stream)
        self.file = file
        self.problems: list[YamlProblem] = []

    def location(self, node: yaml.Node) -> SourceLocation:
        return SourceLocation(self.file, node.start_mark.line + 1, node.start_mark.column + 1)


def _construct_mapping(loader: _LocatingLoader, node: yaml.Node) -> Any:
    if not isinstance(node, yaml.MappingNode):
        return _mistagged(loader, node)
    result = LocatedDict()
    result.loc = loader.location(node)
    result.key_locs = {}
    loader.flatten_mapping(node)
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str):
            key = str(key)
        where = loader.location(key_node)
        if key in result:
            first = result.key_locs[key]
            loader.problems.append(
                YamlProblem(
                    where,
                    "yaml.duplicate-key",
                    f"duplicate key {key!r} (first at line {first.line})",
                )
            )
            continue
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_locs[key] = where
    return result


def _construct_sequence(loader: _LocatingLoader, node: yaml.Node) -> Any:
    if not isinstance(node, yaml.SequenceNode):
        return _mistagged(loader, node)
    result = LocatedList(loader.construct_object(child, deep=True) for child in node.value)
    result.loc = loader.location(node)
    result.item_locs = [loader.location(child) for child in node.value]
    return result


def _as_written(loader: _LocatingLoader, node: yaml.Node) -> Any:
    """A node by its shape alone, whatever its tag says: its text, a list or a mapping."""
    if isinstance(node, yaml.MappingNode):
        return _construct_mapping(loader, node)
    if isinstance(node, yaml.SequenceNode):
        return _construct_sequence(loader, node)
    return loader.construct_scalar(node)


def _tag_problem(loader: _LocatingLoader, node: yaml.Node, rule: str, message: str) -> Any:
    """Record a problem with a tagged node; the node is kept as written."""
    loader.problems.append(YamlProblem(loader.location(node), rule, message))
    return _as_written(loader, node)


def _shown_tag(tag: str) -> str:
    if tag.startswith(CORE_TAG):
        return "!!" + tag[len(CORE_TAG) :]
    return tag if tag.startswith("!") else f"!<{tag}>"


def _mistagged(loader: _LocatingLoader, node: yaml.Node) -> Any:
    shapes: dict[type[yaml.Node], str] = {
        yaml.MappingNode: "mapping",
        yaml.SequenceNode: "sequence",
    }
    shape = shapes.get(type(node), "scalar")
    message = f"tag {_shown_tag(node.tag)} cannot be put on a {shape}"
    return _tag_problem(loader, node, "yaml.tag", message)


def _unsupported(loader: _LocatingLoader, node: yaml.Node) -> Any:
    message = (
        f"tag {_shown_tag(node.tag)} is not supported: manifests hold only strings, numbers, "
        "booleans, null, lists and mappings"
    )
    return _tag_problem(loader, node, "yaml.tag", message)


Constructor = Callable[[_LocatingLoader, yaml.Node], Any]
SafeScalarConstructor = Callable[[yaml.constructor.SafeConstructor, yaml.ScalarNode], Any]


def _scalar(construct: SafeScalarConstructor) -> Constructor:
    """A core scalar tag's constructor that reports, never raises on, a value the tag cannot
    hold (`!!int abc`, `!!float x`, `!!bool maybe`) or a node that is no scalar."""

    def checked(loader: _LocatingLoader, node: yaml.Node) -> Any:
        if not isinstance(node, yaml.ScalarNode):
            return _mistagged(loader, node)
        try:
            return construct(loader, node)
        except (ValueError, KeyError):
            message = f"{node.value[:40]!r} is not a valid {_shown_tag(node.tag)}"
            return _tag_problem(loader, node, "yaml.tag", message)

    return checked


_construct_checked_int = _scalar(yaml.SafeLoader.construct_yaml_int)


def _construct_int(loader: _LocatingLoader, node: yaml.Node) -> Any:
    """An integer, refused (before and after conversion) past `MAX_INTEGER_DIGITS` digits:
    Python cannot print it, and no field needs it."""
    too_large = f"integer over {MAX_INTEGER_DIGITS} digits"
    if has_too_many_digits(node):
        return _tag_problem(loader, node, "yaml.number", too_large)
    value = _construct_checked_int(loader, node)
    if is_too_large(value):
        return _tag_problem(loader, node, "yaml.number", too_large)
    return value


_CONSTRUCTORS: dict[str | None, Constructor] = {
    CORE_TAG + "map": _construct_mapping,
    CORE_TAG + "seq": _construct_sequence,
    CORE_TAG + "str": _scalar(yaml.SafeLoader.construct_yaml_str),
    CORE_TAG + "int": _construct_int,
    CORE_TAG + "float": _scalar(yaml.SafeLoader.construct_yaml_float),
    CORE_TAG + "bool": _scalar(yaml.SafeLoader.construct_yaml_bool),
    CORE_TAG + "null": _scalar(yaml.SafeLoader.construct_yaml_null),
    # Types JSON does not have, and every tag PyYAML does not know (None).
    **dict.fromkeys(
        [CORE_TAG + name for name in ("binary", "timestamp", "set", "omap", "pairs")],
        _unsupported,
    ),
    None: _unsupported,
}
for _tag, _constructor in _CONSTRUCTORS.items():
    _LocatingLoader.add_constructor(_tag, _constructor)


def _expanded_size(node: yaml.Node, file: str) -> int:
    """Nodes the document would have with every alias expanded; fails past the bound."""
    sizes: dict[int, int] = {}
    in_progress: set[int] = set()

    def size_of(current: yaml.Node) -> int:
        key = id(current)
        if key in sizes:
            return sizes[key]
        if key in in_progress:
            raise _alias_error(file, current, "a recursive alias")
        in_progress.add(key)
        total = 1
        children = _children(current)
        for child in children:
            total += size_of(child)
            if total > MAX_EXPANDED_NODES:
                raise _alias_error(file, current, f"more than {MAX_EXPANDED_NODES} nodes")
        in_progress.discard(key)
        sizes[key] = total
        return total

    return size_of(node)


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def _alias_error(file: str, node: yaml.Node, what: str) -> ManifestError:
    line, column = node.start_mark.line + 1, node.start_mark.column + 1
    return ManifestError(
        f"alias expansion would produce {what}; refusing to load (billion-laughs guard)",
        file,
        line,
        column,
    )


def read_text(path: Path, display: str) -> str:
    """A regular file's text, at most `MAX_FILE_BYTES` read; anything else is a ManifestError."""
    try:
        data = read_regular_file(path, MAX_FILE_BYTES)
    except FileRefused as exc:
        raise ManifestError(exc.reason, display) from exc
    except OSError as exc:
        raise ManifestError(f"cannot read the file: {exc.strerror or exc}", display) from exc
    return decode_text(data, display)


def decode_text(data: bytes, display: str) -> str:
    """A file's bytes as UTF-8 text; anything else is a ManifestError."""
    if len(data) > MAX_FILE_BYTES:
        raise ManifestError(f"is over the {MAX_FILE_BYTES} byte limit", display)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ManifestError(f"not UTF-8 text ({exc.reason})", display) from exc


def load_documents(path: Path, display: str | None = None) -> list[LoadedDocument]:
    """Every non-empty document in a YAML file, located and bounded."""
    name = display or str(path)
    return parse_documents(read_text(path, name), name)


def parse_documents(text: str, name: str) -> list[LoadedDocument]:
    """Every non-empty document in YAML `text` (from the file shown as `name`), as plain data
    with its problems; the locations inside each are worked out on first use."""
    source = _Source(text, name)
    documents: list[LoadedDocument] = []
    for node, data, problems, loader in _documents(text, name, _built_fast):
        index = len(documents)
        where = loader.location(node)
        documents.append(LoadedDocument(data, where, index, problems, _Locations(source, index)))
    return documents


Built = tuple[Any, tuple[YamlProblem, ...]]
Construction = Callable[["_LocatingLoader", yaml.Node], Built]


def _documents(
    text: str, name: str, construct: Construction
) -> Iterator[tuple[yaml.Node, Any, tuple[YamlProblem, ...], _LocatingLoader]]:
    """(node, data, problems, loader) for each non-empty document, aliases bounded first."""
    loader = _LocatingLoader(text, name)
    may_alias = "*" in text  # an alias cannot be written without its '*'
    try:
        while loader.check_node():
            node = loader.get_node()
            if node is None:
                continue
            if may_alias:
                _expanded_size(node, name)
            data, problems = construct(loader, node)
            if data is not None:
                yield node, data, problems, loader
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        raise ManifestError(
            f"invalid YAML: {exc.problem or exc.context}", name, line, column
        ) from exc
    except yaml.YAMLError as exc:
        raise ManifestError(f"invalid YAML: {exc}", name) from exc
    finally:
        loader.dispose()


def _built_fast(loader: _LocatingLoader, node: yaml.Node) -> Built:
    """Plain data the fast way; the located way (which reports) when there is a problem."""
    try:
        return build_plain(loader, node), ()
    except NeedsLocatedBuild:
        data, problems = _built_located(loader, node)
        return to_plain(data), problems


def _built_located(loader: _LocatingLoader, node: yaml.Node) -> Built:
    loader.problems = []
    return loader.construct_document(node), tuple(loader.problems)


class _Source:
    """A file's text, and the locations of its documents once one is asked for."""

    def __init__(self, text: str, name: str) -> None:
        self.text, self.name = text, name

    @cached_property
    def tables(self) -> list[dict[str, SourceLocation]]:
        located = _documents(self.text, self.name, _built_located)
        return [pointer_locations(data) for _, data, _, _ in located]


class _Locations(Mapping[str, SourceLocation]):
    """JSON Pointer -> location inside one document, worked out when first read."""

    def __init__(self, source: _Source, index: int) -> None:
        self._source, self._index = source, index

    @cached_property
    def _table(self) -> dict[str, SourceLocation]:
        return self._source.tables[self._index]

    def __getitem__(self, pointer: str) -> SourceLocation:
        return self._table[pointer]

    def __iter__(self) -> Iterator[str]:
        return iter(self._table)

    def __len__(self) -> int:
        return len(self._table)


def pointer_locations(data: Any, prefix: str = "") -> dict[str, SourceLocation]:
    """JSON Pointer -> location for every located node and key below `data`."""
    found: dict[str, SourceLocation] = {}
    if isinstance(data, LocatedDict):
        found[prefix] = data.loc
        for key, value in data.items():
            pointer = join_pointer(prefix, key)
            found[pointer] = data.key_locs[key]
            found.update(pointer_locations(value, pointer))
            found[pointer] = data.key_locs[key]
    elif isinstance(data, LocatedList):
        found[prefix] = data.loc
        for index, value in enumerate(data):
            pointer = f"{prefix}/{index}"
            found.update(pointer_locations(value, pointer))
            found[pointer] = data.item_locs[index]
    return found


def to_plain(data: Any) -> Any:
    """Located containers back to plain dicts and lists (for JSON, hashing and comparison)."""
    if isinstance(data, dict):
        return {key: to_plain(value) for key, value in data.items()}
    if isinstance(data, list):
        return [to_plain(value) for value in data]
    return data
