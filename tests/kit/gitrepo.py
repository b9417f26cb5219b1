"""Temporary git repositories of manifests, for `syncform check`: commit a base, then edit."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

from syncform.core.address import Address

GIT_IDENTITY = {
    "GIT_AUTHOR_NAME": "syncform tests",
    "GIT_AUTHOR_EMAIL": "tests@syncform.invalid",
    "GIT_COMMITTER_NAME": "syncform tests",
    "GIT_COMMITTER_EMAIL": "tests@syncform.invalid",
}

TINES_DESTINATION: dict[str, Any] = {
    "team_id": 7,
    "destination_tenant_url": "https://dr.acme.tines.com",
    "destination_team_id": 42,
    "destination_tenant_api_key": "${env:DR_KEY}",
    "story_ids": [9981, 9982],
    "manual_sync_only": False,
}


def git(root: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false", *args],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
        env={"PATH": "/usr/bin:/bin:/usr/local/bin", "HOME": str(root), **GIT_IDENTITY},
    )
    return done.stdout


def init_repo(root: Path) -> None:
    git(root, "init", "-q")


def commit_all(root: Path, message: str = "change") -> str:
    git(root, "add", "-A")
    git(root, "commit", "-q", "--allow-empty", "-m", message)
    return git(root, "rev-parse", "HEAD").strip()


def manifest(
    address: Address, spec: dict[str, Any], lifecycle: dict[str, Any] | None = None
) -> dict[str, Any]:
    document: dict[str, Any] = {
        "apiVersion": "syncform/v1",
        "kind": address.kind,
        "metadata": {"name": address.name},
        "spec": spec,
    }
    if lifecycle:
        document["lifecycle"] = lifecycle
    return document


def to_yaml(document: Any, indent: int = 0) -> list[str]:
    """Block-style YAML, one key per line (so a field's line is easy to find), from JSON data."""
    pad = " " * indent
    lines: list[str] = []
    if isinstance(document, dict):
        for key, value in document.items():
            if isinstance(value, dict) and value:
                lines += [f"{pad}{key}:", *to_yaml(value, indent + 2)]
            else:
                lines.append(f"{pad}{key}: {json.dumps(value)}")
    return lines


def write_manifests(path: Path, *documents: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = "\n---\n".join("\n".join(to_yaml(document)) for document in documents)
    path.write_text(text + "\n")


def line_of(path: Path, needle: str) -> int:
    """The 1-based line of the first line of `path` that contains `needle`."""
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in {path}")
