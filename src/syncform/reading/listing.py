"""Every live object of some kinds on some connections, each as a full payload (GET only).

Tines and Truto lists return whole objects; a kind whose list is light (Polytomic) has each
listed object read by id. An object deleted between its listing and its read is left out.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from syncform.core.errors import NotFoundError
from syncform.manifests.config import Connection
from syncform.providers.driver import KindDriver
from syncform.providers.registry import driver_for
from syncform.reading.reader import ClientSource, Group


@dataclass(frozen=True)
class Listed:
    """One live object, as the vendor returned it."""

    connection: Connection
    driver: KindDriver
    remote_id: str
    raw: dict[str, Any]

    @property
    def kind(self) -> str:
        return self.driver.kind


def list_everything(groups: Sequence[Group], clients: ClientSource) -> list[Listed]:
    """The live objects of each (connection name, kind), in the order the APIs list them."""
    return [listed for group in groups for listed in _list_group(group, clients)]


def _list_group(group: Group, clients: ClientSource) -> Iterator[Listed]:
    name, kind = group
    driver, client, connection = driver_for(kind), clients.client(name), clients.connection(name)
    for item in driver.list_live(client, connection):
        remote_id = driver.remote_id(item)
        full = item
        if driver.fetch_one is not None:
            try:
                full = driver.fetch_one(client, remote_id)
            except NotFoundError:
                continue
        yield Listed(connection, driver, remote_id, dict(full))
