"""The building blocks of seed validation: a place in a seed, and rules about the value there.

Every problem is an EmulatorError of the form
`<seed file>: <path>: <what is wrong> (expected <what is accepted>)`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from syncform.core.errors import EmulatorError

Obj = dict[str, Any]
MAX_DEPTH = 64
SHOWN_TEXT_CHARS = 40


@dataclass(frozen=True)
class At:
    """A place in a seed: the seed file and the path inside it (`tines.tenants.acme.teams[1]`)."""

    source: str
    path: str = ""

    def key(self, name: object) -> At:
        return At(self.source, f"{self.path}.{name}" if self.path else str(name))

    def index(self, position: int) -> At:
        return At(self.source, f"{self.path}[{position}]")

    def error(self, problem: str, expected: str) -> EmulatorError:
        return EmulatorError(
            f"{self.source}: {self.path or '(top level)'}: {problem} (expected {expected})"
        )


def describe(value: Any) -> str:
    """A short name for what was found, for `got ...` (strings are cut short)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, str):
        shown = value if len(value) <= SHOWN_TEXT_CHARS else value[:SHOWN_TEXT_CHARS] + "..."
        return f"the string {shown!r}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return f"a {type(value).__name__}"


@dataclass(frozen=True)
class Rule:
    """What a value must be: a quick test, then (when it passes) any deeper checks."""

    expected: str
    accepts: Callable[[Any], bool]
    deeper: Callable[[Any, At], None] | None = None

    def check(self, value: Any, at: At) -> None:
        if not self.accepts(value):
            raise at.error(f"got {describe(value)}", self.expected)
        if self.deeper is not None:
            self.deeper(value, at)


def _is_integer(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: Any) -> bool:
    return (_is_integer(value) or isinstance(value, float)) and math.isfinite(value)


def _is_timestamp(value: Any) -> bool:
    if not isinstance(value, str):
        return False
    try:
        datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return False
    return True


def _is_http_url(value: Any) -> bool:
    if not isinstance(value, str):
        return False
    parts = urlsplit(value.strip())
    return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)


STRING = Rule("a non-empty string", lambda value: isinstance(value, str) and value != "")
ANY_STRING = Rule("a string", lambda value: isinstance(value, str))
BOOLEAN = Rule("true or false", lambda value: isinstance(value, bool))
MAPPING = Rule("a mapping", lambda value: isinstance(value, dict))
ANY_LIST = Rule("a list", lambda value: isinstance(value, list))
TIMESTAMP = Rule("an ISO 8601 timestamp string", _is_timestamp)
HTTP_URL = Rule("an http(s) URL with a host", _is_http_url)


def integer(minimum: int) -> Rule:
    return Rule(f"an integer >= {minimum}", lambda v: _is_integer(v) and v >= minimum)


def number(minimum: float, *, above: bool = False, maximum: float | None = None) -> Rule:
    """A finite number >= minimum (> minimum when `above`), and <= maximum if given."""
    low = f"> {minimum}" if above else f">= {minimum}"
    high = f" and <= {maximum}" if maximum is not None else ""

    def accepts(value: Any) -> bool:
        if not _is_number(value):
            return False
        in_low = value > minimum if above else value >= minimum
        return in_low and (maximum is None or value <= maximum)

    return Rule(f"a number {low}{high}", accepts)


def one_of(choices: Iterable[str]) -> Rule:
    allowed = tuple(choices)
    return Rule(f"one of {', '.join(allowed)}", lambda value: value in allowed)


def nullable(rule: Rule) -> Rule:
    def deeper(value: Any, at: At) -> None:
        if value is not None and rule.deeper is not None:
            rule.deeper(value, at)

    return Rule(f"{rule.expected}, or null", lambda v: v is None or rule.accepts(v), deeper)


def list_of(item: Rule) -> Rule:
    def deeper(items: list[Any], at: At) -> None:
        for position, value in enumerate(items):
            item.check(value, at.index(position))

    return Rule(f"a list of {item.expected}", lambda value: isinstance(value, list), deeper)


def mapping_of(value_rule: Rule, *, key_rule: Rule = STRING) -> Rule:
    def deeper(entries: Obj, at: At) -> None:
        for name, value in entries.items():
            key_rule.check(name, at.key(name))
            value_rule.check(value, at.key(name))

    return Rule(f"a mapping of {value_rule.expected}", MAPPING.accepts, deeper)


def shape(
    expected: str,
    required: dict[str, Rule],
    optional: dict[str, Rule] | None = None,
    *,
    closed: bool = True,
    then: Callable[[Obj, At], None] | None = None,
) -> Rule:
    """A mapping with these keys. Closed: other keys are refused, except internal `_` keys."""
    optional = optional or {}

    def deeper(obj: Obj, at: At) -> None:
        for name, rule in required.items():
            if name not in obj:
                raise at.key(name).error("missing", rule.expected)
            rule.check(obj[name], at.key(name))
        for name, rule in optional.items():
            if name in obj:
                rule.check(obj[name], at.key(name))
        if closed:
            _refuse_unknown_keys(obj, at, [*required, *optional])
        if then is not None:
            then(obj, at)

    return Rule(expected, MAPPING.accepts, deeper)


def _refuse_unknown_keys(obj: Obj, at: At, known: list[str]) -> None:
    for name in obj:
        if name not in known and not str(name).startswith("_"):
            raise at.key(name).error("unknown key", f"one of {', '.join(known)}")


def refuse_duplicates(values: list[Any], at: At, what: str) -> None:
    """`at` is the list; the second occurrence of a value is the one named."""
    seen: set[Any] = set()
    for position, value in enumerate(values):
        if value is not None and value in seen:
            raise at.index(position).error(f"duplicate {what} {value!r}", f"unique {what}s")
        seen.add(value)


def check_json_value(value: Any, at: At, depth: int = 0) -> None:
    """The seed must be JSON: strings as keys, no YAML dates, no NaN, not nested without end."""
    if depth > MAX_DEPTH:
        raise at.error("nested too deeply", f"at most {MAX_DEPTH} levels of nesting")
    if isinstance(value, dict):
        for name, inner in value.items():
            if not isinstance(name, str):
                raise at.key(name).error(f"the key is {describe(name)}", "string keys")
            check_json_value(inner, at.key(name), depth + 1)
    elif isinstance(value, list):
        for position, inner in enumerate(value):
            check_json_value(inner, at.index(position), depth + 1)
    elif isinstance(value, float) and not math.isfinite(value):
        raise at.error(f"got {describe(value)}", "a finite number")
    elif value is not None and not isinstance(value, bool | int | float | str):
        raise at.error(f"got {describe(value)}", "a JSON value (quote dates and times)")
