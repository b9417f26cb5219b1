"""Writing YAML (the loader's counterpart, in the one package that imports yaml).

A document is dumped as block YAML in the order of its keys, with comment lines above it and a
comment at the end of each line whose value is one of the given strings (a placeholder that
needs explaining). Only JSON's types go in, so what is written loads back as it was.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import yaml

_WIDTH = 1 << 20  # never fold a long string over several lines


def dump_document(
    document: Mapping[str, Any],
    header: Sequence[str] = (),
    comments: Mapping[str, str] | None = None,
) -> str:
    """`document` as YAML text, `header` as `# ` lines above it, and `comments[value]` after each
    line whose scalar value is `value`."""
    text = yaml.safe_dump(
        dict(document), sort_keys=False, allow_unicode=True, width=_WIDTH, default_flow_style=False
    )
    lines = [_commented(line, comments or {}) for line in text.splitlines()]
    heading = [f"# {line}".rstrip() for note in header for line in note.splitlines()]
    return "\n".join([*heading, *lines]) + "\n"


def _commented(line: str, comments: Mapping[str, str]) -> str:
    value = _scalar_of(line)
    comment = comments.get(value) if value is not None else None
    return f"{line}  # {comment}" if comment else line


def _scalar_of(line: str) -> str | None:
    """The plain scalar a `key: value` or `- value` line ends with (None for anything else)."""
    stripped = line.strip()
    if stripped.startswith("- "):
        return stripped[2:]
    _, separator, value = stripped.partition(": ")
    return value if separator else None
