"""The compiled fast path of validation: the one module that imports jsonschema_rs.

Almost every document syncform validates is valid, and the Python validator spends most of a
plan's CPU proving it. A bundled schema is therefore also compiled once by jsonschema-rs (draft
2020-12, the same bundled documents in its own registry), which only answers "valid or not".
`validation` trusts a yes and builds every finding of a no with the Python validator, so the
messages, pointers and rule ids are the Python validator's own.

A yes must never be wrong, so the compiled validator is given only what both judge alike:

- Formats: every `format` of the bundle is checked by the Python format checker itself (a
  callback), so a format passes exactly when it passes today, including formats the Python
  checker does not know and lets through (`date-time` without its optional package).
- Patterns: Python's `re` and the Rust engine differ in `\\s` (Python also counts U+001C..U+001F
  and U+0085), `.` (Rust's stops at U+000D, U+2028 and U+2029) and `$` (Python's also matches
  before a final newline). Each pattern is rewritten into one that means the same in both
  (`translate_pattern`); a pattern that uses anything else (`\\d`, `\\w`, `\\b`, groups with
  `(?`, nested classes ...) is not translated, and every schema that can reach it stays on the
  Python path.
- Instances: only plain JSON: dict (string keys), list, str, bool, None, int within 64 bits and
  finite float, at most `MAX_DEPTH` levels deep. jsonschema-rs turns a tuple into an array and
  infinity into a value of no JSON type, where the Python validator sees no array and a number;
  such a document takes the Python path. So does any document the compiled validator refuses
  (a string holding a lone surrogate).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator, Mapping
from functools import cache, partial
from typing import Any
from urllib.parse import urldefrag, urljoin

import jsonschema_rs
from jsonschema import Draft202012Validator, FormatChecker

from syncform.core.errors import SyncformError
from syncform.schemas.loader import iter_schema_files, read_schema

FastCheck = Callable[[Any], bool]

# What Python's `\s` matches in a str pattern (str.isspace), as inclusive code point ranges.
# tests/schemas/test_schemas_fast.py checks it against every code point.
PYTHON_WHITESPACE = (
    (0x09, 0x0D),
    (0x1C, 0x20),
    (0x85, 0x85),
    (0xA0, 0xA0),
    (0x1680, 0x1680),
    (0x2000, 0x200A),
    (0x2028, 0x2029),
    (0x202F, 0x202F),
    (0x205F, 0x205F),
    (0x3000, 0x3000),
)
_WHITESPACE_CLASS_BODY = "".join(
    f"\\u{low:04X}" if low == high else f"\\u{low:04X}-\\u{high:04X}"
    for low, high in PYTHON_WHITESPACE
)
# Escaped punctuation: a literal in Python, ECMA-262 and Rust alike.
_LITERAL_ESCAPES = frozenset(".$^{}[]()\\/|*+?-")
# Unescaped characters that are literals everywhere (no verbose flag, no special meaning).
_PLAIN = frozenset(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 _-/:#@!%&=,;<>'\"~`"
)
_QUANTIFIER = re.compile(r"\{[0-9]+(,[0-9]*)?\}")
_UNICODE_ESCAPE = re.compile(r"u[0-9A-Fa-f]{4}")
# Keywords whose value is a subschema, a list of them, or a map of them.
_SUBSCHEMA = frozenset(
    ("additionalProperties", "items", "contains", "propertyNames", "if", "then", "else", "not")
) | {"unevaluatedItems", "unevaluatedProperties", "contentSchema"}
_SUBSCHEMA_LISTS = frozenset(("allOf", "anyOf", "oneOf", "prefixItems"))
_SUBSCHEMA_MAPS = frozenset(("properties", "$defs", "definitions", "dependentSchemas"))
_INT_RANGE = 2**63
# Deeper documents take the Python path: the compiled validator recurses on the native stack
# (a recursive schema over a document 20,000 levels deep overflows it and kills the process).
MAX_DEPTH = 64
_STRINGS_ONLY = frozenset((str,))
# A bundled schema's `format: F` becomes `format: python:F`, checked by the Python format checker
# in a callback, with the same verdict for every string (and every other value passes, as in
# Python). For a format listed here, a string matching the pattern (Rust syntax, `$` = the end)
# passes first without that call: the Python checker accepts every such string (a test checks).
PYTHON_FORMAT = "python:"
SUFFICIENT = {
    "uuid": "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$",
}


class _Untranslatable(Exception):
    """A pattern whose meaning in the Rust engine is not shown to equal Python's."""


def translate_pattern(pattern: str) -> str | None:
    """`pattern` rewritten to match in jsonschema-rs exactly the strings `re.search` matches in
    Python, or None when it uses a construct this does not handle."""
    try:
        return _translated(pattern)
    except _Untranslatable:
        return None


def _translated(pattern: str) -> str:
    out: list[str] = []
    index, in_class, after_atom = 0, False, False
    while index < len(pattern):
        if pattern[index] == "\\":
            size, text = _escape(pattern, index, in_class)
            after = True
        elif in_class:
            size, text, in_class = _in_class(pattern, index)
            after = not in_class
        elif pattern[index] in "*+?{":
            if not after_atom:
                raise _Untranslatable  # a repeated quantifier (possessive in Python 3.11)
            size, text = _quantifier(pattern, index)
            after = False
        else:
            size, text, after, in_class = _outside_class(pattern, index)
        out.append(text)
        index += size
        after_atom = after
    if in_class:
        raise _Untranslatable
    return "".join(out)


def _in_class(pattern: str, index: int) -> tuple[int, str, bool]:
    """(consumed, translation, still in the class) of one character inside `[...]`."""
    char = pattern[index]
    if char == "[" or pattern.startswith(("&&", "--", "~~"), index):
        raise _Untranslatable  # a nested class or a set operation in Rust, literals in re
    return 1, char, char != "]"


def _quantifier(pattern: str, index: int) -> tuple[int, str]:
    match = _QUANTIFIER.match(pattern, index) if pattern[index] == "{" else None
    if pattern[index] == "{" and match is None:
        raise _Untranslatable  # re reads a malformed `{` as a literal; Rust rejects it
    quantifier = match.group() if match else pattern[index]
    if pattern.startswith("?", index + len(quantifier)):  # lazy: the same strings match
        quantifier += "?"
    return len(quantifier), quantifier


def _outside_class(pattern: str, index: int) -> tuple[int, str, bool, bool]:
    """(consumed, translation, is an atom, opens a class) of the token at `index`."""
    char = pattern[index]
    if char == "[":
        opening = "[^" if pattern.startswith("[^", index) else "["
        if pattern.startswith("]", index + len(opening)):
            raise _Untranslatable  # `[]`: a literal `]` in re, an empty class in ECMA-262
        return len(opening), opening, False, True
    if char == ".":
        return 1, "[^\\n]", True, False  # Python's `.`; Rust's also stops at \r, U+2028/9
    if char == "$" and index == len(pattern) - 1:
        return 1, "\\n?$", False, False  # Python's `$` also matches before a final newline
    if char == "(" and not pattern.startswith("(?", index):
        return 1, char, False, False
    if char in "|^":
        return 1, char, False, False
    if char == ")" or char in _PLAIN:
        return 1, char, True, False
    raise _Untranslatable


def _escape(pattern: str, index: int, in_class: bool) -> tuple[int, str]:
    """(characters consumed, translation) of the escape at `index`."""
    escaped = pattern[index + 1 : index + 2]
    if escaped == "s":
        return 2, _WHITESPACE_CLASS_BODY if in_class else f"[{_WHITESPACE_CLASS_BODY}]"
    if escaped == "S" and not in_class:
        return 2, f"[^{_WHITESPACE_CLASS_BODY}]"
    if escaped and escaped in _LITERAL_ESCAPES:
        return 2, "\\" + escaped
    if _UNICODE_ESCAPE.match(pattern, index + 1):
        return 6, pattern[index : index + 6]
    raise _Untranslatable


# -- the bundle, translated ---------------------------------------------------------------


def translated_schema(node: Any) -> Any:
    """A schema with each `pattern` and `patternProperties` key translated, and each `format`
    checked by the Python format checker.

    Raises `_Untranslatable` when one cannot be. Values of non-schema keywords (`const`, `enum`,
    `default`, `x-...`) are kept as they are, even when they hold a key named `pattern`.
    """
    if isinstance(node, list):  # `items` as a list: not 2020-12, but translated all the same
        return [translated_schema(sub) for sub in node]
    if not isinstance(node, Mapping):
        return node
    result: dict[str, Any] = {}
    for key, value in node.items():
        if key == "format" and isinstance(value, str):
            check: dict[str, Any] = {"format": PYTHON_FORMAT + value}
            if value in SUFFICIENT:  # most strings pass there, without a call into Python
                check = {"anyOf": [{"pattern": SUFFICIENT[value]}, check]}
            result["allOf"] = [*result.get("allOf", []), check]
        elif key == "allOf" and isinstance(value, list):
            result["allOf"] = [*(translated_schema(sub) for sub in value), *result.get("allOf", [])]
        elif key == "pattern" and isinstance(value, str):
            result[key] = _required(translate_pattern(value))
        elif key == "patternProperties" and isinstance(value, Mapping):
            result[key] = {
                _required(translate_pattern(p)): translated_schema(sub) for p, sub in value.items()
            }
        elif key in _SUBSCHEMA:
            result[key] = translated_schema(value)
        elif key in _SUBSCHEMA_LISTS and isinstance(value, list):
            result[key] = [translated_schema(sub) for sub in value]
        elif key in _SUBSCHEMA_MAPS and isinstance(value, Mapping):
            result[key] = {name: translated_schema(sub) for name, sub in value.items()}
        else:
            result[key] = value
    return result


def _required(translated: str | None) -> str:
    if translated is None:
        raise _Untranslatable
    return translated


def _formats_in(node: Any) -> Iterator[str]:
    """The Python-checked formats a translated schema names."""
    if isinstance(node, Mapping):
        if isinstance(node.get("format"), str) and node["format"].startswith(PYTHON_FORMAT):
            yield node["format"][len(PYTHON_FORMAT) :]
        for value in node.values():
            yield from _formats_in(value)
    elif isinstance(node, list):
        for value in node:
            yield from _formats_in(value)


def _refs_in(node: Any, base: str) -> Iterator[str]:
    """The documents (absolute URIs) that `$ref`s in `node` name."""
    if isinstance(node, Mapping):
        if isinstance(node.get("$ref"), str):
            yield urldefrag(urljoin(base, node["$ref"])).url
        for value in node.values():
            yield from _refs_in(value, base)
    elif isinstance(node, list):
        for value in node:
            yield from _refs_in(value, base)


@cache
def _bundle() -> tuple[dict[str, Any], dict[str, set[str]]]:
    """(translated documents by `$id`, None for one that cannot be; their references)."""
    translated: dict[str, Any] = {}
    refs: dict[str, set[str]] = {}
    for name in iter_schema_files():
        document = read_schema(name)
        schema_id = document.get("$id")
        if not isinstance(schema_id, str):
            continue
        try:
            translated[schema_id] = translated_schema(document)
        except _Untranslatable:
            translated[schema_id] = None
        refs[schema_id] = set(_refs_in(document, schema_id)) - {schema_id}
    return translated, refs


def _reachable(schema_id: str, refs: Mapping[str, set[str]]) -> set[str]:
    seen, todo = {schema_id}, [schema_id]
    while todo:
        for target in refs.get(todo.pop(), set()):
            if target not in seen:
                seen.add(target)
                todo.append(target)
    return seen


def _python_format(name: str, instance: Any) -> bool:
    """The verdict of the format checker the Python validator uses (`validation`)."""
    checker: FormatChecker = Draft202012Validator.FORMAT_CHECKER
    return checker.conforms(instance, name)


def _no_retrieval(uri: str) -> Any:
    raise SyncformError(f"schema reference to {uri} is not in the bundle (a bug)")


@cache
def compiled(schema_id: str) -> FastCheck | None:
    """The compiled check of a bundled schema, or None if it must stay on the Python path."""
    translated, refs = _bundle()
    reachable = _reachable(schema_id, refs)
    if any(translated.get(uri) is None for uri in reachable):
        return None
    documents = [(uri, translated[uri]) for uri in sorted(translated)]
    names = sorted({name for _, document in documents for name in _formats_in(document)})
    validator = jsonschema_rs.Draft202012Validator(
        translated[schema_id],
        formats={PYTHON_FORMAT + name: partial(_python_format, name) for name in names},
        validate_formats=True,
        ignore_unknown_formats=True,
        registry=jsonschema_rs.Registry(documents, draft=jsonschema_rs.Draft202012),
        retriever=_no_retrieval,
    )
    return validator.is_valid


def fast_is_valid(instance: Any, schema_id: str) -> bool:
    """True only when the compiled validator of a bundled schema accepts `instance`; False
    means "not shown valid here" (invalid, or not for this path): ask the Python validator."""
    check = compiled(schema_id)
    if check is None or not plain_json(instance):
        return False
    try:
        return bool(check(instance))
    except (ValueError, TypeError):  # e.g. a string with a lone surrogate is no UTF-8
        return False


def plain_json(value: Any) -> bool:
    """Whether `value` holds only JSON's types, as the Python validator and jsonschema-rs both
    see them alike (see the module's docstring), at most `MAX_DEPTH` containers deep."""
    level = [value]
    for _ in range(MAX_DEPTH + 1):
        below: list[Any] = []
        for item in level:
            kind = type(item)
            if kind is dict:
                if not _STRINGS_ONLY.issuperset(map(type, item)):
                    return False
                below.extend(item.values())
            elif kind is list:
                below.extend(item)
            elif kind is not str and not _plain_scalar(item, kind):
                return False
        if not below:
            return True
        level = below
    return False


def _plain_scalar(item: Any, kind: type) -> bool:
    if kind is bool or item is None:
        return True
    if kind is int:
        return bool(-_INT_RANGE <= item < _INT_RANGE)
    return kind is float and math.isfinite(item)
