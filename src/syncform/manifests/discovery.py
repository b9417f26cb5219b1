"""Which files are manifests: files and directories (recursive, *.yaml / *.yml, sorted)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from syncform.core.errors import UsageError

MANIFEST_SUFFIXES = (".yaml", ".yml")
CONFIG_FILE_NAME = "syncform.yaml"


def discover_files(paths: Sequence[Path], exclude: Iterable[Path] = ()) -> list[Path]:
    """Manifest files under `paths`, sorted, without duplicates and without `exclude`d files.

    Hidden directories (such as `.syncform/` or `.git/`) are skipped when walking.
    """
    skipped = {path.resolve() for path in exclude}
    found: dict[Path, Path] = {}
    for path in paths:
        if not path.exists():
            raise UsageError(f"no such file or directory: {path}")
        for candidate in _walk(path):
            resolved = candidate.resolve()
            if resolved not in skipped:
                found.setdefault(resolved, candidate)
    return sorted(found.values(), key=str)


def _walk(path: Path) -> list[Path]:
    if path.is_file():
        return [path]
    files: list[Path] = []
    for child in sorted(path.iterdir()):
        if child.name.startswith("."):
            continue
        if child.is_dir():
            files.extend(_walk(child))
        elif child.suffix in MANIFEST_SUFFIXES:
            files.append(child)
    return files


def default_config_path(paths: Sequence[Path]) -> Path | None:
    """`syncform.yaml` at the root of the first path (the path itself, or its folder)."""
    if not paths:
        return None
    first = paths[0]
    root = first if first.is_dir() else first.parent
    candidate = root / CONFIG_FILE_NAME
    return candidate if candidate.is_file() else None
