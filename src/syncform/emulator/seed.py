"""Seed files (YAML, hand-written) and data files (JSON, the emulator's own dump).

Both share one structure (see docs/emulator.md). A seed is normalised: defaults filled,
ids and timestamps assigned, sync destinations synced. A data file is loaded as it is.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import yaml

from syncform.core.errors import EmulatorError
from syncform.emulator.default_seed import DEFAULT_SEED
from syncform.emulator.http_types import VendorError
from syncform.emulator.seed_check import check_seed
from syncform.emulator.seed_polytomic import normalise_polytomic
from syncform.emulator.seed_tines import normalise_tines
from syncform.emulator.seed_truto import normalise_truto
from syncform.emulator.store import META_KEY, Store, utc_now

Obj = dict[str, Any]
TOP_LEVEL_KEYS = frozenset({"tines", "truto", "polytomic", "faults", "latency", META_KEY})


def read_seed_file(path: Path) -> Obj:
    """Parse a YAML (or JSON) seed file into a mapping."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise EmulatorError(f"cannot read the emulator seed {path}: {exc}") from exc
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise EmulatorError(f"the emulator seed {path} must be a mapping")
    return raw


def read_data_file(path: Path) -> Obj:
    """Load a data file written by the emulator (no normalisation)."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise EmulatorError(f"cannot read the emulator data {path}: {exc}") from exc
    if not isinstance(raw, dict) or set(raw) - TOP_LEVEL_KEYS:
        raise EmulatorError(f"the emulator data {path} is not an emulator data file")
    return raw


def build_data(
    seed: Obj, clock: Callable[[], datetime] = utc_now, *, source: str = "the emulator seed"
) -> Obj:
    """Validate a seed (errors name `source` and the path), then normalise it into the data."""
    check_seed(seed, source)
    data = copy.deepcopy(seed)
    store = Store(data, clock)
    try:
        normalise_tines(store)
        normalise_truto(store)
        normalise_polytomic(store)
    except VendorError as exc:
        raise EmulatorError(f"{source}: invalid emulator seed: {exc.message}") from exc
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        problem = f"{type(exc).__name__}: {exc}"
        raise EmulatorError(f"{source}: invalid emulator seed: {problem}") from exc
    data.setdefault("faults", [])
    data.setdefault("latency", {})
    return data


def load_seed(path: Path | None, clock: Callable[[], datetime] = utc_now) -> Obj:
    """The data tree for a seed file, or for the built-in default seed when path is None."""
    if path is None:
        return build_data(copy.deepcopy(DEFAULT_SEED), clock, source="the built-in seed")
    return build_data(read_seed_file(path), clock, source=str(path))
