"""What the offline layers (loading, checks, the dependency graph) know of a kind.

Each kind's driver (`syncform.providers.<vendor>`) carries its `KindTraits`; the provider registry
collects them into the catalog that workflows hand to the layers below, which never import
providers themselves.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from syncform.core.findings import Finding
from syncform.core.resources import Resource

OfflineCheck = Callable[[Resource], Iterable[Finding]]
NaturalKey = Callable[[Mapping[str, Any]], tuple[Any, ...]]


def no_checks(resource: Resource) -> Iterable[Finding]:
    return ()


REMOTE_ID = "id"  # a FieldLink `field` that means the named resource's remote id


@dataclass(frozen=True)
class FieldLink:
    """A spec field that names another resource by a field of that resource's spec, or by its
    remote id (`field` = REMOTE_ID).

    A Truto sync job's `/integration_name` names the `TrutoIntegration` whose `name` it is; a
    Polytomic sync's `/schedule/run_after/sync_ids/*` names the syncs it runs after by id. Each is
    an implicit dependency, as if the manifest said `dependsOn`.
    """

    pointer: str  # into the spec of the linking resource; `*` matches any key or index
    kind: str  # the kind it names
    field: str  # the field of the named resource's spec that holds the same value


@dataclass(frozen=True)
class KindTraits:
    kind: str
    provider: str  # the vendor whose API serves the kind (a connection's `provider`)
    links: tuple[FieldLink, ...] = ()
    check: OfflineCheck = no_checks  # kind-specific offline checks of one manifest
    natural_key: NaturalKey | None = None  # how a live object is found with no state


KindCatalog = Mapping[str, KindTraits]
