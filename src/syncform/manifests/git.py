"""Manifest files as they are at a git commit, read with the `git` command line.

`git` runs as a subprocess with an argument list (never through a shell), a timeout, and an
environment of its own: only what git needs to find the repository (PATH, HOME, `GIT_DIR`-like
variables), never the caller's secrets. What is read mirrors `discovery.discover_files` on the
working tree: under each path, `*.yaml` / `*.yml` blobs (a path given as a file is read whatever its
name), hidden files and folders below it skipped, symbolic links and submodules skipped, the
`exclude`d files (syncform.yaml, emulator seeds) left out. Each file is shown by the name its
working-tree copy would have (relative to the current folder), so findings and annotations of both
sides name the same file.

Errors are `UsageError`s (exit 64): git not installed, not a git repository, a path outside the
repository, an unknown ref (in CI, usually a shallow clone that lacks the base commit).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from syncform.core.errors import UsageError
from syncform.manifests.discovery import MANIFEST_SUFFIXES
from syncform.manifests.loader import display_path
from syncform.manifests.yaml_loader import MAX_FILE_BYTES

GIT_TIMEOUT_SECONDS = 60.0
_REGULAR_MODES = ("100644", "100755")
# What git may see of the caller's environment: where to find itself and the repository.
_PASSED_THROUGH = (
    "PATH",
    "HOME",
    "SYSTEMROOT",
    "GIT_DIR",
    "GIT_WORK_TREE",
    "GIT_CEILING_DIRECTORIES",
    "GIT_CONFIG_GLOBAL",
    "GIT_CONFIG_NOSYSTEM",
    "GIT_OBJECT_DIRECTORY",
    "GIT_ALTERNATE_OBJECT_DIRECTORIES",
)


@dataclass(frozen=True)
class GitFile:
    """One file at the commit: its display name and bytes (None: over the size limit)."""

    name: str
    data: bytes | None


@dataclass(frozen=True)
class GitTree:
    ref: str
    commit: str  # the full commit id the ref names
    files: tuple[GitFile, ...]


@dataclass(frozen=True)
class _Entry:
    path: str  # relative to the repository's top folder, `/`-separated
    blob: str
    size: int


def read_tree(
    ref: str,
    paths: Sequence[Path],
    environ: Mapping[str, str],
    *,
    exclude: Iterable[Path] = (),
    timeout: float = GIT_TIMEOUT_SECONDS,
) -> GitTree:
    """The manifest files under `paths` as they are at `ref` (see the module docstring)."""
    git = _Git(environ, timeout, Path.cwd())
    top = Path(git.run("rev-parse", "--show-toplevel").decode().strip())
    git.cwd = top
    commit = git.resolve(ref)
    roots = [_in_repository(path, top) for path in paths]
    skipped = {_in_repository(path, top) for path in exclude if _inside(path, top)}
    listing = git.run("ls-tree", "-r", "-l", "-z", "--full-tree", commit, "--", *roots)
    entries = [e for e in _parse_listing(listing) if _wanted(e.path, roots, skipped)]
    contents = git.blobs([e.blob for e in entries if e.size <= MAX_FILE_BYTES])
    files = tuple(GitFile(display_path(top / e.path), contents.get(e.blob)) for e in entries)
    return GitTree(ref, commit, files)


class _Git:
    def __init__(self, environ: Mapping[str, str], timeout: float, cwd: Path) -> None:
        search = environ.get("PATH") or os.defpath
        executable = shutil.which("git", path=search)
        if executable is None:
            raise UsageError("git is not installed (or not on PATH): check needs it")
        self.executable = executable
        self.environ = _git_environment(environ)
        self.timeout = timeout
        self.cwd = cwd

    def run(self, *args: str, stdin: bytes | None = None) -> bytes:
        command = [self.executable, *args]
        try:
            done = subprocess.run(
                command,
                input=stdin,
                capture_output=True,
                cwd=self.cwd,
                env=self.environ,
                timeout=self.timeout,
                check=False,
            )
        except subprocess.TimeoutExpired as exc:
            raise UsageError(f"git {args[0]} took longer than {self.timeout:g} s") from exc
        except OSError as exc:
            raise UsageError(f"cannot run git: {exc.strerror or exc}") from exc
        if done.returncode != 0:
            raise UsageError(_git_failure(args[0], done.stderr))
        return done.stdout

    def resolve(self, ref: str) -> str:
        """The commit id `ref` names; a UsageError for anything else."""
        if not ref or ref.startswith("-") or "\0" in ref or "\n" in ref:
            raise UsageError(f"not a git ref: {ref!r}")
        try:
            found = self.run(
                "rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}"
            )
        except UsageError:
            raise UsageError(
                f"unknown git ref {ref!r}: no such commit, branch or tag here (in CI, fetch "
                "the base branch, e.g. actions/checkout with fetch-depth: 0)"
            ) from None
        return found.decode().strip()

    def blobs(self, ids: Sequence[str]) -> dict[str, bytes]:
        """The content of each blob, read by one `git cat-file --batch`."""
        if not ids:
            return {}
        unique = list(dict.fromkeys(ids))
        output = self.run("cat-file", "--batch", stdin=("\n".join(unique) + "\n").encode())
        return _parse_batch(output)


def _git_environment(environ: Mapping[str, str]) -> dict[str, str]:
    kept = {name: environ[name] for name in _PASSED_THROUGH if name in environ}
    return {**kept, "LC_ALL": "C", "GIT_TERMINAL_PROMPT": "0", "GIT_OPTIONAL_LOCKS": "0"}


def _git_failure(command: str, stderr: bytes) -> str:
    text = stderr.decode("utf-8", "replace").strip().splitlines()
    first = text[0] if text else "no message"
    if "not a git repository" in first:
        return "not a git repository: check compares with a git commit (run it inside a clone)"
    return f"git {command} failed: {first[:300]}"


def _inside(path: Path, top: Path) -> bool:
    return Path(os.path.realpath(path)).is_relative_to(top)


def _in_repository(path: Path, top: Path) -> str:
    """`path` as git names it: relative to the repository's top folder, `/`-separated."""
    real = Path(os.path.realpath(path))
    if not real.is_relative_to(top):
        raise UsageError(f"{path} is outside the git repository {top}")
    relative = real.relative_to(top).as_posix()
    return relative or "."


def _parse_listing(listing: bytes) -> list[_Entry]:
    """`<mode> <type> <blob> <size>\\t<path>` records, NUL-separated; regular files only."""
    entries = []
    for record in listing.split(b"\0"):
        if not record:
            continue
        header, _, path = record.partition(b"\t")
        mode, kind, blob, size = header.decode().split()
        if kind == "blob" and mode in _REGULAR_MODES:
            entries.append(_Entry(path.decode("utf-8", "surrogateescape"), blob, int(size)))
    return entries


def _wanted(path: str, roots: Sequence[str], skipped: set[str]) -> bool:
    """As discovery decides on the working tree: a given file, else a visible manifest file."""
    if path in skipped:
        return False
    for root in roots:
        if path == root:
            return True
        if root == ".":
            below = PurePosixPath(path)
        elif path.startswith(root + "/"):
            below = PurePosixPath(path[len(root) + 1 :])
        else:
            continue
        hidden = any(part.startswith(".") for part in below.parts)
        if not hidden and below.suffix in MANIFEST_SUFFIXES:
            return True
    return False


def _parse_batch(output: bytes) -> dict[str, bytes]:
    """`<blob> blob <size>\\n<content>\\n` repeated, as `git cat-file --batch` prints it."""
    contents: dict[str, bytes] = {}
    position = 0
    while position < len(output):
        end = output.index(b"\n", position)
        blob, _, size = output[position:end].decode().split()
        start = end + 1
        contents[blob] = output[start : start + int(size)]
        position = start + int(size) + 1
    return contents
