"""The wiring of a run: config, environment, secrets, hasher and one client per connection."""

from __future__ import annotations

from syncform.session.pool import ConnectionPool
from syncform.session.runtime import Runtime, Session
from syncform.session.settings import HttpSettings
from syncform.session.transports import Endpoint, TransportFactory, Transports

__all__ = [
    "ConnectionPool",
    "Endpoint",
    "HttpSettings",
    "Runtime",
    "Session",
    "TransportFactory",
    "Transports",
]
