"""The in-memory data tree, its deterministic ids and its strictly increasing clock."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

ID_NAMESPACE = uuid.UUID("5b0a4f52-8f0e-4c55-9d2b-7e1c3a9f0d11")
META_KEY = "_emulator"


def utc_now() -> datetime:
    return datetime.now(UTC)


def iso_millis(moment: datetime) -> str:
    """2021-08-10T10:00:00.000Z: the style Truto and Tines use."""
    return (
        moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"
    )


def rfc3339(moment: datetime) -> str:
    """RFC 3339 with microseconds, as a Go server renders time.Time."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_time(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00").replace(" ", "T"))


class Store:
    """Holds the data tree (JSON-compatible) plus a change counter.

    The caller serialises access with the app's lock; nothing here locks.
    """

    def __init__(self, data: dict[str, Any], clock: Callable[[], datetime] = utc_now) -> None:
        self.data = data
        self.generation = 0
        self._clock = clock
        data.setdefault(META_KEY, {"sequence": 0, "last_time": None})

    @property
    def meta(self) -> dict[str, Any]:
        meta: dict[str, Any] = self.data[META_KEY]
        return meta

    def section(self, vendor: str) -> dict[str, Any]:
        section: dict[str, Any] = self.data.setdefault(vendor, {})
        return section

    def next_sequence(self) -> int:
        self.meta["sequence"] = int(self.meta.get("sequence", 0)) + 1
        return int(self.meta["sequence"])

    def new_uuid(self, kind: str) -> str:
        return str(uuid.uuid5(ID_NAMESPACE, f"{kind}:{self.next_sequence()}"))

    def clock_reading(self) -> datetime:
        """The clock as it is, for deadlines (`now` is for timestamps and moves on each call)."""
        return self._clock()

    def now(self) -> datetime:
        """The current time, always at least 1 ms after the previous call."""
        moment = self._clock()
        last = self.meta.get("last_time")
        if last:
            floor = parse_time(last) + timedelta(milliseconds=1)
            moment = max(moment, floor)
        moment = moment.replace(microsecond=(moment.microsecond // 1000) * 1000)
        self.meta["last_time"] = iso_millis(moment)
        return moment

    def mark_changed(self) -> None:
        self.generation += 1
