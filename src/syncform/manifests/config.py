"""syncform.yaml: connections, state settings and embedded emulators."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from syncform.core.address import SourceLocation, nearest_location
from syncform.core.errors import ConfigError, ManifestError
from syncform.core.findings import Finding
from syncform.http import Limits
from syncform.manifests.discovery import CONFIG_FILE_NAME, default_config_path
from syncform.manifests.yaml_loader import LoadedDocument, load_documents
from syncform.schemas import config_schema
from syncform.schemas.validation import iter_schema_issues

DEFAULT_STATE_PATH = Path(".syncform") / "state.db"
DEFAULT_STATE_SCHEMA = "syncform"
SQLITE_BACKEND, POSTGRES_BACKEND = "sqlite", "postgres"
DEFAULT_PARALLELISM = 10
DEFAULT_RUN_DEADLINE_SECONDS = 1800.0  # a whole plan, refresh or apply run: 30 minutes
CONFIG_ENV_VAR = "SYNCFORM_CONFIG"


@dataclass(frozen=True)
class Connection:
    name: str
    provider: str
    url: str
    token: str | None = None  # a ${env:}/${file:} reference, never a value
    api_version: str | None = None
    rate_limit: tuple[int, float] | None = None  # (requests, per_seconds)
    timeout_seconds: float | None = None
    integration_path: str = "/integration"
    team_id: str | None = None
    limits: Limits = field(default_factory=Limits)  # deadline, response size and page caps
    location: SourceLocation = field(default_factory=lambda: SourceLocation("<memory>"))

    @property
    def is_emulator(self) -> bool:
        return self.url.startswith("emulator://")


@dataclass(frozen=True)
class Config:
    path: Path | None
    root: Path
    connections: dict[str, Connection] = field(default_factory=dict)
    state_path: Path = DEFAULT_STATE_PATH
    state_backend: str = SQLITE_BACKEND  # or POSTGRES_BACKEND: state_dsn and state_schema
    state_dsn: str | None = None  # a ${env:}/${file:} reference, never a value
    state_schema: str = DEFAULT_STATE_SCHEMA
    emulator_seeds: dict[str, Path] = field(default_factory=dict)
    parallelism: int = DEFAULT_PARALLELISM
    run_deadline_seconds: float = DEFAULT_RUN_DEADLINE_SECONDS

    @property
    def data_dir(self) -> Path:
        """Where syncform keeps its local files (emulator data, state key)."""
        return self.root / ".syncform"


@dataclass(frozen=True)
class ConfigResult:
    config: Config
    findings: tuple[Finding, ...]


def find_config_path(
    paths: Sequence[Path], explicit: Path | None, environ: Mapping[str, str]
) -> Path | None:
    """--config, else SYNCFORM_CONFIG, else syncform.yaml at the root of the first path."""
    chosen = explicit or (Path(environ[CONFIG_ENV_VAR]) if environ.get(CONFIG_ENV_VAR) else None)
    if chosen is not None:
        if not chosen.is_file():
            raise ConfigError(f"config file not found: {chosen}")
        return chosen
    return default_config_path(paths)


def load_config(path: Path | None, fallback_root: Path) -> ConfigResult:
    """Load and check syncform.yaml; problems come back as findings, not exceptions."""
    if path is None:
        missing = Finding(
            SourceLocation(str(fallback_root / CONFIG_FILE_NAME)),
            "config.missing",
            f"no {CONFIG_FILE_NAME} found; connections are not checked (give --config)",
            severity="warning",
        )
        return ConfigResult(Config(None, fallback_root), (missing,))
    try:
        documents = load_documents(path)
    except ManifestError as exc:
        where = SourceLocation(exc.file, exc.line, exc.column)
        return ConfigResult(Config(path, path.parent), (Finding(where, "config.yaml", exc.reason),))
    return _config_from_documents(path, documents)


def _config_from_documents(path: Path, documents: list[LoadedDocument]) -> ConfigResult:
    empty = Config(path, path.parent)
    if len(documents) != 1 or not isinstance(documents[0].data, dict):
        where = SourceLocation(str(path), 1, 1)
        return ConfigResult(empty, (Finding(where, "config.shape", "must be one YAML mapping"),))
    document = documents[0]
    findings = [Finding(p.location, p.rule, p.message) for p in document.problems]
    locations = document.locations
    for issue in iter_schema_issues(document.data, config_schema()):
        where = nearest_location(locations, issue.pointer, document.location)
        findings.append(Finding(where, issue.rule, issue.message, issue.pointer))
    if findings:
        return ConfigResult(empty, tuple(findings))
    return ConfigResult(_build_config(path, document.data, locations), ())


def _build_config(
    path: Path, data: Mapping[str, Any], locations: Mapping[str, SourceLocation]
) -> Config:
    root = path.parent
    connections = {
        name: _connection(
            name, body, locations.get(f"/connections/{name}", SourceLocation(str(path)))
        )
        for name, body in (data.get("connections") or {}).items()
    }
    state = data.get("state") or {}
    emulators = data.get("emulators") or {}
    seeds = {name: root / body["seed"] for name, body in emulators.items() if body.get("seed")}
    defaults = data.get("defaults") or {}
    return Config(
        path=path,
        root=root,
        connections=connections,
        state_path=root / state.get("path", DEFAULT_STATE_PATH),
        state_backend=state.get("backend", SQLITE_BACKEND),
        state_dsn=state.get("dsn"),
        state_schema=state.get("schema", DEFAULT_STATE_SCHEMA),
        emulator_seeds=seeds,
        parallelism=int(defaults.get("parallelism", DEFAULT_PARALLELISM)),
        run_deadline_seconds=float(
            defaults.get("run_deadline_seconds", DEFAULT_RUN_DEADLINE_SECONDS)
        ),
    )


def _connection(name: str, body: Mapping[str, Any], where: SourceLocation) -> Connection:
    limit = body.get("rate_limit")
    return Connection(
        name=name,
        provider=body["provider"],
        url=body["url"],
        token=body.get("token"),
        api_version=body.get("api_version"),
        rate_limit=(int(limit["requests"]), float(limit["per_seconds"])) if limit else None,
        timeout_seconds=body.get("timeout_seconds"),
        integration_path=body.get("integration_path", "/integration"),
        team_id=body.get("team_id"),
        limits=_limits(body),
        location=where,
    )


def _limits(body: Mapping[str, Any]) -> Limits:
    """The connection's limits; a setting it does not give keeps the HTTP layer's default."""
    defaults = Limits()
    return Limits(
        request_deadline=float(body.get("request_deadline_seconds", defaults.request_deadline)),
        max_response_bytes=int(body.get("max_response_bytes", defaults.max_response_bytes)),
        max_pages=int(body.get("max_pages", defaults.max_pages)),
    )
