"""Benchmark: `syncform check` of a change to N resources, in a temporary git repository.

    python benchmarks/check_at_scale.py [--resources N] [--json]

It writes N Tines sync destinations (50 per file) and commits them, then changes every one of
them in the working tree: most gain a story (an in-place update), one in 20 moves to another
destination team (a replace), one in 50 is removed (a delete). It then runs `syncform check --base
HEAD` in this process (the CLI's `main`), once per output format, and reports each run's wall time
and the markdown's size. It exits 1 when the counts are not the expected ones. No timing is
asserted; compare with the 5-second budget of issue 13.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from syncform.cli import main as syncform_main

PER_FILE = 50
GIT_ENV = {
    "PATH": os.environ.get("PATH", os.defpath),
    "HOME": tempfile.gettempdir(),
    "GIT_AUTHOR_NAME": "bench",
    "GIT_AUTHOR_EMAIL": "bench@syncform.invalid",
    "GIT_COMMITTER_NAME": "bench",
    "GIT_COMMITTER_EMAIL": "bench@syncform.invalid",
}


def _document(index: int, team: int, stories: list[int]) -> str:
    return "\n".join(
        [
            "apiVersion: syncform/v1",
            "kind: TinesSyncDestination",
            "metadata:",
            f"  name: dest-{index:05d}",
            "spec:",
            "  team_id: 7",
            "  destination_tenant_url: https://dr.acme.tines.com",
            f"  destination_team_id: {team}",
            "  destination_tenant_api_key: ${env:DR_KEY}",
            f"  story_ids: {json.dumps(stories)}",
        ]
    )


def _write(root: Path, documents: dict[int, str]) -> None:
    folder = root / "manifests"
    folder.mkdir(exist_ok=True)
    for old in folder.glob("*.yaml"):
        old.unlink()
    files: dict[int, list[str]] = {}
    for index, text in sorted(documents.items()):
        files.setdefault(index // PER_FILE, []).append(text)
    for number, texts in files.items():
        (folder / f"part-{number:03d}.yaml").write_text("\n---\n".join(texts) + "\n")


def _git(root: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=root, env=GIT_ENV, check=True, capture_output=True)


def _expected(count: int) -> dict[str, int]:
    deletes = sum(1 for i in range(count) if i % 50 == 49)
    replaces = sum(1 for i in range(count) if i % 20 == 19 and i % 50 != 49)
    return {"update": count - deletes - replaces, "replace": replaces, "delete": deletes}


def _changed(index: int) -> str | None:
    if index % 50 == 49:
        return None  # removed: a delete
    team = 10_000 + index if index % 20 == 19 else 1_000 + index  # a replace, else the same team
    return _document(index, team, [1, 2, 3])


def _run(args: list[str]) -> tuple[int, str, float]:
    out = io.StringIO()
    started = time.perf_counter()
    with contextlib.redirect_stdout(out):
        code = syncform_main(args)
    return code, out.getvalue(), time.perf_counter() - started


def measure(count: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        _git(root, "init", "-q")
        _write(root, {i: _document(i, 1_000 + i, [1, 2]) for i in range(count)})
        _git(root, "add", "-A")
        _git(root, "commit", "-q", "-m", "base")
        changed = {i: text for i in range(count) if (text := _changed(i)) is not None}
        _write(root, changed)
        previous = Path.cwd()
        os.chdir(root)
        try:
            runs = {
                output: _run(["check", "--base", "HEAD", "manifests", "-o", output])
                for output in ("json", "text", "markdown", "github")
            }
        finally:
            os.chdir(previous)
    code, text, _ = runs["json"]
    summary = json.loads(text)["summary"]
    found = {key: summary[key] for key in ("update", "replace", "delete")}
    return {
        "resources": count,
        "exit_code": code,
        "counts": found,
        "counts_ok": found == _expected(count) and code == 4,
        "seconds": {output: round(seconds, 3) for output, (_, _, seconds) in runs.items()},
        "markdown_chars": len(runs["markdown"][1]),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--resources", type=int, default=2000)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--smoke", action="store_true", help="N=100: a run of a few seconds")
    options = parser.parse_args(argv)
    if options.smoke:
        options.resources = 100
    measure(max(options.resources // 10, 10))  # warm-up: imports, schema compilation
    figures = measure(options.resources)
    if options.json:
        print(json.dumps(figures, indent=2))
    else:
        print(f"check of {figures['resources']} changed resources: {figures['counts']}")
        for output, seconds in figures["seconds"].items():
            print(f"  --output {output:<8} {seconds:6.2f} s")
        print(f"  markdown: {figures['markdown_chars']} characters")
    return 0 if figures["counts_ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
