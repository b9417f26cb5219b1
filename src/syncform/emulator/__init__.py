"""syncform's local emulator of the Tines, Truto and Polytomic APIs.

Entry points: EmulatorApp (the framework-free core), EmulatorTransport (httpx, in-process),
running_server / make_server (real HTTP), open_persistent_emulator (emulator://NAME).
"""

from __future__ import annotations

from syncform.emulator.app import EmulatorApp, RequestLogEntry
from syncform.emulator.faults import GlobalFaults
from syncform.emulator.http_types import ConnectionDropped, EmulatorRequest, EmulatorResponse
from syncform.emulator.persistence import (
    PersistentEmulator,
    default_token,
    open_persistent_emulator,
)
from syncform.emulator.seed import load_seed
from syncform.emulator.server import make_server, running_server
from syncform.emulator.transport import EmulatorTransport

__all__ = [
    "ConnectionDropped",
    "EmulatorApp",
    "EmulatorRequest",
    "EmulatorResponse",
    "EmulatorTransport",
    "GlobalFaults",
    "PersistentEmulator",
    "RequestLogEntry",
    "default_token",
    "load_seed",
    "make_server",
    "open_persistent_emulator",
    "running_server",
]
