"""Manifest files -> located `Resource`s plus per-document findings (envelope and spec schemas)."""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from syncform.core.address import API_VERSION, Address, SourceLocation, nearest_location
from syncform.core.errors import ManifestError
from syncform.core.findings import Finding
from syncform.core.resources import Lifecycle, Resource
from syncform.manifests.discovery import discover_files
from syncform.manifests.yaml_loader import (
    LoadedDocument,
    decode_text,
    load_documents,
    parse_documents,
)
from syncform.schemas import manifest_schema
from syncform.schemas.validation import iter_schema_issues


@dataclass(frozen=True)
class ManifestSet:
    resources: tuple[Resource, ...]
    findings: tuple[Finding, ...]
    files: tuple[Path, ...]


def load_manifests(
    paths: Sequence[Path], *, kinds: Collection[str], exclude: Iterable[Path] = ()
) -> ManifestSet:
    """Load every manifest of the given `kinds` under `paths`; never stops at the first problem."""
    files = discover_files(paths, exclude)
    loaders = [functools.partial(load_documents, file, display_path(file)) for file in files]
    return _load_all(loaders, tuple(files), kinds)


def load_manifest_texts(
    named: Sequence[tuple[str, bytes]], *, kinds: Collection[str]
) -> ManifestSet:
    """Manifests from file contents already read (e.g. from git), each shown by its name."""
    loaders = [functools.partial(_parse_bytes, data, name) for name, data in named]
    return _load_all(loaders, tuple(Path(name) for name, _ in named), kinds)


def _parse_bytes(data: bytes, name: str) -> list[LoadedDocument]:
    return parse_documents(decode_text(data, name), name)


def _load_all(
    loaders: Sequence[Callable[[], list[LoadedDocument]]],
    files: tuple[Path, ...],
    kinds: Collection[str],
) -> ManifestSet:
    resources: list[Resource] = []
    findings: list[Finding] = []
    for load in loaders:
        try:
            documents = load()
        except ManifestError as exc:
            where = SourceLocation(exc.file, exc.line, exc.column)
            findings.append(Finding(where, "yaml.load", exc.reason))
            continue
        for document in documents:
            resource, problems = _read_document(document, kinds)
            findings.extend(problems)
            if resource is not None:
                resources.append(resource)
    return ManifestSet(tuple(resources), tuple(findings), files)


def display_path(path: Path) -> str:
    """Paths as the user would write them: relative to the working directory when below it."""
    try:
        return str(Path(os.path.realpath(path)).relative_to(Path.cwd().resolve()))  # loop-safe
    except ValueError:
        return str(path)


def _read_document(
    document: LoadedDocument, kinds: Collection[str]
) -> tuple[Resource | None, list[Finding]]:
    findings = [Finding(p.location, p.rule, p.message) for p in document.problems]
    data, locations = document.data, document.locations
    if not isinstance(data, dict):
        findings.append(
            Finding(document.location, "manifest.shape", "a manifest must be a mapping")
        )
        return None, findings
    header = _check_header(data, locations, document.location, kinds)
    if header:
        return None, findings + header
    # The envelope schema applies the kind's spec schema to /spec itself.
    findings.extend(_schema_findings(data, manifest_schema(), "", locations, document.location))
    return _build_resource(data, locations, document.location), findings


def _check_header(
    data: Mapping[str, Any],
    locations: Mapping[str, SourceLocation],
    where: SourceLocation,
    kinds: Collection[str],
) -> list[Finding]:
    api_version, kind = data.get("apiVersion"), data.get("kind")
    if api_version != API_VERSION:
        at = locations.get("/apiVersion", where)
        message = f"unknown apiVersion {api_version!r}; expected {API_VERSION!r}"
        return [Finding(at, "manifest.api-version", message, "/apiVersion")]
    if kind not in kinds:
        at = locations.get("/kind", where)
        message = f"unknown kind {kind!r}; expected one of {', '.join(kinds)}"
        return [Finding(at, "manifest.kind", message, "/kind")]
    return []


def _schema_findings(
    instance: Any,
    schema: Mapping[str, Any],
    prefix: str,
    locations: Mapping[str, SourceLocation],
    default: SourceLocation,
) -> list[Finding]:
    findings = []
    for issue in iter_schema_issues(instance, schema):
        pointer = prefix + issue.pointer
        findings.append(
            Finding(
                nearest_location(locations, pointer, default), issue.rule, issue.message, pointer
            )
        )
    return findings


def _build_resource(
    plain: Mapping[str, Any], locations: Mapping[str, SourceLocation], where: SourceLocation
) -> Resource | None:
    metadata = plain.get("metadata")
    if not isinstance(metadata, dict) or not isinstance(metadata.get("name"), str):
        return None
    spec = plain.get("spec")
    return Resource(
        address=Address(plain["kind"], metadata["name"]),
        connection=metadata.get("connection")
        if isinstance(metadata.get("connection"), str)
        else None,
        spec=spec if isinstance(spec, dict) else {},
        lifecycle=_lifecycle(plain.get("lifecycle")),
        depends_on=_depends_on(metadata.get("dependsOn")),
        import_id=_import_id(metadata.get("importId")),
        location=where,
        locations=locations,
    )


def _lifecycle(raw: Any) -> Lifecycle:
    if not isinstance(raw, dict):
        return Lifecycle()
    ignore = raw.get("ignore_changes")
    return Lifecycle(
        protect=raw.get("protect") is True,
        ignore_changes=tuple(p for p in ignore if isinstance(p, str))
        if isinstance(ignore, list)
        else (),
        create_before_destroy=raw.get("create_before_destroy") is True,
        keep_stories_on_delete=raw.get("keep_stories_on_delete") is True,
    )


def _import_id(raw: Any) -> str | None:
    return str(raw) if isinstance(raw, str | int) and not isinstance(raw, bool) else None


def _depends_on(raw: Any) -> tuple[Address, ...]:
    if not isinstance(raw, list):
        return ()
    addresses = []
    for item in raw:
        if isinstance(item, str) and "/" in item:
            try:
                addresses.append(Address.parse(item))
            except ValueError:
                continue
    return tuple(addresses)
