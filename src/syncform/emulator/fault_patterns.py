"""Fault-rule path regexes: compiled once, refused when they can backtrack catastrophically.

CPython's `re` holds the GIL while it matches, so a runaway match stalls every thread of the
server whatever lock it runs under. Two guards keep matching bounded: a pattern whose repetition
nests (a repeated group that itself repeats or alternates, like `(a+)+$` or `(a|aa)*`) is
refused when the rule is created, and a regex never looks at more than
MAX_MATCHED_PATH_CHARS characters of a path (a longer path does not match).
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterator
from typing import Any

from syncform.emulator.http_types import VendorError

MAX_MATCHED_PATH_CHARS = 1024
MAX_PATTERN_CHARS = 512
REPEATS = frozenset({"MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"})


def compile_path_regex(pattern: str) -> re.Pattern[str]:
    """The compiled pattern, or a 400 saying why it is refused."""
    if len(pattern) > MAX_PATTERN_CHARS:
        raise VendorError(400, f"a path regex is at most {MAX_PATTERN_CHARS} characters")
    try:
        compiled = re.compile(pattern)
    except re.error as exc:
        raise VendorError(400, f"invalid path regex: {exc}") from exc
    if _has_nested_repetition(pattern):
        raise VendorError(
            400,
            "path regex refused: a repeated group that itself repeats or alternates "
            "(like (a+)+ or (a|b)*) can backtrack catastrophically",
        )
    return compiled


def regex_matches(compiled: re.Pattern[str], path: str) -> bool:
    return len(path) <= MAX_MATCHED_PATH_CHARS and compiled.search(path) is not None


def _has_nested_repetition(pattern: str) -> bool:
    try:
        parser: Any = importlib.import_module("re._parser")
    except ImportError:  # a Python without it: the path length cap still applies
        return False
    return _nested(parser.parse(pattern), parser.SubPattern, inside_repeat=False)


def _nested(items: Any, subpattern_type: type, *, inside_repeat: bool) -> bool:
    return any(
        _node_nests(str(opcode), argument, subpattern_type, inside_repeat=inside_repeat)
        for opcode, argument in items
    )


def _node_nests(name: str, argument: Any, subpattern_type: type, *, inside_repeat: bool) -> bool:
    if name in REPEATS:
        _, high, body = argument
        repeats = bool(high > 1)
        if repeats and inside_repeat:
            return True
        return _nested(body, subpattern_type, inside_repeat=inside_repeat or repeats)
    if name == "BRANCH" and inside_repeat:
        return True
    return any(
        _nested(sub, subpattern_type, inside_repeat=inside_repeat)
        for sub in _subpatterns(argument, subpattern_type)
    )


def _subpatterns(argument: Any, subpattern_type: type) -> Iterator[Any]:
    """The sub-patterns inside a parsed node's argument, however deeply it nests them."""
    if isinstance(argument, subpattern_type):
        yield argument
    elif isinstance(argument, tuple | list):
        for part in argument:
            yield from _subpatterns(part, subpattern_type)
