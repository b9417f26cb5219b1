"""The one registry of kinds: each kind's driver, and what is derived from them.

Adding a kind is a folder under `providers/` with its driver, plus one line in `DRIVERS`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from syncform.core.errors import ConfigError, SyncformError
from syncform.core.kinds import KindTraits
from syncform.http import VendorProfile
from syncform.providers.driver import KindDriver
from syncform.providers.polytomic.driver import MODEL_SYNC
from syncform.providers.tines.driver import SYNC_DESTINATION
from syncform.providers.truto.driver import INTEGRATION, SYNC_JOB

DRIVERS: dict[str, KindDriver] = {
    driver.kind: driver for driver in (SYNC_DESTINATION, INTEGRATION, SYNC_JOB, MODEL_SYNC)
}
KINDS: tuple[str, ...] = tuple(DRIVERS)
CATALOG: dict[str, KindTraits] = {kind: driver.traits for kind, driver in DRIVERS.items()}
VENDORS: dict[str, VendorProfile] = {
    driver.vendor.name: driver.vendor for driver in DRIVERS.values()
}


def driver_for(kind: str) -> KindDriver:
    try:
        return DRIVERS[kind]
    except KeyError:
        raise SyncformError(f"no driver for kind {kind!r}") from None


def vendor_named(name: str) -> VendorProfile:
    try:
        return VENDORS[name]
    except KeyError:
        known = ", ".join(sorted(VENDORS))
        raise ConfigError(f"unknown provider {name!r}; expected one of {known}") from None


def provider_of(kind: str) -> str:
    return driver_for(kind).traits.provider


def normalise_desired(kind: str, spec: Mapping[str, Any]) -> dict[str, Any]:
    """A desired spec in the shape live specs are normalised to (pure; secrets and refs kept)."""
    return driver_for(kind).normalise_desired(spec)


def normalise_live(kind: str, payload: Mapping[str, Any]) -> dict[str, Any]:
    """A live payload (a full object) reduced to the manifest's normalised spec shape."""
    return driver_for(kind).normalise_live(payload)


def strip_write_only(kind: str, spec: Mapping[str, Any]) -> dict[str, Any]:
    return driver_for(kind).strip_write_only(spec)
