"""One ApiClient per connection of syncform.yaml, built on first use and closed together.

`https://` and loopback `http://` URLs are used as they are. `emulator://NAME/<mount>` is served
in-process by the embedded emulator NAME (seed from `emulators.NAME.seed`, data kept under
`.syncform/emulator/`), through an httpx transport: no socket, same behaviour. An emulator
connection without a token uses the emulator's default token for its vendor.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from types import TracebackType
from typing import Any

from syncform.config import Config, Connection
from syncform.emulator import (
    EmulatorApp,
    EmulatorTransport,
    PersistentEmulator,
    default_token,
    open_persistent_emulator,
)
from syncform.errors import ConfigError, SyncformError
from syncform.http import ApiClient, RateLimit, RequestCounters, RetryPolicy, Scrubber, Timeouts
from syncform.references import ReferenceSyntaxError, parse_reference
from syncform.resolve import read_reference_text

EMULATOR_SCHEME = "emulator://"
EMULATOR_ORIGIN = "http://localhost"  # never dialled: the transport answers in-process


class ConnectionPool:
    """Builds, shares and closes the clients of one run; thread-safe.

    `emulator_apps` serves emulator://NAME from a given app instead of the persistent one
    (tests). `close()` closes every client and saves every persistent emulator that changed.
    """

    def __init__(
        self,
        config: Config,
        *,
        environ: Mapping[str, str],
        read_only: bool,
        scrubber: Scrubber | None = None,
        retry: RetryPolicy | None = None,
        sleep: Callable[[float], None] = time.sleep,
        emulator_apps: Mapping[str, EmulatorApp] | None = None,
    ) -> None:
        self.config = config
        self.read_only = read_only
        self.scrubber = scrubber if scrubber is not None else Scrubber()
        self._environ = environ
        self._retry = retry
        self._sleep = sleep
        self._given_apps = dict(emulator_apps or {})
        self._emulators: dict[str, PersistentEmulator] = {}
        self._clients: dict[str, ApiClient] = {}
        self._lock = threading.Lock()

    def connection(self, name: str) -> Connection:
        try:
            return self.config.connections[name]
        except KeyError:
            known = ", ".join(sorted(self.config.connections)) or "none"
            raise ConfigError(f"unknown connection {name!r} (known: {known})") from None

    def client(self, name: str) -> ApiClient:
        """The connection's client, built on first use."""
        with self._lock:
            if name not in self._clients:
                self._clients[name] = self._build(self.connection(name))
            return self._clients[name]

    @property
    def counters(self) -> RequestCounters:
        with self._lock:
            clients = list(self._clients.values())
        total = RequestCounters()
        for client in clients:
            total = total + client.counters
        return total

    def close(self) -> None:
        with self._lock:
            clients, self._clients = list(self._clients.values()), {}
            emulators, self._emulators = list(self._emulators.values()), {}
        for client in clients:
            client.close()
        for emulator in emulators:
            if emulator.changed:
                emulator.save()

    def __enter__(self) -> ConnectionPool:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # -- building ---------------------------------------------------------------------------

    def _build(self, connection: Connection) -> ApiClient:
        if connection.is_emulator:
            return self._build_emulated(connection)
        if connection.token is None:
            raise ConfigError(f"{connection.location}: connection {connection.name!r} has no token")
        return self._client(connection, connection.url, self._token(connection), None)

    def _build_emulated(self, connection: Connection) -> ApiClient:
        name, mount = split_emulator_url(connection)
        app = self._emulator_app(name)
        if connection.token is not None:
            token = self._token(connection)
        else:
            tenant = mount.split("/")[1] if connection.provider == "tines" else None
            try:
                token = default_token(app, connection.provider, tenant)
            except SyncformError as exc:
                raise ConfigError(f"{connection.location}: {exc.message}") from None
        url = f"{EMULATOR_ORIGIN}/{mount}"
        return self._client(connection, url, token, EmulatorTransport(app))

    def _emulator_app(self, name: str) -> EmulatorApp:
        if name in self._given_apps:
            return self._given_apps[name]
        if name not in self._emulators:
            data_dir = self.config.data_dir / "emulator"
            seed = self.config.emulator_seeds.get(name)
            self._emulators[name] = open_persistent_emulator(name, seed, data_dir)
        return self._emulators[name].app

    def _client(self, connection: Connection, url: str, token: str, transport: Any) -> ApiClient:
        limit = RateLimit(*connection.rate_limit) if connection.rate_limit else None
        seconds = connection.timeout_seconds
        return ApiClient(
            url,
            vendor=connection.provider,
            token=token,
            api_version=connection.api_version,
            transport=transport,
            read_only=self.read_only,
            rate_limit=limit,
            retry=self._retry,
            timeout=Timeouts(connect=seconds, read=seconds) if seconds else None,
            scrubber=self.scrubber,
            sleep=self._sleep,
        )

    def _token(self, connection: Connection) -> str:
        where = f"{connection.location}: connection {connection.name!r} token"
        text = connection.token or ""
        try:
            reference = parse_reference(text)
        except ReferenceSyntaxError as exc:
            raise ConfigError(f"{where}: {exc}") from None
        if reference is None or not reference.is_secret_source:
            raise ConfigError(f"{where} must be a ${{env:NAME}} or ${{file:PATH}} reference")
        token = read_reference_text(reference, self.config.root, self._environ, where)
        self.scrubber.add(token)
        return token


def split_emulator_url(connection: Connection) -> tuple[str, str]:
    """`emulator://NAME/tines/acme` -> ("NAME", "tines/acme")."""
    rest = connection.url[len(EMULATOR_SCHEME) :]
    name, _, mount = rest.partition("/")
    mount = mount.strip("/")
    vendor = mount.split("/")[0] if mount else ""
    if not name or vendor != connection.provider:
        raise ConfigError(
            f"{connection.location}: connection {connection.name!r}: an emulator URL is "
            f"emulator://NAME/{connection.provider}"
            + ("/TENANT" if connection.provider == "tines" else "")
        )
    if connection.provider == "tines" and len(mount.split("/")) < 2:
        raise ConfigError(
            f"{connection.location}: connection {connection.name!r}: a Tines emulator URL names "
            "its tenant: emulator://NAME/tines/TENANT"
        )
    return name, mount
