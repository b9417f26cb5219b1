"""A throwaway PostgreSQL server for tests (and the state benchmark): initdb + pg_ctl in a
temporary folder, trust authentication, listening on 127.0.0.1 and a free port only.

initdb refuses to run as root, so as root the server runs as `nobody` (through `runuser`), its
folder owned by that user. With no server binaries (`pg_ctl` on PATH or under
/usr/lib/postgresql/*/bin) the tests that need it are skipped with one line, except under
`CI=true`, where they fail: CI installs PostgreSQL (`.ci/run`) and must run them.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

SERVER_USER_WHEN_ROOT = "nobody"
SUPERUSER = "syncform"
NO_SERVER = "no PostgreSQL server binaries (pg_ctl, initdb) on this machine"


def server_binaries() -> Path | None:
    """The folder holding initdb and pg_ctl, or None."""
    found = shutil.which("pg_ctl")
    candidates = [Path(found).resolve().parent] if found else []
    candidates += sorted(map(Path, glob.glob("/usr/lib/postgresql/*/bin")), reverse=True)
    for folder in candidates:
        if (folder / "pg_ctl").is_file() and (folder / "initdb").is_file():
            return folder
    return None


@dataclass(frozen=True)
class PostgresServer:
    port: int
    folder: Path

    def dsn(self, dbname: str = "postgres") -> str:
        return f"host=127.0.0.1 port={self.port} user={SUPERUSER} dbname={dbname}"

    def new_schema(self) -> str:
        """A schema name no other test uses (the state's tables live in one schema)."""
        return f"t_{uuid.uuid4().hex[:16]}"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _as_server_user(command: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return command
    return ["runuser", "-u", SERVER_USER_WHEN_ROOT, "--", *command]


def _run(command: list[str]) -> None:
    result = subprocess.run(
        _as_server_user(command), capture_output=True, text=True, timeout=120, check=False
    )
    if result.returncode != 0:
        raise RuntimeError(f"{command[0]} failed: {result.stdout}{result.stderr}")


def _server_folder() -> Path:
    """A private folder in /tmp, owned by the user the server runs as."""
    folder = Path(tempfile.mkdtemp(prefix="syncform-pg-"))
    if os.geteuid() == 0:
        user = pwd.getpwnam(SERVER_USER_WHEN_ROOT)
        os.chown(folder, user.pw_uid, user.pw_gid)
    return folder


@contextlib.contextmanager
def throwaway_server(binaries: Path) -> Iterator[PostgresServer]:
    """Start a server in a new folder; stop it and remove the folder at the end."""
    folder = _server_folder()
    data, port = folder / "data", _free_port()
    options = f"-k {folder} -h 127.0.0.1 -p {port} -c fsync=off -c max_connections=200"
    pg_ctl = str(binaries / "pg_ctl")
    try:
        _run([str(binaries / "initdb"), "-D", str(data), "-U", SUPERUSER, "--auth=trust",
              "--no-locale", "-E", "UTF8", "--no-sync"])  # fmt: skip
        _run([pg_ctl, "-D", str(data), "-l", str(folder / "log"), "-o", options, "-w", "start"])
        try:
            yield PostgresServer(port, folder)
        finally:
            _run([pg_ctl, "-D", str(data), "-m", "immediate", "-w", "stop"])
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """One server for the whole test session; a test takes a schema of its own."""
    binaries = server_binaries()
    if binaries is None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{NO_SERVER}: CI must run the PostgreSQL tests (see .ci/run)")
        pytest.skip(NO_SERVER)
    with throwaway_server(binaries) as server:
        yield server
