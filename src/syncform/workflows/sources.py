"""What every workflow starts from: manifest paths and syncform.yaml, loaded and validated."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from syncform.checks import ValidationReport, validate_paths
from syncform.checks.secret_sources import TOO_SHORT_TO_MASK
from syncform.core.errors import ConfigError, ValidationFailed
from syncform.core.files import read_regular_file
from syncform.manifests.config import Config, find_config_path, load_config
from syncform.manifests.yaml_loader import MAX_FILE_BYTES
from syncform.providers.registry import CATALOG


@dataclass(frozen=True)
class Sources:
    """Manifest files or folders (none: the current folder) and an explicit syncform.yaml."""

    paths: tuple[Path, ...] = ()
    config_path: Path | None = None

    @property
    def chosen_paths(self) -> list[Path]:
        return list(self.paths) if self.paths else [Path(".")]


def valid_sources(
    sources: Sources, environ: Mapping[str, str], *, command: str
) -> ValidationReport:
    """The validated manifests and config; raises unless both are free of errors."""
    paths = sources.chosen_paths
    config_file = find_config_path(paths, sources.config_path, environ)
    if config_file is None:
        raise ConfigError(f"no syncform.yaml found: {command} needs connections (give --config)")
    report = validate_paths(paths, config_file, CATALOG, environ)
    if report.errors:
        raise ValidationFailed(
            report.errors, files=len(report.manifests.files), resources=len(report.resources)
        )
    return report


def config_only(config_path: Path | None, environ: Mapping[str, str]) -> Config | None:
    """syncform.yaml alone, for commands that take no manifests (None when there is none);
    raises when it is not valid."""
    found = find_config_path([Path(".")], config_path, environ)
    if found is None:
        return None
    result = load_config(found, found.parent)
    if result.findings:
        raise ConfigError(f"{found} is not valid: run `syncform validate`")
    return result.config


def warn_unmaskable_secrets(report: ValidationReport, warn: Callable[[str], None]) -> None:
    """Say, before anything is read, which secrets are too short to be masked in free text."""
    for finding in report.findings:
        if finding.rule == TOO_SHORT_TO_MASK:
            warn(f"{finding.location}: {finding.rule}: {finding.message}")


def manifests_digest(files: Sequence[Path], config_path: Path | None) -> str:
    """sha256 over every manifest file (and the config), by name and content, in sorted order."""
    digest = hashlib.sha256()
    for path in sorted({*files, *([config_path] if config_path else [])}):
        content = read_regular_file(path, MAX_FILE_BYTES)  # as validated: regular, bounded
        digest.update(path.name.encode() + b"\0" + content + b"\0")
    return f"sha256:{digest.hexdigest()}"
