"""One state store of either backend, as a spec another process can open too."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg

from syncform.state import StateStore, open_postgres_state, open_state
from syncform.state.clock import Clock, system_clock

REPO = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class StoreSpec:
    backend: str  # "sqlite" or "postgres"
    path: str = ""  # sqlite
    dsn: str = ""  # postgres
    schema: str = ""

    def open(self, clock: Clock = system_clock) -> StateStore:
        if self.backend == "sqlite":
            return open_state(Path(self.path), clock=clock)
        return open_postgres_state(self.dsn, self.schema, clock=clock)

    def to_json(self) -> str:
        return json.dumps(self.__dict__)

    @staticmethod
    def from_json(text: str) -> StoreSpec:
        return StoreSpec(**json.loads(text))

    def execute(self, statement: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        """Raw SQL on the backend (tables unqualified: the postgres search_path is the schema)."""
        if self.backend == "sqlite":
            import sqlite3  # noqa: PLC0415

            with sqlite3.connect(self.path) as connection:
                return connection.execute(statement.replace("%s", "?"), params).fetchall()
        with psycopg.connect(self.dsn, autocommit=True) as connection:
            connection.execute(f"SET search_path TO {self.schema}")
            cursor = connection.execute(statement, params)
            return cursor.fetchall() if cursor.description else []

    def exists(self) -> bool:
        """Whether anything was created for this state (a file, or a schema)."""
        if self.backend == "sqlite":
            return Path(self.path).parent.exists()
        with psycopg.connect(self.dsn, autocommit=True) as connection:
            row = connection.execute(
                "SELECT 1 FROM pg_namespace WHERE nspname = %s", (self.schema,)
            ).fetchone()
        return row is not None

    def drop(self) -> None:
        if self.backend == "postgres":
            with psycopg.connect(self.dsn, autocommit=True) as connection:
                connection.execute(f"DROP SCHEMA IF EXISTS {self.schema} CASCADE")


def store_process(spec: StoreSpec, script: str, *args: str) -> subprocess.Popen[str]:
    """`script` in another Python process, with `store` opened from `spec` (and `args` in
    sys.argv[2:]); pipes on."""
    prelude = (
        "import sys\n"
        "from tests.kit.state_stores import StoreSpec\n"
        "store = StoreSpec.from_json(sys.argv[1]).open()\n"
    )
    return subprocess.Popen(
        [sys.executable, "-c", prelude + script, spec.to_json(), *args],
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
