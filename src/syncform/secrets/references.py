"""The reference syntax: `${env:NAME}`, `${file:PATH}` and `${ref:Kind/name.field}`.

A reference is always a whole string value. `$${` stands for a literal `${`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from syncform.core.address import Address
from syncform.core.pointer import iter_strings_containing

_ENV = re.compile(r"\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}")
_FILE = re.compile(r"\$\{file:([^}\s][^}]*)\}")
_REF = re.compile(r"\$\{ref:([A-Za-z][A-Za-z0-9]*)/([a-z0-9][a-z0-9._-]*)\.([a-z_][a-z0-9_]*)\}")
_ANY = re.compile(r"(?<!\$)\$\{")


@dataclass(frozen=True)
class Reference:
    scheme: str  # "env" | "file" | "ref"
    target: str  # variable name, file path, or "Kind/name"
    field: str = ""  # for ref: the field of the target (e.g. "id")
    text: str = ""

    @property
    def address(self) -> Address:
        return Address.parse(self.target)

    @property
    def is_secret_source(self) -> bool:
        return self.scheme in ("env", "file")

    def anywhere(self, base_dir: Path) -> str:
        """The reference as text that reads the same value from any folder: a `${file:}` path
        made absolute against `base_dir`; other references as written."""
        if self.scheme != "file":
            return self.text
        return f"${{file:{(base_dir / self.target).absolute()}}}"


class ReferenceSyntaxError(ValueError):
    pass


def parse_reference(value: str) -> Reference | None:
    """The reference a string is, None for a plain string; raises on a malformed one."""
    if not _ANY.search(value):
        return None
    for scheme, pattern in (("env", _ENV), ("file", _FILE)):
        match = pattern.fullmatch(value)
        if match:
            return Reference(scheme, match.group(1), text=value)
    match = _REF.fullmatch(value)
    if match:
        return Reference("ref", f"{match.group(1)}/{match.group(2)}", match.group(3), value)
    raise ReferenceSyntaxError(_explain(value))


def _explain(value: str) -> str:
    start = value[value.find("${") :]
    if not value.startswith("${") or not value.endswith("}"):
        return "a reference must be the whole value (write $${ for a literal ${)"
    if start.startswith("${env:"):
        return "malformed ${env:NAME}: NAME must match [A-Za-z_][A-Za-z0-9_]*"
    if start.startswith("${file:"):
        return "malformed ${file:PATH}: PATH must not be empty"
    if start.startswith("${ref:"):
        return "malformed ${ref:Kind/name.field}"
    return "unknown reference scheme (use ${env:NAME}, ${file:PATH} or ${ref:Kind/name.field})"


def env_name(*parts: str) -> str:
    """An environment variable name made of `parts`: `env_name("tines", "dr.acme")` is
    `TINES_DR_ACME` (upper case, every run of other characters one `_`)."""
    words = re.sub(r"[^A-Za-z0-9]+", "_", "_".join(parts)).strip("_").upper()
    return words if _ENV.fullmatch(f"${{env:{words}}}") else f"_{words}"


def escape(value: str) -> str:
    """A literal string as a manifest writes it: each `${` as `$${` (see `unescape`)."""
    return value.replace("${", "$${")


def unescape(value: str) -> str:
    return value.replace("$${", "${")


def secret_references(spec: Any) -> Iterator[tuple[str, Reference]]:
    """(JSON Pointer, reference) of every `${env:}` and `${file:}` in `spec`; malformed
    references are skipped (validation reports them)."""
    for pointer, text in reference_strings(spec):
        try:
            reference = parse_reference(text)
        except ReferenceSyntaxError:
            continue
        if reference is not None and reference.is_secret_source:
            yield pointer, reference


def reference_strings(data: Any, pointer: str = "") -> list[tuple[str, str]]:
    """(JSON Pointer, string) of every string below `data` that holds `${`, in document order:
    the only strings for which `parse_reference` may return a reference or raise (it returns
    None for any other). Most specs hold none; `iter_strings_containing` passes over them at C
    speed, and a reference scan visits every spec several times."""
    return list(iter_strings_containing(data, _START, pointer))


_START = "${"
