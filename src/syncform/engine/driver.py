"""What the planner needs of a kind: its one normalisation and its request builders.

Each kind's driver in `syncform.providers` satisfies this protocol; the planner is handed the
drivers and never imports a provider.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Protocol

from syncform.core.kinds import KindTraits
from syncform.core.records import Desired, StateRecord
from syncform.core.resources import Lifecycle
from syncform.engine.requests import Built, UpdateInput

Normalise = Callable[[Mapping[str, Any]], dict[str, Any]]


class PlanningDriver(Protocol):
    @property
    def traits(self) -> KindTraits:
        """The kind's name, provider, implicit links and offline checks."""

    @property
    def normalise_desired(self) -> Normalise:
        """A desired (or last applied) spec in the shape reading normalises live objects to."""

    @property
    def create(self) -> Callable[[Desired], Built]: ...

    @property
    def update(self) -> Callable[[UpdateInput], Built]: ...

    @property
    def delete(self) -> Callable[[str, Lifecycle], Built]: ...

    @property
    def replace_triggers(self) -> Callable[[Desired, StateRecord | None], tuple[str, ...]]:
        """Pointers that force a replace beyond the schema's `x-immutable` fields."""


Drivers = Mapping[str, PlanningDriver]
