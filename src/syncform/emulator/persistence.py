"""Emulators that outlive one process: `emulator://NAME` keeps its data in a JSON file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from syncform.core.closing import ClosedOnExit
from syncform.core.errors import EmulatorError
from syncform.core.files import write_file_atomically
from syncform.emulator.app import EmulatorApp
from syncform.emulator.seed import load_seed, read_data_file
from syncform.emulator.transport import EmulatorTransport


class PersistentEmulator(ClosedOnExit):
    """An EmulatorApp bound to a data file; saves it (atomically) when its data changed."""

    def __init__(self, app: EmulatorApp, data_file: Path) -> None:
        self.app = app
        self.data_file = data_file
        self._saved_generation = app.generation

    def transport(self) -> EmulatorTransport:
        return EmulatorTransport(self.app)

    @property
    def changed(self) -> bool:
        return self.app.generation != self._saved_generation

    def save(self) -> None:
        """Write the data file through a temporary file and os.replace."""
        with self.app.lock:
            generation = self.app.generation
            text = json.dumps(self.app.snapshot(), indent=2, sort_keys=True)
        write_atomically(self.data_file, text)
        self._saved_generation = generation

    def save_if_changed(self) -> None:
        if self.changed:
            self.save()

    def close(self) -> None:
        self.save_if_changed()


def write_atomically(path: Path, text: str) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_file_atomically(path, text.encode("utf-8"), 0o600)
    except OSError as exc:
        raise EmulatorError(f"cannot write the emulator data {path}: {exc}") from exc


def open_persistent_emulator(
    name: str, seed: Path | None, data_dir: Path, **options: Any
) -> PersistentEmulator:
    """Load `data_dir/NAME.json` if it exists, else start from the seed (None: built-in)."""
    if not name or "/" in name or name.startswith("."):
        raise EmulatorError(f"invalid emulator name {name!r}")
    data_file = data_dir / f"{name}.json"
    data = read_data_file(data_file) if data_file.exists() else load_seed(seed)
    app = EmulatorApp(data, **options)
    if seed is not None and data_file.exists():
        app.set_reset_point(load_seed(seed))
    return PersistentEmulator(app, data_file)


def default_token(app: EmulatorApp, vendor: str, tenant: str | None = None) -> str:
    """The seed's first valid token for a vendor (and Tines tenant): no configuration needed."""
    data = app.snapshot()
    tokens: list[str] = []
    if vendor == "tines":
        tenants = data.get("tines", {}).get("tenants", {})
        chosen = tenants.get(tenant) if tenant else next(iter(tenants.values()), None)
        tokens = list((chosen or {}).get("tokens", []))
    elif vendor == "truto":
        tokens = list(data.get("truto", {}).get("tokens", {}))
    elif vendor == "polytomic":
        tokens = list(data.get("polytomic", {}).get("tokens", []))
    if not tokens:
        where = f"{vendor}/{tenant}" if tenant else vendor
        raise EmulatorError(f"the emulator has no token for {where}")
    return tokens[0]
