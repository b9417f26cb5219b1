"""How each connection is reached: over the network, or in-process by the embedded emulator.

`Transports` is the one factory: an `https://` (or loopback `http://`) URL is used as it is, with
httpx's own network transport; an `emulator://NAME/<mount>` URL is served by the emulator package
(`syncform.emulator.endpoints`), the only place production code reaches the emulator through.
Tests and benchmarks hand their own emulator apps to the same factory.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from syncform.core.errors import ConfigError
from syncform.http import Transport
from syncform.manifests.config import Config, Connection

if TYPE_CHECKING:
    from syncform.emulator.endpoints import EmulatorApp, EmulatorEndpoints


@dataclass(frozen=True)
class Endpoint:
    url: str  # the base URL the connection's client is bound to
    transport: Transport | None = None  # None: the network
    default_token: str | None = None  # used when the connection names no token


class TransportFactory(Protocol):
    def endpoint(self, connection: Connection) -> Endpoint: ...

    def close(self) -> None:
        """Release what the endpoints hold (and save embedded emulators that changed)."""


class Transports:
    """The network for real URLs, the embedded emulator for `emulator://` ones."""

    def __init__(self, config: Config, emulator_apps: Mapping[str, EmulatorApp] | None = None):
        self._config, self._apps = config, emulator_apps
        self._emulators: EmulatorEndpoints | None = None

    def endpoint(self, connection: Connection) -> Endpoint:
        if not connection.is_emulator:
            return Endpoint(connection.url)
        try:
            found = self._emulator_endpoints().endpoint(connection.url, connection.provider)
        except ConfigError as exc:
            where = f"{connection.location}: connection {connection.name!r}"
            raise ConfigError(f"{where}: {exc.message}") from None
        return Endpoint(found.url, found.transport, found.default_token)

    def close(self) -> None:
        if self._emulators is not None:
            self._emulators.close()

    def _emulator_endpoints(self) -> EmulatorEndpoints:
        if self._emulators is None:
            # Imported on first use: a run on real URLs never loads the emulator (about 45 ms).
            from syncform.emulator.endpoints import EmulatorEndpoints  # noqa: PLC0415

            data_dir = self._config.data_dir / "emulator"
            seeds = self._config.emulator_seeds
            self._emulators = EmulatorEndpoints(data_dir, seeds, self._apps)
        return self._emulators
