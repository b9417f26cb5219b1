"""Where secret text comes from: `${env:NAME}` (the injected environment) and `${file:PATH}`."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from syncform.core.errors import FileRefused, ReferenceError_
from syncform.core.files import read_regular_file
from syncform.secrets.references import Reference

MAX_SECRET_FILE_BYTES = 64 * 1024


def read_reference_text(
    reference: Reference, base_dir: Path, environ: Mapping[str, str], where: str
) -> str:
    """The value of an env or file reference; `${file:}` paths are relative to `base_dir`.

    A file's trailing newline is dropped. `where` (file:line:col and what) prefixes errors.
    """
    if reference.scheme == "env":
        value = environ.get(reference.target)
        if value is None:
            raise ReferenceError_(f"{where}: {reference.text}: environment variable is not set")
    elif reference.scheme == "file":
        value = _read_file(reference, base_dir, where)
    else:
        raise ReferenceError_(f"{where}: {reference.text} is not an env or file reference")
    if not value:
        raise ReferenceError_(f"{where}: {reference.text} is empty")
    return value


def _read_file(reference: Reference, base_dir: Path, where: str) -> str:
    path = base_dir / reference.target
    try:
        data = read_regular_file(path, MAX_SECRET_FILE_BYTES)
    except FileRefused as exc:
        raise ReferenceError_(f"{where}: {reference.text}: {exc.message}") from None
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise ReferenceError_(f"{where}: {reference.text}: cannot read {path}: {reason}") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise ReferenceError_(f"{where}: {reference.text}: {path} is not UTF-8 text") from None
    return text.rstrip("\r\n")
