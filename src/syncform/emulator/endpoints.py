"""`emulator://NAME/<mount>` connection URLs, served in-process: the only door into the emulator
that production code uses (through the session's transport factory).

`NAME` picks an embedded emulator: a given app (tests, benchmarks) or a persistent one whose data
lives in `<data_dir>/NAME.json`, seeded from `seeds[NAME]` on first use. `<mount>` is the vendor
(`tines/TENANT`, `truto`, `polytomic`). A connection without a token uses the seed's first token.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from syncform.core.errors import ConfigError, EmulatorError
from syncform.emulator.app import EmulatorApp

__all__ = ["EmulatedEndpoint", "EmulatorApp", "EmulatorEndpoints"]
from syncform.emulator.persistence import (
    PersistentEmulator,
    default_token,
    open_persistent_emulator,
)
from syncform.emulator.transport import EmulatorTransport

SCHEME = "emulator://"
ORIGIN = "http://localhost"  # never dialled: the transport answers in-process


@dataclass(frozen=True)
class EmulatedEndpoint:
    url: str  # the base URL the client is bound to
    transport: EmulatorTransport
    default_token: str  # the seed's first token for the mount


class EmulatorEndpoints:
    """The emulators of one run; `close()` saves every persistent emulator that changed."""

    def __init__(
        self,
        data_dir: Path,
        seeds: Mapping[str, Path],
        apps: Mapping[str, EmulatorApp] | None = None,
    ) -> None:
        self._data_dir = data_dir
        self._seeds = dict(seeds)
        self._apps = dict(apps or {})
        self._persistent: dict[str, PersistentEmulator] = {}

    def endpoint(self, url: str, provider: str) -> EmulatedEndpoint:
        """Raises ConfigError for a malformed URL and for a mount with no token in the seed."""
        name, mount = split_emulator_url(url, provider)
        app = self._app(name)
        tenant = mount.split("/")[1] if provider == "tines" else None
        try:
            token = default_token(app, provider, tenant)
        except EmulatorError as exc:
            raise ConfigError(exc.message) from None
        return EmulatedEndpoint(f"{ORIGIN}/{mount}", EmulatorTransport(app), token)

    def close(self) -> None:
        persistent, self._persistent = list(self._persistent.values()), {}
        for emulator in persistent:
            emulator.save_if_changed()

    def _app(self, name: str) -> EmulatorApp:
        if name in self._apps:
            return self._apps[name]
        if name not in self._persistent:
            seed = self._seeds.get(name)
            self._persistent[name] = open_persistent_emulator(name, seed, self._data_dir)
        return self._persistent[name].app


def split_emulator_url(url: str, provider: str) -> tuple[str, str]:
    """`emulator://NAME/tines/acme` -> ("NAME", "tines/acme")."""
    name, _, mount = url[len(SCHEME) :].partition("/")
    mount = mount.strip("/")
    parts = mount.split("/") if mount else [""]
    expected = f"emulator://NAME/{provider}" + ("/TENANT" if provider == "tines" else "")
    if not name or parts[0] != provider:
        raise ConfigError(f"an emulator URL is {expected}")
    if provider == "tines" and len(parts) < 2:
        raise ConfigError(f"a Tines emulator URL names its tenant: {expected}")
    return name, mount
