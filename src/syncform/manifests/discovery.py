"""Which files are manifests: files and directories (recursive, *.yaml / *.yml, sorted)."""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path

from syncform.core.errors import UsageError

MANIFEST_SUFFIXES = (".yaml", ".yml")
CONFIG_FILE_NAME = "syncform.yaml"


def discover_files(paths: Sequence[Path], exclude: Iterable[Path] = ()) -> list[Path]:
    """Manifest files under `paths`, sorted, without duplicates and without `exclude`d files.

    A path given is followed even when it is a link; below it, hidden directories (such as
    `.syncform/` or `.git/`) are skipped and directory links are not followed, so a link loop
    cannot trap the walk and nothing outside the paths given is read. A `*.yaml` entry that is
    a link or not a regular file is still listed: reading it is refused with a finding.
    """
    skipped = {_real_path(path) for path in exclude}
    found: dict[Path, Path] = {}
    for path in paths:
        if not path.exists():
            raise UsageError(f"no such file or directory: {path}")
        for candidate in _walk(path):
            resolved = _real_path(candidate)
            if resolved not in skipped:
                found.setdefault(resolved, candidate)
    return sorted(found.values(), key=str)


def _real_path(path: Path) -> Path:
    """Links resolved; unlike `Path.resolve` on Python 3.11, a link loop is no error."""
    return Path(os.path.realpath(path))


def _walk(path: Path) -> list[Path]:
    if not path.is_dir():
        return [path]
    files: list[Path] = []
    with os.scandir(path) as entries:
        for entry in sorted(entries, key=lambda entry: entry.name):
            if entry.name.startswith("."):
                continue
            if entry.is_dir(follow_symlinks=False):
                files.extend(_walk(Path(entry.path)))
            elif Path(entry.name).suffix in MANIFEST_SUFFIXES:
                files.append(Path(entry.path))
    return files


def default_config_path(paths: Sequence[Path]) -> Path | None:
    """`syncform.yaml` at the root of the first path (the path itself, or its folder)."""
    if not paths:
        return None
    first = paths[0]
    root = first if first.is_dir() else first.parent
    candidate = root / CONFIG_FILE_NAME
    return candidate if candidate.is_file() else None
