"""Seed validation, up front: every problem names the seed file, the path and what is expected.

A seed that passes these checks normalises without error, and the app serves it without a 500.
"""

from __future__ import annotations

from typing import Any

from syncform.emulator.faults import parse_rule
from syncform.emulator.http_types import VendorError
from syncform.emulator.seed_check_polytomic import POLYTOMIC
from syncform.emulator.seed_check_tines import TINES
from syncform.emulator.seed_check_truto import TRUTO
from syncform.emulator.seed_rules import (
    TIMESTAMP,
    At,
    Rule,
    check_json_value,
    integer,
    nullable,
    number,
    shape,
)
from syncform.emulator.store import META_KEY

Obj = dict[str, Any]
FAULT_EXPECTED = "a fault rule as POST /_emulator/faults takes (see docs/emulator.md)"

LATENCY = shape(
    "a mapping {ms?, jitter_ms?, error_rate?}",
    {},
    {"ms": integer(0), "jitter_ms": integer(0), "error_rate": number(0, maximum=1)},
)
META = shape(
    "the emulator's bookkeeping {sequence, last_time}",
    {},
    {"sequence": integer(0), "last_time": nullable(TIMESTAMP)},
)


def _check_fault_rules(rules: list[Any], at: At) -> None:
    for position, raw in enumerate(rules):
        try:
            parse_rule(raw, position + 1)
        except VendorError as error:
            raise at.index(position).error(error.message, FAULT_EXPECTED) from error


FAULTS = Rule("a list of fault rules", lambda value: isinstance(value, list), _check_fault_rules)

SEED = shape(
    "a mapping {tines?, truto?, polytomic?, faults?, latency?}",
    {},
    {
        "tines": TINES,
        "truto": TRUTO,
        "polytomic": POLYTOMIC,
        "faults": nullable(FAULTS),
        "latency": nullable(LATENCY),
        META_KEY: META,
    },
)


def check_seed(seed: Any, source: str) -> None:
    """Raise an EmulatorError naming `source` and the path of the first problem in `seed`."""
    at = At(source)
    check_json_value(seed, at)
    SEED.check(seed, at)
