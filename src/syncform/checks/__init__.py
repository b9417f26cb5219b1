"""Offline validation: every check over a loaded manifest set, collected into one report."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from syncform.checks import graph_checks, spec_checks
from syncform.checks.secret_sources import secrets_too_short_to_mask
from syncform.core.findings import Finding
from syncform.core.kinds import KindCatalog
from syncform.core.resources import Resource
from syncform.manifests.config import Config, ConfigResult, load_config
from syncform.manifests.dependencies import iter_edges
from syncform.manifests.discovery import default_config_path
from syncform.manifests.loader import ManifestSet, load_manifests
from syncform.secrets.references import reference_strings


@dataclass(frozen=True)
class ValidationReport:
    config: Config
    manifests: ManifestSet
    findings: tuple[Finding, ...]

    @property
    def errors(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.is_error)

    @property
    def resources(self) -> tuple[Resource, ...]:
        return self.manifests.resources


def validate_paths(
    paths: Sequence[Path],
    config_path: Path | None,
    catalog: KindCatalog,
    environ: Mapping[str, str] | None = None,
) -> ValidationReport:
    """Every offline check; with `environ`, also warnings about the secrets it holds."""
    fallback_root = paths[0] if paths and paths[0].is_dir() else Path(".")
    config_result = load_config(config_path, fallback_root)
    excluded = not_manifests(paths, config_result.config)
    manifests = load_manifests(paths, kinds=tuple(catalog), exclude=excluded)
    findings = [*config_result.findings, *manifests.findings]
    findings.extend(check_resources(manifests.resources, config_result, catalog))
    if environ is not None:
        found = secrets_too_short_to_mask(manifests.resources, config_result.config, environ)
        findings.extend(found)
    return ValidationReport(config_result.config, manifests, tuple(sorted(set(findings))))


def not_manifests(paths: Sequence[Path], config: Config) -> list[Path]:
    """The config in use, the conventional syncform.yaml (even when --config names another one)
    and the emulator seeds are never manifests."""
    conventional = default_config_path(paths)
    candidates = [config.path, conventional, *config.emulator_seeds.values()]
    return [path for path in candidates if path is not None]


def check_resources(
    resources: Sequence[Resource], config_result: ConfigResult, catalog: KindCatalog
) -> list[Finding]:
    findings: list[Finding] = []
    findings.extend(graph_checks.duplicate_addresses(resources))
    findings.extend(graph_checks.duplicate_natural_keys(resources, catalog))
    if config_result.config.path is not None and not config_result.findings:
        findings.extend(graph_checks.connections(resources, config_result.config, catalog))
    # Each spec is scanned for references once; the edges serve both graph checks.
    scanned = [reference_strings(resource.spec, "/spec") for resource in resources]
    edges = list(iter_edges(resources, catalog, scanned))
    findings.extend(graph_checks.references(resources, catalog, scanned, edges))
    findings.extend(graph_checks.dependency_cycles(resources, catalog, edges))
    findings.extend(spec_checks.secrets_are_references(resources))
    findings.extend(spec_checks.ignore_changes_pointers(resources))
    for resource in resources:
        findings.extend(catalog[resource.kind].check(resource))
    return findings
