"""Exported objects as manifest files: one YAML file per object, `<Kind>/<name>.yaml`.

Each file starts with comments saying where the object came from, which environment variables
its secrets are read from and what its manifest leaves out; each `${env:}` placeholder line ends
with a comment naming the variable to set.
"""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Any

from syncform.core.address import API_VERSION
from syncform.manifests.writer import dump_document
from syncform.reading.exported import ExportedObject


def manifest_path(exported: ExportedObject) -> PurePosixPath:
    """Where the object's manifest goes, relative to the export folder."""
    return PurePosixPath(exported.address.kind) / f"{exported.address.name}.yaml"


def render_manifest(exported: ExportedObject) -> str:
    document: dict[str, Any] = {
        "apiVersion": API_VERSION,
        "kind": exported.address.kind,
        "metadata": {"name": exported.address.name, "connection": exported.connection},
        "spec": exported.spec,
    }
    comments = {
        variable.placeholder: f"set {variable.name}: {variable.about}"
        for _, variable in exported.secrets
    }
    return dump_document(document, _header(exported), comments)


def _header(exported: ExportedObject) -> list[str]:
    lines = [
        f"Exported by `syncform export` from connection {exported.connection!r}, "
        f"remote id {exported.remote_id}; recorded in state as {exported.address}."
    ]
    if exported.secrets:
        names = ", ".join(sorted({variable.name for _, variable in exported.secrets}))
        lines.append(f"Set before `syncform plan`: {names} (the API never returns secrets).")
    lines.extend(exported.left_out)
    return lines
