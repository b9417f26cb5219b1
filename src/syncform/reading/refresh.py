"""`refresh` as a library call: read every resource of a validated manifest set, read-only."""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager

from syncform.config import Config
from syncform.connections import ConnectionPool
from syncform.emulator import EmulatorApp
from syncform.engine.inputs import StateRecord
from syncform.http import RetryPolicy, Scrubber
from syncform.manifests.resource import Resource
from syncform.model import Address
from syncform.reading.reader import ReadReport, read_live
from syncform.resolve import Resolver
from syncform.state import SecretHasher, load_state_key, open_state
from syncform.state.secret_hash import KEY_FILE_NAME, STATE_KEY_ENV


@contextmanager
def read_only_session(
    config: Config,
    *,
    environ: Mapping[str, str],
    scrubber: Scrubber,
    retry: RetryPolicy | None = None,
    sleep: Callable[[float], None] | None = None,
    emulator_apps: Mapping[str, EmulatorApp] | None = None,
) -> Iterator[tuple[Resolver, ConnectionPool]]:
    """A resolver and a pool of read-only clients (mutating requests raise before sending)."""
    resolver = Resolver(
        config, environ=environ, hasher=read_only_hasher(config, environ), scrubber=scrubber
    )
    with ConnectionPool(
        config,
        environ=environ,
        read_only=True,
        scrubber=scrubber,
        retry=retry,
        sleep=sleep or time.sleep,
        emulator_apps=emulator_apps,
    ) as pool:
        yield resolver, pool


def refresh(
    config: Config,
    resources: Sequence[Resource],
    *,
    environ: Mapping[str, str],
    parallelism: int | None = None,
    scrubber: Scrubber | None = None,
    retry: RetryPolicy | None = None,
    sleep: Callable[[float], None] | None = None,
    emulator_apps: Mapping[str, EmulatorApp] | None = None,
) -> ReadReport:
    """Resolve and read every resource with read-only clients; nothing is written anywhere."""
    with read_only_session(
        config,
        environ=environ,
        scrubber=scrubber if scrubber is not None else Scrubber(),
        retry=retry,
        sleep=sleep,
        emulator_apps=emulator_apps,
    ) as (resolver, pool):
        return read_live(
            resources,
            resolver=resolver,
            clients=pool,
            state=state_records(config),
            parallelism=parallelism or config.parallelism,
        )


def state_records(config: Config) -> dict[Address, StateRecord]:
    """Every record of the state store (none when it does not exist yet)."""
    return {record.address: record for record in open_state(config.state_path).all()}


def read_only_hasher(config: Config, environ: Mapping[str, str]) -> SecretHasher:
    """The state key's hasher when a key exists; else a throwaway key, so reading creates no
    file (digests are then only comparable within this run)."""
    state_dir = config.state_path.parent
    if environ.get(STATE_KEY_ENV) is not None or (state_dir / KEY_FILE_NAME).exists():
        return SecretHasher(load_state_key(state_dir, environ, create_if_missing=False))
    return SecretHasher(secrets.token_bytes(32))
